import { describe, expect, it } from 'vitest'
import type { ReportResult } from '$lib/api/reports'
import { toChartData } from './chart-data'
import { NO_OPTION_COLOR, PALETTE } from './series-colors'
import { changeRatio, formatKpiValue, formatReportValue, toChangeTone, toKpiValue } from './report-values'

describe('a report value as a reader sees it', () => {
  it('shows exact decimals in the locale, ratios as percents, money with two places', () => {
    expect(formatReportValue({ valueKind: 'decimal' }, '28900.879999999997', 'en')).toBe(
      '28,900.88',
    )
    expect(formatReportValue({ valueKind: 'ratio' }, 0.428571, 'zh-CN')).toBe('42.9%')
    expect(formatReportValue({ format: 'money', valueKind: 'decimal' }, '1289400.5', 'ko')).toBe(
      '1,289,400.50',
    )
    expect(formatReportValue({ valueKind: 'integer' }, 40, 'en')).toBe('40')
    expect(formatReportValue({ valueKind: 'integer' }, null, 'en')).toBe('')
  })

  it('shows money in the currency the report names, a money ratio as money', () => {
    const yuan = { format: 'money' as const, valueKind: 'decimal' as const, currency: 'CNY' }
    expect(formatReportValue(yuan, '1289400.5', 'en')).toBe('CN¥1,289,400.50')
    expect(formatReportValue({ ...yuan, currency: 'KRW' }, '15000', 'ko')).toBe('₩15,000')
    const perLead = { format: 'money' as const, valueKind: 'ratio' as const, currency: 'CNY' }
    expect(formatReportValue(perLead, 1234.567891, 'zh-CN')).toBe('¥1,234.57')
    expect(formatReportValue({ format: 'number', valueKind: 'ratio' }, 3.25, 'en')).toBe('3.25')
  })

  it('gives a KPI over no records 0 for a sum or count and no value for a share', () => {
    const money = { valueKind: 'decimal' as const, format: 'money' as const, currency: 'CNY' }
    expect(formatReportValue(money, toKpiValue(money, null), 'en')).toBe('CN¥0.00')
    expect(toKpiValue({ valueKind: 'integer' }, null)).toBe(0)
    expect(toKpiValue({ valueKind: 'ratio', format: 'percent' }, null)).toBeNull()
    expect(toKpiValue({ valueKind: 'ratio' }, 0)).toBe(0)
    expect(changeRatio(toKpiValue(money, null), '93217.19')).toBe(-1)
  })

  it('measures a change against the period before, none from zero', () => {
    expect(changeRatio(15, 10)).toBe(0.5)
    expect(changeRatio('5', '10')).toBe(-0.5)
    expect(changeRatio(3, 0)).toBeNull()
  })

  it('reads a drop as good news where lower is better, a rise as good where higher is', () => {
    expect(toChangeTone(0.25)).toBe('good')
    expect(toChangeTone(-0.25)).toBe('bad')
    expect(toChangeTone(-0.25, 'lower')).toBe('good')
    expect(toChangeTone(0.25, 'lower')).toBe('bad')
    expect(toChangeTone(0, 'lower')).toBeNull()
    expect(toChangeTone(null, 'higher')).toBeNull()
  })
})

const measure = (id: string, extra = {}) => ({ id, label: id, kind: 'measure' as const, ...extra })
const dim = (id: string) => ({ id, label: id, kind: 'dimension' as const })

describe('a KPI figure on its card', () => {
  it('reads a long figure in compact notation, keeping the full one for the tooltip', () => {
    const money = { format: 'money', valueKind: 'decimal', currency: 'CNY' } as const
    expect(formatKpiValue(money, '28284267.2', 'en')).toEqual({
      text: 'CN¥28.28M',
      full: 'CN¥28,284,267.20',
    })
    expect(formatKpiValue(money, '28284267.2', 'zh-CN').text).toBe('¥2828万')
    expect(formatKpiValue(money, '28284267.2', 'ko').text).toBe('CN¥2828만')
    expect(formatKpiValue({ valueKind: 'integer' }, 123456789, 'en').text).toBe('123.5M')
  })

  it('leaves a short figure, a share and a date as they are', () => {
    expect(formatKpiValue({ valueKind: 'integer' }, 40, 'en')).toEqual({ text: '40', full: '40' })
    expect(formatKpiValue({ valueKind: 'ratio' }, 0.4286, 'en').text).toBe('42.9%')
    expect(formatKpiValue({ valueKind: 'date' }, '2026-03-10', 'en').text).toBe('2026-03-10')
  })
})

describe('the chart of a report', () => {
  it('plots the series along x with the cell of every point', () => {
    const result: ReportResult = {
      id: 'r',
      label: 'R',
      shape: 'summary',
      chart: { type: 'bar', x: 'stage', series: ['amount'] },
      columns: [dim('stage'), measure('deals'), measure('amount', { valueKind: 'decimal' })],
      rows: [
        { keys: { stage: 'won' }, values: { stage: 'Won', deals: 2, amount: '10.5' } },
        { keys: { stage: null }, values: { stage: null, deals: 1, amount: null } },
      ],
      truncated: false,
    }
    const data = toChartData(result, '(empty)')!
    expect(data.labels).toEqual(['Won', '(empty)'])
    expect(data.datasets.map((d) => d.label)).toEqual(['amount'])
    expect(data.datasets[0].data).toEqual([10.5, null])
    expect(data.datasets[0].cells).toEqual([{ stage: 'won' }, { stage: null }])
  })

  it('stacks a second dimension and aging buckets, and draws no pivot', () => {
    const lost: ReportResult = {
      id: 'lost',
      label: 'Lost',
      shape: 'summary',
      chart: { type: 'bar', x: 'reason', series: ['amount'], stacked: true },
      columns: [dim('reason'), dim('rival'), measure('amount')],
      rows: [
        { keys: { reason: 'p', rival: 'a' }, values: { reason: 'Price', rival: 'A', amount: 3 } },
        { keys: { reason: 'p', rival: 'b' }, values: { reason: 'Price', rival: 'B', amount: 4 } },
        { keys: { reason: 'f', rival: 'a' }, values: { reason: 'Fit', rival: 'A', amount: 5 } },
      ],
      truncated: false,
    }
    const data = toChartData(lost, '—')!
    expect(data.labels).toEqual(['Price', 'Fit'])
    expect(data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['A', [3, 5]],
      ['B', [4, null]],
    ])
    expect(data.datasets[1].cells[0]).toEqual({ reason: 'p', rival: 'b' })
    const aging: ReportResult = {
      ...lost,
      shape: 'aging',
      columns: [
        dim('reason'),
        measure('amount'),
        measure('$aging0', { keys: { $aging: '0' }, label: '0–30' }),
      ],
      rows: [{ keys: { reason: 'p' }, values: { reason: 'Price', amount: 3, $aging0: '3' } }],
    }
    const buckets = toChartData(aging, '—')!
    expect(buckets.datasets.map((d) => [d.label, d.data, d.cells])).toEqual([
      ['0–30', [3], [{ reason: 'p', $aging: '0' }]],
    ])
    expect(toChartData({ ...lost, chart: { type: 'pivot' } }, '—')).toBeNull()
  })

  it('plots one measure series, legend hidden, when the second dimension is empty on every row', () => {
    const row = (reason: string, label: string, amount: number, rival: string | null = null) => ({
      keys: { reason, rival: rival?.toLowerCase() ?? null },
      values: { reason: label, rival, amount },
    })
    const lost: ReportResult = {
      id: 'lost',
      label: 'Lost',
      shape: 'summary',
      chart: { type: 'bar', x: 'reason', series: ['amount'], stacked: true },
      columns: [dim('reason'), dim('rival'), { ...measure('amount'), label: 'Amount lost' }],
      rows: [row('p', 'Price', 3), row('f', 'Fit', 5)],
      truncated: false,
    }
    const data = toChartData(lost, '(empty)')!
    expect(data.labels).toEqual(['Price', 'Fit'])
    expect(data.datasets.map((d) => [d.label, d.data])).toEqual([['Amount lost', [3, 5]]])
    expect(data.datasets[0].cells[1]).toEqual({ reason: 'f', rival: null })
    expect(data.legend).toBe(false)
    // A named value beside the empty ones splits the bars, and the legend names each.
    const acme = row('p', 'Price', 4, 'Acme')
    const split = toChartData({ ...lost, rows: [...lost.rows, acme] }, '(empty)')!
    expect(split.datasets.map((d) => [d.label, d.data])).toEqual([
      ['(empty)', [3, 5]],
      ['Acme', [4, null]],
    ])
    expect(split.legend).toBe(true)
  })

  it('draws a bar per group key, never merging two groups that read alike', () => {
    const row = (id: string, name: string, cat: string, amount: number) => ({
      keys: { product: id, category: cat },
      values: { product: name, category: cat, amount },
    })
    const top: ReportResult = {
      id: 'top',
      label: 'Top',
      shape: 'summary',
      chart: { type: 'bar', x: 'product', series: ['amount'] },
      columns: [dim('product'), dim('category'), measure('amount')],
      rows: [row('p1', 'Router', 'hw', 9), row('p2', 'Router', 'hw', 7), row('p3', 'Suite', 'sw', 5)],
      truncated: false,
    }
    const data = toChartData(top, '—')!
    expect(data.labels).toEqual(['Router', 'Router', 'Suite'])
    expect(data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['hw', [9, 7, null]],
      ['sw', [null, null, 5]],
    ])
    expect(data.datasets[0].cells[1]).toEqual({ product: 'p2', category: 'hw' })
  })

  it('plots every named series, not one split by the second dimension', () => {
    const row = (id: string, type: string, budget: number, won: number) => ({
      keys: { campaign: id, type },
      values: { campaign: id.toUpperCase(), type, budget, wonAmount: won },
    })
    const campaigns: ReportResult = {
      id: 'c',
      label: 'C',
      shape: 'summary',
      chart: { type: 'bar', x: 'campaign', series: ['budget', 'wonAmount'] },
      columns: [dim('campaign'), dim('type'), measure('budget'), measure('wonAmount')],
      rows: [row('a', 'fair', 10, 40), row('b', 'online', 20, 0)],
      truncated: false,
    }
    const data = toChartData(campaigns, '—')!
    expect(data.labels).toEqual(['A', 'B'])
    expect(data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['budget', [10, 20]],
      ['wonAmount', [40, 0]],
    ])
    expect(data.legend).toBe(true)
  })
})

describe('the series of a select dimension', () => {
  const PRIORITY = [
    { value: 'low', label: 'Low', color: 'gray' },
    { value: 'normal', label: 'Normal' },
    { value: 'high', label: 'High', color: '#ea580c' },
    { value: 'urgent', label: 'Urgent', color: 'red' },
  ]
  const row = (month: string, priority: string | null, n: number) => ({
    keys: { month, priority },
    values: { month, priority: PRIORITY.find((o) => o.value === priority)?.label ?? null, n },
  })
  const sla = (rows: ReportResult['rows']): ReportResult => ({
    id: 'ticket-sla',
    label: 'SLA',
    shape: 'trend',
    chart: { type: 'bar', x: 'month', series: ['n'], stacked: true },
    columns: [dim('month'), { ...dim('priority'), options: PRIORITY }, measure('n')],
    rows,
    truncated: false,
  })

  it('follows the options’ order and wears their colours, whatever order the rows came in', () => {
    const rows = [row('Sep', 'urgent', 1), row('Sep', 'low', 2), row('Oct', 'high', 3)]
    const data = toChartData(sla([...rows, row('Oct', null, 1)]), '(none)')!
    expect(data.datasets.map((d) => [d.label, d.color])).toEqual([
      ['Low', '#6b7280'],
      ['High', '#ea580c'],
      ['Urgent', '#dc2626'],
      ['(none)', NO_OPTION_COLOR],
    ])
    // The same priority keeps its colour when another month has other priorities.
    const other = toChartData(sla([row('Nov', 'normal', 1), row('Nov', 'urgent', 4)]), '—')!
    expect(other.datasets.map((d) => [d.label, d.color])).toEqual([
      ['Normal', PALETTE[1]],
      ['Urgent', '#dc2626'],
    ])
  })

  it('colours the slices of a pie by the options of its x', () => {
    const pie = { ...sla([row('Sep', 'urgent', 1), row('Sep', 'normal', 2)]) }
    pie.chart = { type: 'pie', x: 'priority', series: ['n'] }
    pie.columns = [{ ...dim('priority'), options: PRIORITY }, measure('n')]
    expect(toChartData(pie, '—')!.labelColors).toEqual(['#dc2626', PALETTE[1]])
  })
})

describe('the value axis of a chart', () => {
  const byMonth = (columns: ReportResult['columns']): ReportResult => ({
    id: 'r',
    label: 'R',
    shape: 'trend',
    chart: { type: 'bar', x: 'month' },
    columns: [dim('month'), ...columns],
    rows: [{ keys: { month: '2026-11' }, values: { month: 'Nov', a: 1, b: 2 } }],
    truncated: false,
  })

  it('steps in whole numbers when every series counts (records, distinct values)', () => {
    const counts = byMonth([
      measure('a', { valueKind: 'integer' }),
      measure('b', { valueKind: 'integer' }),
    ])
    expect(toChartData(counts, '—')!.wholeNumbers).toBe(true)
    // A period with no rows yet: no dataset to judge, the columns still say what is counted.
    const none = {
      ...counts,
      columns: [dim('month'), dim('priority'), counts.columns[1]],
      rows: [],
    }
    expect(toChartData(none, '—')!.wholeNumbers).toBe(true)
  })

  it('keeps fractions when a series is an amount, an average or a share', () => {
    for (const kind of ['decimal', 'ratio'] as const) {
      const mixed = byMonth([
        measure('a', { valueKind: 'integer' }),
        measure('b', { valueKind: kind }),
      ])
      expect(toChartData(mixed, '—')!.wholeNumbers).toBe(false)
    }
  })
})
