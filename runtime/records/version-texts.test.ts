import { describe, expect, it } from 'vitest'
import { LOCALES, type Locale } from '../../metadata/labels'
import { labelledCaller } from '../../test/support/labelled-caller'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import { requireEntity } from '../registry'
import { UNKNOWN_ENTITY_TEXTS } from '../registry/unknown-entity'
import { requireExpectedVersion, staleVersion } from './expected-version'
import { ACTION_WORDS, RECORD_REFUSAL_TEXTS } from './record-refusal-texts'
import { VERSION_TEXTS } from './version-texts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
// What a zh-CN or ko text may keep in Latin letters: its placeholders and the names of what the
// client sends (the If-Match header, the body's `version`).
const machineWords = /\{\w+\}|If-Match|version/g

const caller = labelledCaller('quote', { en: 'Quote', 'zh-CN': '报价单', ko: '견적서' })
const { meta } = caller()
const quote = meta.entities.get('quote')

function refusalOf(fn: () => unknown): Error & { details: { path: string; message: string }[] } {
  try {
    fn()
  } catch (err) {
    return err as Error & { details: { path: string; message: string }[] }
  }
  throw new Error('expected a refusal')
}

describe.each([
  ['version refusals', VERSION_TEXTS as Record<Locale, Record<string, string>>],
  ['unknown entity refusals', UNKNOWN_ENTITY_TEXTS as Record<Locale, Record<string, string>>],
  ['record refusals', RECORD_REFUSAL_TEXTS as Record<Locale, Record<string, string>>],
  ['refused actions', ACTION_WORDS as Record<Locale, Record<string, string>>],
])('%s', (_name, texts) => {
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
      for (const [key, text] of Object.entries(texts[locale]))
        expect(text.replace(machineWords, ''), `${locale} ${key}`).not.toMatch(/[A-Za-z]/)
  })
})

describe('version refusals', () => {
  it('name the entity by its label in the caller language', () => {
    const zh = staleVersion(caller('zh-CN'), 'quote', 7)
    expect(zh).toBeInstanceOf(ConflictError)
    expect(zh.message).toBe('此报价单已被他人修改：请重新加载后再试')
    expect(zh.details).toEqual([{ path: 'version', message: '当前版本为 7' }])
    expect(zh.extra).toEqual({ currentVersion: 7 })
    const ko = staleVersion(caller('ko'), 'quote', 7)
    expect(ko.message).toContain('견적서')
    expect(ko.details[0].message).toBe('현재 버전은 7입니다')
  })

  it('speak English with the label in lower case when the caller has no language Trellis speaks', () => {
    for (const locale of [undefined, 'fr']) {
      const stale = staleVersion(caller(locale), 'quote', 2)
      expect(stale.message).toBe('This quote was changed by someone else: reload it and try again')
      expect(stale.details[0].message).toBe('the current version is 2')
    }
  })

  it('refuse a missing and a malformed version at version in the caller language', () => {
    const missing = refusalOf(() => requireExpectedVersion(caller('ko'), 'quote', null, {}))
    expect(missing).toBeInstanceOf(ValidationError)
    expect(missing.message).toBe('읽어 온 견적서의 버전이 필요합니다')
    expect(missing.details.map((d) => d.path)).toEqual(['version'])
    const bad = refusalOf(() =>
      requireExpectedVersion(caller('zh-CN'), 'quote', undefined, { version: 0 }),
    )
    expect(bad.message).toBe('为此报价单提供的版本号无效')
    expect(bad.details).toEqual([{ path: 'version', message: '必须是正整数' }])
    expect(requireExpectedVersion(caller('zh-CN'), 'quote', undefined, { version: 3 })).toBe(3)
  })
})

describe('requireEntity', () => {
  it('answers 404 at entity in the caller language, quoting the name sent', () => {
    const zh = refusalOf(() => requireEntity(meta, 'offer', 'zh-CN'))
    expect(zh).toBeInstanceOf(NotFoundError)
    expect(zh.message).toBe('没有“offer”这种记录类型')
    expect(zh.details).toEqual([{ path: 'entity', message: '“offer”不是已有的记录类型' }])
    const en = refusalOf(() => requireEntity(meta, 'offer'))
    expect(en.message).toBe("Unknown entity 'offer'")
    expect(requireEntity(meta, 'quote', 'ko')).toBe(quote)
  })
})
