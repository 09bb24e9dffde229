import { MAX_REPORT_ROWS } from '../../metadata/report'
import { bucketLabel } from './bucket-label'
import { bucketStart, nextBucketStart } from './date-periods'
import type { MeasurePart, ReportParts } from './report-parts'
import type { ReportRow, ReportValue } from './shape-report'

/*
 * A trend shows every period of its range, not only those with records: the rows of the
 * statement are completed with the missing date buckets, for each group of the other dimensions.
 * The range is the date-range parameter on the trend's field when the run has one (each side
 * left open is taken from the rows), else the first to the last period with records.
 */

/** A measure over a period without records: counts and sums 0, the others empty. */
function emptyValue(
  parts: ReportParts,
  m: MeasurePart,
  before: ReportValue | undefined,
): ReportValue {
  const def = m.def as { aggregate?: string; runningTotal?: string }
  const zero = m.kind === 'integer' ? 0 : '0'
  // A running total stays where the period before left it: a count's at 0, a sum's empty.
  if (def.runningTotal !== undefined) {
    if (before !== undefined) return before
    const target = parts.measures.find((x) => x.id === def.runningTotal)
    return emptyValue(parts, target!, undefined) === 0 ? 0 : null
  }
  if (def.aggregate === 'count' || def.aggregate === 'countDistinct') return 0
  if (def.aggregate === 'sum') return zero
  return null
}

/** Whether the rows may be completed: a trend in date order, not cut by `limit` or the cap. */
function isFillable(parts: ReportParts, truncated: boolean): boolean {
  const { report } = parts
  if (!report.trend || report.limit !== undefined || truncated) return false
  const sort = report.sort ?? []
  return sort.length === 0 || (sort.length === 1 && sort[0].by === report.trend.dimension)
}

/**
 * The trend's rows with a row for every missing period of the range, in date order; the second
 * value says whether they had to be cut at the row cap.
 * @example fillTrend(parts, rows, false) // months without tickets read 0 tickets
 */
export function fillTrend(
  parts: ReportParts,
  rows: ReportRow[],
  truncated: boolean,
): { rows: ReportRow[]; truncated: boolean } {
  if (!isFillable(parts, truncated)) return { rows, truncated }
  const trend = parts.report.trend!
  const dim = parts.dims.find((d) => d.id === trend.dimension)!
  const bucket = dim.bucket!
  const keys = rows.map((r) => r.keys[dim.id]).filter((k): k is string => k !== null)
  const range = parts.ranges.get(dim.path) ?? {}
  const from =
    range.from ?? keys.reduce<string | undefined>((a, k) => (a && a < k ? a : k), undefined)
  const to = range.to ?? keys.reduce<string | undefined>((a, k) => (a && a > k ? a : k), undefined)
  if (!from || !to) return { rows, truncated }
  const periods: string[] = []
  for (
    let p = bucketStart(from, bucket, parts.fiscalStart);
    p <= to;
    p = nextBucketStart(p, bucket)
  )
    if (periods.push(p) > MAX_REPORT_ROWS) break
  // The other dimensions' groups, in the order the statement gave them.
  const groups = new Map<string, ReportRow>()
  const byKey = new Map<string, ReportRow>()
  for (const row of rows) {
    const { [dim.id]: period, ...others } = row.keys
    const group = JSON.stringify(others)
    if (!groups.has(group)) groups.set(group, row)
    byKey.set(`${group}\u0000${period}`, row)
  }
  if (groups.size === 0 && parts.dims.length === 1) groups.set('{}', { keys: {}, values: {} })
  const byPeriod: ReportRow[][] = []
  const lastOf = new Map<string, ReportRow>()
  for (const period of periods) {
    const at: ReportRow[] = []
    for (const [group, sample] of groups) {
      const row =
        byKey.get(`${group}\u0000${period}`) ?? filledRow(parts, sample, period, lastOf.get(group))
      lastOf.set(group, row)
      at.push(row)
    }
    byPeriod.push(at)
  }
  if (parts.report.sort?.[0]?.desc) byPeriod.reverse()
  // Rows the range leaves out (an empty date) keep their place after the periods.
  const periodSet = new Set(periods)
  const out = [...byPeriod.flat(), ...rows.filter((r) => !periodSet.has(String(r.keys[dim.id])))]
  return out.length > MAX_REPORT_ROWS
    ? { rows: out.slice(0, MAX_REPORT_ROWS), truncated: true }
    : { rows: out, truncated }
}

/** A row for a period without records, the other dimensions' keys and labels of `sample`. */
function filledRow(
  parts: ReportParts,
  sample: ReportRow,
  first: string,
  before: ReportRow | undefined,
): ReportRow {
  const dim = parts.dims.find((d) => d.id === parts.report.trend!.dimension)!
  const row: ReportRow = {
    keys: { ...sample.keys, [dim.id]: first },
    values: {
      ...sample.values,
      [dim.id]: bucketLabel(first, dim.bucket!, parts.fiscalStart, parts.env.locale),
    },
  }
  for (const m of parts.measures) row.values[m.id] = emptyValue(parts, m, before?.values[m.id])
  return row
}
