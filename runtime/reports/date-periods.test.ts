import { describe, expect, it } from 'vitest'
import { relativeRange } from './date-periods'

// Monday 15 June 2026.
const NOW = new Date('2026-06-15T10:00:00Z')

describe('relative date ranges', () => {
  it.each([
    ['today', 1, '2026-06-15', '2026-06-15'],
    ['yesterday', 1, '2026-06-14', '2026-06-14'],
    ['thisWeek', 1, '2026-06-15', '2026-06-21'],
    ['lastWeek', 1, '2026-06-08', '2026-06-14'],
    ['lastMonth', 1, '2026-05-01', '2026-05-31'],
    ['thisQuarter', 1, '2026-04-01', '2026-06-30'],
    ['lastQuarter', 1, '2026-01-01', '2026-03-31'],
    ['lastYear', 1, '2025-01-01', '2025-12-31'],
    ['thisFiscalYear', 4, '2026-04-01', '2027-03-31'],
    ['thisFiscalYear', 7, '2025-07-01', '2026-06-30'],
    ['lastFiscalYear', 7, '2024-07-01', '2025-06-30'],
    ['thisFiscalQuarter', 2, '2026-05-01', '2026-07-31'],
    ['last7Days', 1, '2026-06-09', '2026-06-15'],
    ['last90Days', 1, '2026-03-18', '2026-06-15'],
  ] as const)('%s (fiscal year from month %i) runs %s to %s', (range, start, from, to) => {
    expect(relativeRange(range, NOW, start)).toEqual({ from, to })
  })

  it('counts lastMonth across a year boundary and leap days', () => {
    expect(relativeRange('lastMonth', new Date('2027-01-03T00:00:00Z'), 1)).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
    })
    expect(relativeRange('lastMonth', new Date('2028-03-31T23:59:59Z'), 1)).toEqual({
      from: '2028-02-01',
      to: '2028-02-29',
    })
  })
})
