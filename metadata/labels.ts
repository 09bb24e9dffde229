import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** Languages the UI and the shipped modules speak. */
export const LOCALES = ['en', 'zh-CN', 'ko'] as const
export type Locale = (typeof LOCALES)[number]

/** A translatable text: English is required, the others fall back to it. */
export type Labels = { en: string } & Partial<Record<Exclude<Locale, 'en'>, string>>

/** Picks the label for a locale, falling back to English. */
export function toLabel(labels: Labels | undefined, locale: Locale, fallback = ''): string {
  if (!labels) return fallback
  return labels[locale] ?? labels.en ?? fallback
}

/** The language Trellis speaks for `asked` (English for one it does not). */
export function toLocale(asked: string | undefined): Locale {
  return (LOCALES as readonly string[]).includes(asked ?? '') ? (asked as Locale) : 'en'
}

/** A text with its `{name}` placeholders filled (an unknown one reads empty). */
export function fillText(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, n: string) => params[n] ?? '')
}

const text = { type: 'string', minLength: 1, maxLength: 2000 } as const

/** Schema of a `Labels` object, to inline wherever a translatable text appears. */
export const labelsSchema = schemaFor<Labels>()({
  type: 'object',
  properties: { en: text, 'zh-CN': text, ko: text },
  required: ['en'],
  additionalProperties: false,
})

/** Standalone schema document of `Labels`. */
export const labelsJsonSchema = toSchemaDocument('labels', 'Translatable text', labelsSchema)
