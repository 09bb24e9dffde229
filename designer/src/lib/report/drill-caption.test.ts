import { describe, expect, it } from 'vitest'
import type { ReportColumn, ReportResult } from '$lib/api/reports'
import { toDrillCaption } from './drill-caption'

const dim = (id: string): ReportColumn => ({ id, label: id, kind: 'dimension' })
const measure = (id: string, extra: Partial<ReportColumn> = {}): ReportColumn => ({
  id,
  label: id,
  kind: 'measure',
  valueKind: 'integer',
  ...extra,
})

describe('the caption of a drilled cell', () => {
  it('names the row groups of a summary cell as the report shows them', () => {
    const result: ReportResult = {
      id: 'sales',
      label: 'Sales by rep and month',
      shape: 'summary',
      columns: [dim('owner'), dim('month'), measure('amount')],
      rows: [
        {
          keys: { owner: 'u1', month: '2026-04' },
          values: { owner: 'Evan East', month: 'Apr 2026', amount: 3 },
        },
        {
          keys: { owner: null, month: '2026-05' },
          values: { owner: null, month: 'May 2026', amount: 1 },
        },
      ],
      truncated: false,
    }
    expect(toDrillCaption(result, { owner: 'u1', month: '2026-04' }, '(empty)')).toBe(
      'Evan East · Apr 2026',
    )
    expect(toDrillCaption(result, { owner: null, month: '2026-05' }, '(empty)')).toBe(
      '(empty) · May 2026',
    )
    expect(toDrillCaption(result, {}, '(empty)')).toBe('')
  })

  it('adds a pivot column or an aging bucket by its label', () => {
    const result: ReportResult = {
      id: 'aging',
      label: 'Aging',
      shape: 'summary',
      columns: [
        dim('customer'),
        measure('amount'),
        measure('$aging1', { keys: { $aging: '1' }, label: '31–60' }),
      ],
      rows: [{ keys: { customer: 'c1' }, values: { customer: 'Acme', amount: 5, $aging1: 5 } }],
      truncated: false,
    }
    expect(toDrillCaption(result, { customer: 'c1', $aging: '1' }, '—')).toBe('Acme · 31–60')
  })
})
