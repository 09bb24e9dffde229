import { describe, expect, it } from 'vitest'
import type { Alert, DateOffsetTrigger } from '../../metadata/alert'
import { nextScheduleRun } from './next-schedule-run'
import { planDateTimers } from './plan-date-timers'
import { toInstant } from './zoned-time'

const ID = '6f1c3a52-0000-4000-8000-000000000001'

function dateAlert(trigger: Omit<DateOffsetTrigger, 'type'>, extra: Partial<Alert> = {}): Alert {
  return {
    id: 'quote-expiry',
    label: { en: 'Quote expiry' },
    entity: 'quote',
    trigger: { type: 'dateOffset', ...trigger },
    recipients: [{ type: 'owner' }],
    channels: [{ type: 'inApp' }],
    template: { en: { title: 't', body: 'b' } },
    ...extra,
  }
}

const due = (alert: Alert, record: Record<string, unknown>, now: string, timeZone?: string) =>
  planDateTimers(alert, { id: ID, ...record }, new Date(now), { timeZone }).map((t) =>
    t.dueAt.toISOString(),
  )

describe('planDateTimers', () => {
  it('plans 3 days before a date at 09:00 in the instance time zone, keyed by alert and record', () => {
    const alert = dateAlert({ field: 'validUntil', offset: { days: -3 } })
    const [timer] = planDateTimers(
      alert,
      { id: ID, validUntil: '2026-03-10' },
      new Date('2026-03-01T00:00:00Z'),
      {
        timeZone: 'Asia/Shanghai',
      },
    )
    expect(timer).toEqual({
      kind: 'alert',
      key: `quote-expiry:${ID}`,
      dueAt: new Date('2026-03-07T01:00:00.000Z'),
      entity: 'quote',
      recordId: ID,
      payload: { alert: 'quote-expiry', occurrence: 0 },
    })
    expect(due(alert, { validUntil: '2026-03-10' }, '2026-03-01T00:00:00Z')).toEqual([
      '2026-03-07T09:00:00.000Z',
    ])
  })

  it('follows daylight saving: 09:00 in New York is 14:00 UTC in winter and 13:00 in summer', () => {
    const alert = dateAlert({ field: 'day', at: '09:00' })
    expect(due(alert, { day: '2026-03-07' }, '2026-01-01T00:00:00Z', 'America/New_York')).toEqual([
      '2026-03-07T14:00:00.000Z',
    ])
    expect(due(alert, { day: '2026-03-09' }, '2026-01-01T00:00:00Z', 'America/New_York')).toEqual([
      '2026-03-09T13:00:00.000Z',
    ])
    // 02:30 does not exist on 8 March 2026 there: it falls after the jump.
    const skipped = toInstant(
      { year: 2026, month: 3, day: 8, hour: 2, minute: 30 },
      'America/New_York',
    )
    expect(skipped.toISOString()).toBe('2026-03-08T07:30:00.000Z')
  })

  it('moves a datetime by days and hours, or to a local time of day with at', () => {
    const start = { startAt: '2026-05-04T06:15:00.000Z' }
    expect(
      due(dateAlert({ field: 'startAt', offset: { hours: -1 } }), start, '2026-05-01T00:00:00Z'),
    ).toEqual(['2026-05-04T05:15:00.000Z'])
    const dayBefore = dateAlert({ field: 'startAt', offset: { days: -1 }, at: '18:00' })
    expect(due(dayBefore, start, '2026-05-01T00:00:00Z', 'Asia/Seoul')).toEqual([
      '2026-05-03T09:00:00.000Z',
    ])
  })

  it('plans nothing for an empty or unreadable date, a past one, or an alert that is off', () => {
    const alert = dateAlert({ field: 'validUntil' })
    expect(due(alert, { validUntil: null }, '2026-03-01T00:00:00Z')).toEqual([])
    expect(due(alert, { validUntil: '2026-02-30' }, '2026-01-01T00:00:00Z')).toEqual([])
    expect(due(alert, { validUntil: '2026-02-27' }, '2026-03-01T00:00:00Z')).toEqual([])
    const off = dateAlert({ field: 'validUntil' }, { enabled: false })
    expect(due(off, { validUntil: '2026-03-10' }, '2026-03-01T00:00:00Z')).toEqual([])
  })

  it('plans the next repeat after now while the while rule holds', () => {
    const overdue = dateAlert({
      field: 'dueOn',
      offset: { days: 1 },
      repeatEveryDays: 3,
      while: { '!=': [{ var: 'record.status' }, 'paid'] },
    })
    const open = { dueOn: '2026-03-01', status: 'open' }
    // First reminder 2026-03-02 09:00 UTC, then 03-05, 03-08, 03-11 …
    expect(due(overdue, open, '2026-03-02T09:00:00Z')).toEqual(['2026-03-05T09:00:00.000Z'])
    expect(due(overdue, open, '2026-03-09T12:00:00Z')).toEqual(['2026-03-11T09:00:00.000Z'])
    const [timer] = planDateTimers(overdue, { id: ID, ...open }, new Date('2026-03-09T12:00:00Z'))
    expect(timer.payload.occurrence).toBe(3)
    expect(due(overdue, { ...open, status: 'paid' }, '2026-03-09T12:00:00Z')).toEqual([])
    expect(due(overdue, { ...open, status: 'paid' }, '2026-03-01T12:00:00Z')).toEqual([
      '2026-03-02T09:00:00.000Z',
    ])
  })
})

describe('planDateTimers with repeatYearly', () => {
  const birthday = dateAlert({ field: 'birthday', at: '08:30', repeatYearly: true })

  it('fires on the month and day of this year, or of next year once it has passed, at the local time', () => {
    const record = { birthday: '1990-05-10' }
    // 08:30 in Seoul is 23:30 UTC the day before.
    expect(due(birthday, record, '2026-05-01T00:00:00Z', 'Asia/Seoul')).toEqual([
      '2026-05-09T23:30:00.000Z',
    ])
    expect(due(birthday, record, '2026-05-09T23:30:00Z', 'Asia/Seoul')).toEqual([
      '2027-05-09T23:30:00.000Z',
    ])
    const [timer] = planDateTimers(birthday, { id: ID, ...record }, new Date('2026-06-01'), {
      timeZone: 'Asia/Seoul',
    })
    expect(timer.payload.occurrence).toBe(37)
  })

  it('moves 29 February to the 28th in other years and keeps it in leap years', () => {
    const record = { birthday: '1992-02-29' }
    expect(due(birthday, record, '2026-01-01T00:00:00Z', 'UTC')).toEqual([
      '2026-02-28T08:30:00.000Z',
    ])
    expect(due(birthday, record, '2027-03-01T00:00:00Z', 'UTC')).toEqual([
      '2028-02-29T08:30:00.000Z',
    ])
  })

  it('applies the offset to each year and stops when while no longer holds', () => {
    const dayBefore = dateAlert({
      field: 'birthday',
      offset: { days: -1 },
      repeatYearly: true,
      while: { '!': [{ var: 'record.left' }] },
    })
    expect(due(dayBefore, { birthday: '1985-01-01' }, '2026-06-01T00:00:00Z')).toEqual([
      '2026-12-31T09:00:00.000Z',
    ])
    expect(due(dayBefore, { birthday: '1985-01-01', left: true }, '2026-06-01T00:00:00Z')).toEqual(
      [],
    )
  })
})

describe('nextScheduleRun', () => {
  const weekdays: Alert = {
    id: 'digest',
    label: { en: 'Digest' },
    trigger: { type: 'schedule', cron: '0 9 * * 1-5', timeZone: 'Asia/Seoul' },
    recipients: [{ type: 'role', role: 'salesRep' }],
    channels: [{ type: 'email' }],
    template: { en: { title: 't', body: 'b' } },
  }

  it('reads the cron in the alert time zone and answers the next run strictly after', () => {
    // Friday 2026-03-06 10:00 in Seoul → Monday 09:00 Seoul = 00:00 UTC.
    expect(nextScheduleRun(weekdays, new Date('2026-03-06T01:00:00Z'))?.toISOString()).toBe(
      '2026-03-09T00:00:00.000Z',
    )
    expect(nextScheduleRun(weekdays, new Date('2026-03-09T00:00:00Z'))?.toISOString()).toBe(
      '2026-03-10T00:00:00.000Z',
    )
  })

  it('answers null for other triggers and disabled alerts', () => {
    expect(nextScheduleRun({ ...weekdays, enabled: false }, new Date())).toBeNull()
    expect(nextScheduleRun({ ...weekdays, trigger: { type: 'created' } }, new Date())).toBeNull()
  })
})
