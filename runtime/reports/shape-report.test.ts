import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Report } from '../../metadata/report'
import { compileReport } from './compile-report'
import type { ReportEnv } from './report-env'
import { shapeReport } from './shape-report'

const label = (en: string) => ({ en })
const customer: Entity = {
  id: 'customer',
  label: label('Customer'),
  fields: [
    {
      name: 'level',
      type: 'select',
      label: label('Level'),
      options: [
        ...['A', 'B'].map((value) => ({ value, label: label(`Level ${value}`) })),
        { value: 'C', label: label('Level C'), color: 'red' },
      ],
    },
    { name: 'since', type: 'date', label: label('Since') },
  ],
}
const env: ReportEnv = {
  entities: new Map([['customer', customer]]),
  flows: [],
  user: { id: 'u-1', username: 'a', displayName: 'A', locale: 'en', isAdmin: true },
  locale: 'en',
  now: new Date('2026-06-15T10:00:00Z'),
  scopeOf: () => null,
  hiddenOf: () => null,
}
const pivot: Report = {
  id: 'profile',
  label: label('Profile'),
  entity: 'customer',
  shape: 'pivot',
  dimensions: [
    { id: 'month', field: 'since', bucket: 'month' },
    { id: 'level', field: 'level' },
  ],
  measures: [{ id: 'n', aggregate: 'count' }],
  pivot: { rows: ['month'], columns: ['level'], totals: false },
}

describe('a pivot', () => {
  it('lays its columns out in the options’ order, whatever order the groups came in', () => {
    const rows = [
      { k0: '2026-01-01', k1: 'C', m0: '2', g: 0 },
      { k0: '2026-02-01', k1: 'A', m0: '1', g: 0 },
      { k0: '2026-02-01', k1: 'B', m0: '4', g: 0 },
    ]
    const result = shapeReport(compileReport(env, pivot, {}), rows)
    expect(result.columns.map((c) => c.label)).toEqual(['Since', 'Level A', 'Level B', 'Level C'])
    expect(result.rows[0].values).toMatchObject({ month: 'Jan 2026', n$0: 2, n$1: 0, n$2: 0 })
  })

  it('lays date columns out in time order', () => {
    const byMonth = { ...pivot, pivot: { rows: ['level'], columns: ['month'], totals: false } }
    const rows = [
      { k0: '2026-09-01', k1: 'A', m0: '1', g: 0 },
      { k0: '2026-06-01', k1: 'B', m0: '1', g: 0 },
      { k0: '2026-07-01', k1: 'A', m0: '1', g: 0 },
    ]
    const result = shapeReport(compileReport(env, byMonth, {}), rows)
    expect(result.columns.slice(1).map((c) => c.label)).toEqual([
      'Jun 2026',
      'Jul 2026',
      'Sep 2026',
    ])
  })
})

describe('a select dimension', () => {
  it('lists its options in the field’s order with their labels and colours, for charts', () => {
    const summary: Report = { ...pivot, shape: 'summary' }
    delete summary.pivot
    const rows = [
      { k0: '2026-01-01', k1: 'C', m0: '2', g: 0 },
      { k0: '2026-01-01', k1: 'A', m0: '1', g: 0 },
    ]
    const result = shapeReport(compileReport(env, summary, {}), rows)
    expect(result.columns.find((c) => c.id === 'level')?.options).toEqual([
      { value: 'A', label: 'Level A' },
      { value: 'B', label: 'Level B' },
      { value: 'C', label: 'Level C', color: 'red' },
    ])
    expect(result.columns.find((c) => c.id === 'month')?.options).toBeUndefined()
  })
})
