import { describe, expect, it } from 'vitest'
import { toReaderText, validateNotificationTexts } from './notification-texts'

const texts = {
  en: { title: 'New deal Acme', body: 'Say hello.' },
  'zh-CN': { title: '新商机 Acme', body: '问个好。' },
}
const row = { title: '새 거래 Acme', body: '인사하세요.', texts }
const limits = { title: 500, body: 10_000 }

describe('toReaderText', () => {
  it("shows the reader's language, else one of the same language, else English", () => {
    expect(toReaderText(row, 'zh-CN')).toEqual(texts['zh-CN'])
    expect(toReaderText(row, 'zh-TW')).toEqual(texts['zh-CN'])
    expect(toReaderText(row, 'ko')).toEqual(texts.en)
  })

  it('keeps the stored title and body of a row stored in one language only', () => {
    expect(toReaderText({ ...row, texts: null }, 'en')).toEqual({
      title: '새 거래 Acme',
      body: '인사하세요.',
    })
    expect(toReaderText({ ...row, texts: { ko: texts.en } }, 'zh-CN').title).toBe('새 거래 Acme')
  })
})

describe('validateNotificationTexts', () => {
  it('accepts none, or texts by locale within the limits', () => {
    expect(validateNotificationTexts(undefined, limits)).toEqual([])
    expect(validateNotificationTexts(texts, limits)).toEqual([])
  })

  it('names a bad locale, a missing or long title and a body that is not text', () => {
    const bad = {
      'not a locale': texts.en,
      ko: { title: ' ', body: null },
      fr: { title: 'x'.repeat(501), body: 7 },
    }
    expect(validateNotificationTexts(bad, limits).map((i) => i.path)).toEqual([
      'texts.not a locale',
      'texts.ko.title',
      'texts.fr.title',
      'texts.fr.body',
    ])
    expect(validateNotificationTexts(['en'], limits)).toEqual([
      { path: 'texts', message: 'must be an object of texts by locale' },
    ])
  })
})
