import { describe, expect, it } from 'vitest'
import { readMoney, toIsoDate, toIsoDateTime, toPgTextArray, valueReader } from './field-values'

describe('field value conversion', () => {
  it('reads timestamps from postgres.js text, PGlite dates and json_agg text alike', () => {
    const iso = '2026-11-23T17:14:51.354Z'
    expect(toIsoDateTime('2026-11-23 17:14:51.354242+00')).toBe(iso)
    expect(toIsoDateTime(new Date(iso))).toBe(iso)
    expect(toIsoDateTime('2026-11-23T17:14:51.354242+00:00')).toBe(iso)
    expect(toIsoDateTime('2026-11-23 19:14:51.354+02')).toBe(iso)
    expect(toIsoDateTime('2026-11-23 23:44:51.354+0630')).toBe(iso)
    expect(toIsoDateTime('2026-11-23 17:14:51.3+00')).toBe('2026-11-23T17:14:51.300Z')
    expect(toIsoDateTime('2026-11-23 17:14:51+00')).toBe('2026-11-23T17:14:51.000Z')
  })

  it('reads dates from text and from midnight-UTC Date objects', () => {
    expect(toIsoDate('2026-01-02')).toBe('2026-01-02')
    expect(toIsoDate(new Date('2026-01-02T00:00:00Z'))).toBe('2026-01-02')
    expect(toIsoDate(null)).toBeNull()
  })

  it('reads numeric text as numbers', () => {
    expect(valueReader({ type: 'decimal' })('12.50')).toBe(12.5)
    expect(valueReader({ type: 'formula', resultType: 'number' })('3')).toBe(3)
    expect(readMoney('99.90', 'CNY')).toEqual({ amount: 99.9, currency: 'CNY' })
    expect(readMoney(null, null)).toBeNull()
  })

  it('quotes text array literals', () => {
    expect(toPgTextArray(['a', 'b"c', 'd\\e', 'x,y'])).toBe('{"a","b\\"c","d\\\\e","x,y"}')
  })
})
