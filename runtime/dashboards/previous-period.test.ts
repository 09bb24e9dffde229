import { describe, expect, it } from 'vitest'
import { toPreviousPeriod } from './previous-period'

const now = new Date('2026-12-06T09:00:00Z')

describe('the period before a date range', () => {
  it('is the named period one step back', () => {
    expect(toPreviousPeriod('thisMonth', now)).toBe('lastMonth')
    expect(toPreviousPeriod('thisFiscalYear', now)).toBe('lastFiscalYear')
    expect(toPreviousPeriod('today', now)).toBe('yesterday')
  })

  it('is the as many days before the last N days', () => {
    expect(toPreviousPeriod('last7Days', now)).toBe('2026-11-23..2026-11-29')
    expect(toPreviousPeriod('last30Days', now)).toBe('2026-10-08..2026-11-06')
  })

  it('is as many whole months before a range of whole months, else as many days', () => {
    expect(toPreviousPeriod('2026-01-01..2026-03-31', now)).toBe('2025-10-01..2025-12-31')
    expect(toPreviousPeriod('2026-03-01..2026-03-31', now)).toBe('2026-02-01..2026-02-28')
    expect(toPreviousPeriod('2026-03-10..2026-03-19', now)).toBe('2026-02-28..2026-03-09')
  })

  it('is none for an open range or a period already past', () => {
    expect(toPreviousPeriod('2026-01-01..', now)).toBeNull()
    expect(toPreviousPeriod('lastMonth', now)).toBeNull()
    expect(toPreviousPeriod('2026-03-31..2026-03-01', now)).toBeNull()
  })
})
