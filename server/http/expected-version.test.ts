import type { Context } from 'hono'
import { describe, expect, it } from 'vitest'
import { BadRequestError } from '../../runtime/errors'
import { expectedVersion, toEtag } from './expected-version'

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

  it('turns a version into a quoted ETag', () => {
    expect(toEtag(7)).toBe('"7"')
    expect(toEtag(undefined)).toBeUndefined()
  })
})
