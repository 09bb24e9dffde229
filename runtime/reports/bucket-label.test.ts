import { describe, expect, it } from 'vitest'
import { bucketLabel } from './bucket-label'

/** A label with Intl's thin and narrow spaces as plain ones: CLDR picks per pattern. */
const plain = (...args: Parameters<typeof bucketLabel>) => bucketLabel(...args).replace(/\s/g, ' ')
const to = ' – '

describe('a date bucket in the reader’s language', () => {
  it.each([
    ['en', 'Sep 2026'],
    ['zh-CN', '2026年9月'],
    ['ko', '2026년 9월'],
  ] as const)('names a month in %s as %s', (locale, label) => {
    expect(plain('2026-09-01', 'month', 1, locale)).toBe(label)
  })

  it.each([
    ['en', 'Apr 3, 2026', `Mar 30${to}Apr 5, 2026`, 'Q2 2026', '2026'],
    ['zh-CN', '2026年4月3日', `2026/3/30${to}2026/4/5`, '2026年第2季度', '2026年'],
    ['ko', '2026년 4월 3일', '2026년 3월 30일~4월 5일', '2026년 2분기', '2026년'],
  ] as const)('names a day, a week, a quarter and a year in %s', (locale, day, week, q, year) => {
    expect(plain('2026-04-03', 'day', 1, locale)).toBe(day)
    expect(plain('2026-03-30', 'week', 1, locale)).toBe(week)
    expect(plain('2026-04-01', 'quarter', 1, locale)).toBe(q)
    expect(plain('2026-01-01', 'year', 1, locale)).toBe(year)
  })

  it('names every calendar quarter by its number, a fiscal quarter of a January year too', () => {
    expect(plain('2026-01-01', 'quarter', 4, 'en')).toBe('Q1 2026')
    expect(plain('2026-10-01', 'quarter', 1, 'zh-CN')).toBe('2026年第4季度')
    expect(plain('2026-07-01', 'fiscalQuarter', 1, 'ko')).toBe('2026년 3분기')
    // A fiscal quarter of an April year is no calendar quarter's namesake: its months.
    expect(plain('2026-04-01', 'fiscalQuarter', 4, 'en')).toBe(`Apr${to}Jun 2026`)
  })

  it('names a bucket across a year end by both years, a fiscal year by its months', () => {
    expect(plain('2026-12-28', 'week', 1, 'en')).toBe(`Dec 28, 2026${to}Jan 3, 2027`)
    expect(plain('2026-11-01', 'fiscalQuarter', 2, 'ko')).toBe('2026년 11월~2027년 1월')
    expect(plain('2026-04-01', 'fiscalYear', 4, 'en')).toBe(`Apr 2026${to}Mar 2027`)
    expect(plain('2026-01-01', 'fiscalYear', 1, 'zh-CN')).toBe('2026年')
  })

  it('never answers the raw key of a bucket', () => {
    for (const locale of ['en', 'zh-CN', 'ko'] as const)
      for (const bucket of ['day', 'week', 'month', 'quarter', 'year'] as const)
        expect(plain('2026-09-01', bucket, 1, locale)).not.toMatch(/^\d{4}-\d{2}(-\d{2})?$/)
  })
})
