import { describe, expect, it } from 'vitest'
import { bucketLabel, relativeRange } from './date-periods'

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

describe('bucket labels', () => {
  it.each([
    ['2026-04-03', 'day', 1, '2026-04-03'],
    ['2026-03-30', 'week', 1, '2026-W14'],
    ['2026-12-28', 'week', 1, '2026-W53'],
    ['2024-12-30', 'week', 1, '2025-W01'],
    ['2026-04-01', 'month', 1, '2026-04'],
    ['2026-04-01', 'quarter', 1, '2026 Q2'],
    ['2026-01-01', 'year', 1, '2026'],
    ['2027-01-01', 'fiscalQuarter', 4, 'FY2026 Q4'],
    ['2026-04-01', 'fiscalQuarter', 4, 'FY2026 Q1'],
    ['2026-04-01', 'fiscalYear', 4, 'FY2026'],
  ] as const)('%s as a %s bucket (fiscal from %i) reads %s', (first, bucket, start, label) => {
    expect(bucketLabel(first, bucket, start)).toBe(label)
  })
})
