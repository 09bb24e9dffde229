import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Report } from '../../metadata/report'
import { compileReport } from './compile-report'
import type { ReportEnv } from './report-env'
import { shapeReport } from './shape-report'

const label = (en: string) => ({ en })
const ticket: Entity = {
  id: 'ticket',
  label: label('Ticket'),
  fields: [
    { name: 'reportedOn', type: 'date', label: label('Reported') },
    { name: 'cost', type: 'money', label: label('Cost'), currency: 'KRW' },
  ],
}
const env: ReportEnv = {
  entities: new Map([['ticket', ticket]]),
  flows: [],
  user: { id: 'u-1', username: 'a', displayName: 'A', locale: 'en', isAdmin: true },
  locale: 'en',
  now: new Date('2026-06-15T10:00:00Z'),
  scopeOf: () => null,
  hiddenOf: () => null,
}
const trend: Report = {
  id: 'trend',
  label: label('Trend'),
  entity: 'ticket',
  shape: 'trend',
  dimensions: [{ id: 'month', field: 'reportedOn', bucket: 'month' }],
  measures: [
    { id: 'tickets', aggregate: 'count' },
    { id: 'cost', aggregate: 'sum', field: 'cost' },
    { id: 'average', aggregate: 'avg', field: 'cost' },
    { id: 'perTicket', ratio: ['cost', 'tickets'], label: label('Per ticket'), format: 'money' },
  ],
  parameters: [{ id: 'period', type: 'dateRange', field: 'reportedOn', label: label('Period') }],
  trend: { dimension: 'month', measures: ['tickets'] },
}
/** What the statement answers: March only. */
const march = [{ k0: '2026-03-01', m0: '2', m1: '3000.00', m2: '1500.000000', m3: '1500' }]

describe('a trend', () => {
  it('fills the months of the range without records: counts and sums 0, the others empty', () => {
    const compiled = compileReport(env, trend, { period: '2026-01-10..2026-05-31' })
    const result = shapeReport(compiled, march)
    expect(result.rows.map((r) => r.keys.month)).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
    ])
    expect(result.rows[0].values).toEqual({
      month: 'Jan 2026',
      tickets: 0,
      cost: '0',
      average: null,
      perTicket: null,
    })
    expect(result.rows[2].values).toMatchObject({ tickets: 2, cost: '3000', average: '1500' })
  })

  it('fills between the first and last period with records when the range is open', () => {
    const rows = [...march, { ...march[0], k0: '2026-06-01' }]
    const result = shapeReport(compileReport(env, trend, {}), rows)
    expect(result.rows.map((r) => r.values.month)).toEqual([
      'Mar 2026',
      'Apr 2026',
      'May 2026',
      'Jun 2026',
    ])
    expect(result.truncated).toBe(false)
  })

  it('names the currency of its money measures, a money ratio taking its numerator’s', () => {
    const result = shapeReport(compileReport(env, trend, {}), march)
    const currency = Object.fromEntries(result.columns.map((c) => [c.id, c.currency]))
    expect(currency).toEqual({
      month: undefined,
      tickets: undefined,
      cost: 'KRW',
      average: 'KRW',
      perTicket: 'KRW',
    })
  })
})
