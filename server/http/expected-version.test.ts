import type { Context } from 'hono'
import { describe, expect, it } from 'vitest'
import { BadRequestError } from '../../runtime/errors'
import { versionWords } from '../../runtime/records'
import { labelledCaller } from '../../test/support/labelled-caller'
import { expectedVersion as readVersion, toEtag } from './expected-version'

const caller = labelledCaller('quote', { en: 'Quote', 'zh-CN': '报价单', ko: '견적서' })
const wordsOf = (locale?: string) => versionWords(caller(locale), 'quote')
const expectedVersion = (c: Context, body?: Record<string, unknown>) =>
  readVersion(c, wordsOf(), body)

const ctxWith = (ifMatch?: string) =>
  ({
    req: { raw: { headers: new Headers(ifMatch === undefined ? {} : { 'if-match': ifMatch }) } },
  }) as unknown as Context

function pathOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError)
    return (err as BadRequestError).details[0].path
  }
  return undefined
}

describe('expected version', () => {
  it('reads If-Match quoted, bare or weak', () => {
    expect(expectedVersion(ctxWith('"3"'))).toBe(3)
    expect(expectedVersion(ctxWith('3'))).toBe(3)
    expect(expectedVersion(ctxWith('W/"3"'))).toBe(3)
  })

  it('falls back to the body version, and is undefined without either', () => {
    expect(expectedVersion(ctxWith(), { version: 4 })).toBe(4)
    expect(expectedVersion(ctxWith(), {})).toBeUndefined()
  })

  it('refuses an If-Match that is not an integer, naming If-Match', () => {
    for (const bad of ['abc', '"x"', '*', '3.5', '"1", "2"'])
      expect(
        pathOf(() => expectedVersion(ctxWith(bad))),
        bad,
      ).toBe('If-Match')
  })

  it('refuses a body version that is not an integer or disagrees with If-Match', () => {
    expect(pathOf(() => expectedVersion(ctxWith(), { version: 'one' }))).toBe('version')
    expect(pathOf(() => expectedVersion(ctxWith('2'), { version: 3 }))).toBe('version')
    expect(expectedVersion(ctxWith('3'), { version: 3 })).toBe(3)
  })

  it('words the refusals in the caller language, naming the entity by its label', () => {
    const refusal = (fn: () => unknown) => {
      try {
        fn()
      } catch (err) {
        return err as BadRequestError
      }
      throw new Error('expected a refusal')
    }
    const zh = refusal(() => readVersion(ctxWith('"x"'), wordsOf('zh-CN')))
    expect(zh.message).toBe('If-Match 必须是此报价单的版本号，例如 "3"')
    const ko = refusal(() => readVersion(ctxWith('2'), wordsOf('ko'), { version: 3 }))
    expect(ko.message).toBe('이 견적서의 If-Match와 본문의 version이 서로 다릅니다')
    expect(ko.details).toEqual([{ path: 'version', message: '본문은 3, If-Match는 2입니다' }])
    const en = refusal(() => expectedVersion(ctxWith(), { version: 'one' }))
    expect(en.message).toBe('The version sent for this quote must be an integer')
  })

  it('turns a version into a quoted ETag', () => {
    expect(toEtag(7)).toBe('"7"')
    expect(toEtag(undefined)).toBeUndefined()
  })
})
