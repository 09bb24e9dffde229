import { describe, expect, it } from 'vitest'
import { labelledCaller } from '../../test/support/labelled-caller'
import { describeTextTables } from '../../test/support/text-tables'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import { requireEntity } from '../registry'
import { UNKNOWN_ENTITY_TEXTS } from '../registry/unknown-entity'
import { requireExpectedVersion, staleVersion } from './expected-version'
import { ACTION_WORDS, RECORD_REFUSAL_TEXTS } from './record-refusal-texts'
import { VERSION_TEXTS } from './version-texts'

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

describeTextTables(
  [
    ['version refusals', VERSION_TEXTS],
    ['unknown entity refusals', UNKNOWN_ENTITY_TEXTS],
    ['record refusals', RECORD_REFUSAL_TEXTS],
    ['refused actions', ACTION_WORDS],
  ],
  machineWords,
)

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
