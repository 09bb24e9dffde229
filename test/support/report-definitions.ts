import {
  DATE_BUCKETS,
  type DateBucket,
  type Report,
  type ReportDimension,
  type ReportMeasure,
} from '../../metadata/report'
import type { Rule } from '../../metadata/rule'
import type { Rng } from './fuzz-random'
import { STAGES } from './report-world'

/*
 * Random report definitions over the report world, each one the validator accepts: dimensions,
 * measures of every kind, filters with $user and relative dates, parameters, sort and top N, in
 * the summary, pivot, funnel and aging shapes.
 */

const BUCKETS: readonly DateBucket[] = DATE_BUCKETS

const FILTERS: Rule[] = [
  { '==': [{ var: 'stage' }, 'won'] },
  { in: [{ var: 'stage' }, ['proposal', 'won', 'lost']] },
  { '>': [{ var: 'qty' }, 20] },
  { '>=': [{ var: 'amount.amount' }, 20000] },
  { '>=': [{ var: 'closeOn' }, { date_add: [{ today: [] }, -180, 'day'] }] },
  { '==': [{ var: 'owner' }, { var: '$user.id' }] },
  { '!=': [{ var: 'account' }, null] },
]

/** Named periods and explicit ranges a date-range parameter may get. */
export const NAMED_RANGES = [
  'thisYear',
  'lastYear',
  'last90Days',
  'lastMonth',
  'thisQuarter',
  'thisFiscalYear',
] as const

function dimensionPool(rng: Rng, child: boolean): ReportDimension[] {
  const pool: ReportDimension[] = [
    { id: 'stage', field: 'stage' },
    { id: 'rep', field: 'owner' },
    { id: 'account', field: 'account' },
    { id: 'region', field: 'account.region' },
    { id: 'closeMonth', field: 'closeOn', bucket: rng.pick(BUCKETS) },
    { id: 'closedPeriod', field: 'closedAt', bucket: rng.pick(BUCKETS) },
  ]
  if (child) pool.push({ id: 'category', field: 'items.category' })
  return pool
}

function measurePool(rng: Rng, child: boolean): ReportMeasure[] {
  const own = child ? ['items.qty', 'items.price'] : ['amount', 'qty', 'rate']
  const field = () => rng.pick(own)
  const pool: ReportMeasure[] = [
    { id: 'rows', aggregate: 'count' },
    { id: 'withClose', aggregate: 'count', field: 'closeOn' },
    { id: 'accounts', aggregate: 'countDistinct', field: rng.pick(['account', 'owner', 'id']) },
    { id: 'total', aggregate: 'sum', field: field() },
    { id: 'mean', aggregate: 'avg', field: field() },
    {
      id: 'low',
      aggregate: rng.pick(['min', 'max'] as const),
      field: rng.pick([...own, 'closeOn', 'closedAt']),
    },
    { id: 'won', aggregate: 'count', filter: { '==': [{ var: 'stage' }, 'won'] } },
    { id: 'bigSum', aggregate: 'sum', field: field(), filter: rng.pick(FILTERS) },
  ]
  return pool
}

function pickSome<T>(rng: Rng, items: T[], min: number, max: number): T[] {
  const pool = [...items]
  const out: T[] = []
  const n = rng.int(min, Math.min(max, pool.length))
  while (out.length < n) out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0])
  return out
}

function parameters(rng: Rng, users: string[]): NonNullable<Report['parameters']> {
  const out: NonNullable<Report['parameters']> = []
  if (rng.chance(0.5))
    out.push({
      id: 'period',
      type: 'dateRange',
      field: rng.pick(['closeOn', 'closedAt']),
      label: { en: 'Period' },
    })
  if (rng.chance(0.3))
    out.push({ id: 'stages', type: 'select', field: 'stage', label: { en: 'Stages' } })
  if (rng.chance(0.3))
    out.push({
      id: 'rep',
      type: 'user',
      field: 'owner',
      label: { en: 'Rep' },
      ...(rng.chance(0.5) ? { default: '$user' as const } : {}),
    })
  void users
  return out
}

/** The query values a run passes for the parameters (some left to their default). */
export function parameterValues(rng: Rng, report: Report, users: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of report.parameters ?? []) {
    if (rng.chance(0.25)) continue
    if (p.type === 'dateRange') {
      out[p.id] = rng.chance(0.5)
        ? rng.pick(NAMED_RANGES)
        : `${rng.chance(0.8) ? `2025-${String(rng.int(1, 12)).padStart(2, '0')}-01` : ''}..${rng.chance(0.8) ? `2026-${String(rng.int(1, 12)).padStart(2, '0')}-15` : ''}`
    }
    if (p.type === 'select') out[p.id] = pickSome(rng, [...STAGES], 1, 3).join(',')
    if (p.type === 'user') out[p.id] = rng.pick(users)
  }
  return out
}

function layout(
  rng: Rng,
  report: Report,
  pool: ReportDimension[],
  measures: ReportMeasure[],
): Report {
  const shape = rng.pick([
    'summary',
    'summary',
    'pivot',
    'pivot',
    'funnel',
    'aging',
    'trend',
  ] as const)
  const dims = shape === 'pivot' ? pickSome(rng, pool, 2, 2) : (report.dimensions ?? [])
  const aggregates = measures.filter((m) => 'aggregate' in m)
  if (shape === 'trend') {
    const date = rng.pick(pool.filter((d) => d.bucket))
    const ids = measures.map((m) => m.id)
    return { ...report, shape, dimensions: [date], trend: { dimension: date.id, measures: ids } }
  }
  if (shape === 'pivot')
    return {
      ...report,
      shape,
      dimensions: dims,
      pivot: {
        rows: [dims[0].id],
        columns: [dims[1].id],
        ...(rng.chance(0.2) ? { totals: false } : {}),
      },
    }
  if (shape === 'funnel')
    return {
      ...report,
      shape,
      dimensions: [{ id: 'stage', field: 'stage' }],
      funnel: {
        dimension: 'stage',
        measure: rng.pick(aggregates).id,
        ...(rng.chance(0.5) ? { stages: ['lead', 'qualified', 'proposal', 'won'] } : {}),
      },
    }
  if (shape === 'aging')
    return {
      ...report,
      shape,
      aging: {
        field: 'closeOn',
        buckets: rng.pick([[30, 60, 90], [100, 300], [7]]),
        measure: rng.pick(aggregates).id,
      },
    }
  const sortable = measures.filter((m) => !('runningTotal' in m))
  if (!rng.chance(0.5)) return report
  return {
    ...report,
    sort: [{ by: rng.pick(sortable).id, desc: rng.chance(0.7) }],
    limit: rng.int(1, 6),
  }
}

/** One random report definition, valid for the report world. */
export function randomReport(rng: Rng, n: number, users: string[]): Report {
  const child = rng.chance(0.3)
  const pool = dimensionPool(rng, child)
  let dims = pickSome(rng, pool, 0, 2)
  if (child && !dims.some((d) => d.field.startsWith('items.')) && rng.chance(0.5))
    dims = [...dims.slice(0, 1), { id: 'category', field: 'items.category' }]
  const measures = pickSome(rng, measurePool(rng, child), 1, 4)
  // A ratio of numbers only: min / max may be of a date.
  const aggregateIds = measures.filter((m) => 'aggregate' in m && m.id !== 'low').map((m) => m.id)
  if (aggregateIds.length >= 2 && rng.chance(0.5))
    measures.push({
      id: 'share',
      ratio: [aggregateIds[0], aggregateIds[1]],
      label: { en: 'Share' },
    })
  const countOrSum = measures.filter(
    (m) => 'aggregate' in m && (m.aggregate === 'count' || m.aggregate === 'sum'),
  )
  let report: Report = {
    id: `random-${n}`,
    label: { en: `Random ${n}` },
    entity: 'deal',
    dimensions: dims,
    measures,
    ...(rng.chance(0.4) ? { filter: rng.pick(FILTERS) } : {}),
    parameters: parameters(rng, users),
  }
  report = layout(rng, report, pool, measures)
  const summary = (report.shape ?? 'summary') === 'summary' || report.shape === 'trend'
  if (
    summary &&
    countOrSum.length &&
    !report.dimensions?.some((d) => d.bucket) &&
    rng.chance(0.6)
  ) {
    const date = pool.find((d) => d.bucket)!
    report.dimensions = [...(report.dimensions ?? []).slice(0, 1), date]
    if (report.sort && !report.measures.some((m) => m.id === report.sort![0].by)) delete report.sort
  }
  const dated = (report.dimensions ?? []).some((d) => d.bucket)
  if (dated && countOrSum.length && summary && rng.chance(0.9))
    report.measures = [
      ...report.measures,
      { id: 'soFar', runningTotal: countOrSum[0].id, label: { en: 'So far' } },
    ]
  if (report.shape === 'funnel')
    report.measures = report.measures.filter((m) => !('runningTotal' in m))
  const range = report.parameters?.find((p) => p.type === 'dateRange')
  if (range && rng.chance(0.4))
    Object.assign(range, { default: rng.pick(['thisFiscalYear', 'lastFiscalYear', 'last90Days']) })
  const fiscal =
    (report.dimensions ?? []).some((d) => d.bucket?.startsWith('fiscal')) ||
    /Fiscal/.test(String((range as { default?: string } | undefined)?.default ?? ''))
  if (fiscal && rng.chance(0.7)) report.fiscalYearStart = rng.int(2, 12)
  if (!report.parameters?.length) delete report.parameters
  if (!report.dimensions?.length) delete report.dimensions
  return report
}
