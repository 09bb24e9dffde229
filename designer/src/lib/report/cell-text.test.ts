import { describe, expect, it } from 'vitest'
import type { ReportResult } from '$lib/api/reports'
import { toCellText } from './cell-text'

const words = { empty: '(none)', total: '合计' }
const visits: Pick<ReportResult, 'columns'> = {
  columns: [
    { id: 'rep', label: '销售', kind: 'dimension' },
    { id: 'month', label: '月份', kind: 'dimension' },
    { id: 'n', label: '合计', kind: 'measure', valueKind: 'integer' },
  ],
}
const [rep, month, n] = visits.columns

describe('a cell of a report table', () => {
  it('names a total row once, in its first dimension column', () => {
    const total = { keys: {}, values: { rep: null, month: null, n: 7 }, total: true }
    expect([rep, month, n].map((c) => toCellText(visits, total, c, words, 'zh-CN'))).toEqual([
      '合计',
      '',
      '7',
    ])
  })

  it('reads an empty group as empty and a measure in the locale', () => {
    const row = { keys: {}, values: { rep: 'Evan East', month: null, n: 1200 } }
    expect([rep, month, n].map((c) => toCellText(visits, row, c, words, 'en'))).toEqual([
      'Evan East',
      '(none)',
      '1,200',
    ])
  })
})
