/** The language every template set must have: the one a reader gets when theirs is missing. */
export const FALLBACK_LOCALE = 'en'

/**
 * The template for a reader's language: their exact locale (`zh-CN`), else one of the same
 * language (`zh` or `zh-TW` for `zh-CN`), else English, else null. Returns the locale it chose
 * too, so the caller can format dates and numbers in the language the words are in.
 * @example pickTemplate({ en: 'Due', ko: '만기' }, 'ko-KR') // { locale: 'ko', template: '만기' }
 */
export function pickTemplate<T>(
  templates: Readonly<Record<string, T>> | null | undefined,
  locale: string | null | undefined,
): { locale: string; template: T } | null {
  if (!templates) return null
  const has = (key: string) => Object.prototype.hasOwnProperty.call(templates, key)
  const wanted = (locale ?? '').trim()
  const keys = Object.keys(templates)
  const exact = keys.find((key) => key.toLowerCase() === wanted.toLowerCase())
  const language = wanted.split(/[-_]/)[0].toLowerCase()
  const sameLanguage = language
    ? keys.find((key) => key.split(/[-_]/)[0].toLowerCase() === language)
    : undefined
  const chosen = exact ?? sameLanguage ?? (has(FALLBACK_LOCALE) ? FALLBACK_LOCALE : undefined)
  return chosen === undefined ? null : { locale: chosen, template: templates[chosen] }
}
