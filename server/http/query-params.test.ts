import type { Context } from 'hono'
import { describe, expect, it } from 'vitest'
import { BadRequestError } from '../../runtime/errors'
import { readQuery, toBooleanParam, toJsonParam, toPositiveIntParam } from './query-params'

const ctxFor = (url: string) => ({ req: { url } }) as unknown as Context

function issuePath(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError)
    return (err as BadRequestError).details[0]?.path
  }
  return undefined
}

describe('query parameters', () => {
  it('reads the allowed parameters, decoded', () => {
    expect(readQuery(ctxFor('http://x/a?sort=-name&cursor=a%2Bb'), ['sort', 'cursor'])).toEqual({
      sort: '-name',
      cursor: 'a+b',
    })
    expect(readQuery(ctxFor('http://x/a'), [])).toEqual({})
  })

  it('refuses an unknown parameter naming it', () => {
    expect(issuePath(() => readQuery(ctxFor('http://x/a?sort=a&colour=red'), ['sort']))).toBe(
      'colour',
    )
  })

  it('refuses a parameter without a name, blaming the query', () => {
    expect(issuePath(() => readQuery(ctxFor('http://x/a?=1'), ['sort']))).toBe('query')
  })

  it('refuses a repeated parameter naming it', () => {
    expect(issuePath(() => readQuery(ctxFor('http://x/a?limit=1&limit=2'), ['limit']))).toBe(
      'limit',
    )
  })

  it('parses booleans, positive integers and JSON or names the parameter', () => {
    expect(toBooleanParam('count', 'true')).toBe(true)
    expect(toBooleanParam('count', undefined)).toBeUndefined()
    expect(issuePath(() => toBooleanParam('count', '1'))).toBe('count')
    expect(toPositiveIntParam('limit', '20')).toBe(20)
    for (const bad of ['0', '-1', '1.5', 'abc', '', '1e3', '99999999999']) {
      expect(
        issuePath(() => toPositiveIntParam('limit', bad)),
        bad,
      ).toBe('limit')
    }
    expect(toJsonParam('filter', '{"==":[1,1]}')).toEqual({ '==': [1, 1] })
    expect(issuePath(() => toJsonParam('filter', '{oops'))).toBe('filter')
  })
})
