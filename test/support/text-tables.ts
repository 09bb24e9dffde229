import { describe, expect, it } from 'vitest'
import { LOCALES, type Locale } from '../../metadata/labels'

/** A table of texts by language and key, as the refusal tables are. */
export type TextTable = Record<Locale, Record<string, string>>

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

/**
 * Checks each named table: every text in every language, with the English one's placeholders,
 * and no English left in zh-CN and ko once the placeholders and `machineWords` (the names of
 * what a client sends, such as If-Match) are taken out.
 * @example describeTextTables([['version refusals', VERSION_TEXTS]], /If-Match|version/g)
 */
export function describeTextTables(tables: [string, TextTable][], machineWords?: RegExp): void {
  describe.each(tables)('%s', (_name, texts) => {
    it('have every text in every language with the placeholders of the English one', () => {
      for (const locale of LOCALES) {
        expect(Object.keys(texts[locale]).sort(), locale).toEqual(Object.keys(texts.en).sort())
        for (const [key, text] of Object.entries(texts[locale])) {
          expect(text.trim(), `${locale} ${key}`).not.toBe('')
          expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders(texts.en[key]))
        }
      }
    })

    it('leave no English in the zh-CN and ko texts', () => {
      for (const locale of ['zh-CN', 'ko'] as const)
        for (const [key, text] of Object.entries(texts[locale])) {
          let bare = text.replace(/\{\w+\}/g, '')
          if (machineWords) bare = bare.replace(machineWords, '')
          expect(bare, `${locale} ${key}`).not.toMatch(/[A-Za-z]/)
        }
    })
  })
}
