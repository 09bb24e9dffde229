import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { CurrentUser } from '../context'
import { cachedFilter, readsClock } from './filter-cache'

const user = (id: string): CurrentUser => ({
  id,
  username: id,
  displayName: id,
  locale: 'en',
  isAdmin: false,
})

describe('cachedFilter', () => {
  it('compiles a rule once per caller object and table alias', () => {
    const rule = { '==': [{ var: 'region' }, { var: '$user.region' }] }
    let compiled = 0
    const compile = () => (compiled++, sql`x`)
    const ana = user('ana')
    const first = cachedFilter(rule, ana, 'a', compile)
    expect(cachedFilter(rule, ana, 'a', compile)).toBe(first)
    expect(compiled).toBe(1)
    cachedFilter(rule, ana, 'b', compile)
    cachedFilter(rule, user('ana'), 'a', compile)
    cachedFilter({ ...rule }, ana, 'a', compile)
    expect(compiled).toBe(4)
  })

  it('compiles every time a rule that reads the clock, or a constant rule', () => {
    let compiled = 0
    const compile = () => (compiled++, sql`x`)
    const ana = user('ana')
    const rule = { '>=': [{ var: 'due' }, { today: [] }] }
    cachedFilter(rule, ana, 'a', compile)
    cachedFilter(rule, ana, 'a', compile)
    cachedFilter(true, ana, 'a', compile)
    expect(compiled).toBe(3)
    expect(readsClock({ and: [{ '==': [1, 1] }, { '<': [{ var: 'at' }, { now: [] }] }] })).toBe(
      true,
    )
    expect(readsClock({ '==': [{ var: 'today' }, 'now'] })).toBe(false)
  })
})
