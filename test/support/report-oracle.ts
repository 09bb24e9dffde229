import type { Report, ReportMeasure } from '../../metadata/report'
import type { Rule } from '../../metadata/rule'
import { evaluateRule, isTruthy } from '../../runtime/rules'
import { REPORT_NOW, type World, type WorldDeal, type WorldItem } from './report-world'

/*
 * The report oracle: every figure of a report over the report world, computed in plain
 * TypeScript from the records kept in memory (json-logic through json-logic-js, decimals as
 * BigInt millionths, calendar buckets by hand). It shares nothing with the SQL compiler.
 */

/** One report row: a deal, and with a child-table path one of its items. */
export interface OracleRow {
  deal: WorldDeal
  item: WorldItem | null
}

export type Expected = string | number | null

const SCALE = 1000000n
const DECIMAL_PATHS: Record<string, bigint> = {
  amount: 10000n,
  rate: 1000n,
  'items.price': 10000n,
}
const INTEGER_PATHS = new Set(['qty', 'items.qty'])
const DATE_PATHS = new Set(['closeOn'])
const DATETIME_PATHS = new Set(['closedAt'])

const pad = (n: number) => String(n).padStart(2, '0')
const dayString = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d))
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

/** The first day of the bucket a day falls in, worked out by hand. */
export function oracleBucket(day: string, bucket: string, fiscalStart: number): string {
  const [y, m, d] = day.split('-').map(Number)
  switch (bucket) {
    case 'day':
      return day
    case 'week': {
      const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7
      return dayString(y, m, d - weekday)
    }
    case 'month':
      return dayString(y, m, 1)
    case 'quarter':
      return dayString(y, Math.floor((m - 1) / 3) * 3 + 1, 1)
    case 'year':
      return dayString(y, 1, 1)
    case 'fiscalQuarter': {
      const k = (m - fiscalStart + 12) % 12
      const start = ((fiscalStart - 1 + k - (k % 3)) % 12) + 1
      return dayString(start <= m ? y : y - 1, start, 1)
    }
    default:
      return dayString(m >= fiscalStart ? y : y - 1, fiscalStart, 1)
  }
}

/** A path's raw value on a row: ids, option values, days, instants, or scaled BigInt. */
export function pathValue(world: World, row: OracleRow, path: string): string | bigint | null {
  const { deal, item } = row
  if (path.startsWith('items.')) {
    const v = item ? item[path.slice(6) as keyof WorldItem] : null
    if (v === null) return null
    return path === 'items.category' ? String(v) : BigInt(v) * (DECIMAL_PATHS[path] ?? SCALE)
  }
  if (path === 'account.region')
    return world.accounts.find((a) => a.id === deal.account)?.region ?? null
  if (path === 'id') return deal.id
  const v = deal[path as keyof WorldDeal] as string | number | null
  if (v === null || v === undefined) return null
  if (typeof v === 'number') return BigInt(v) * (DECIMAL_PATHS[path] ?? SCALE)
  return v
}

/** The deal as json-logic sees it (API values) with `$user`. */
export function recordData(deal: WorldDeal, user: { id: string }): Record<string, unknown> {
  return {
    ...deal,
    amount: deal.amount === null ? null : { amount: deal.amount / 100, currency: 'CNY' },
    rate: deal.rate === null ? null : deal.rate / 1000,
    $user: { id: user.id, roles: [], departmentId: null, managerId: null },
  }
}

export const holds = (rule: Rule, deal: WorldDeal, user: { id: string }) =>
  isTruthy(evaluateRule(rule, recordData(deal, user), { now: REPORT_NOW }))

/** A scaled BigInt as the API spells a decimal. */
export function toDecimal(v: bigint): string {
  const neg = v < 0n
  const abs = neg ? -v : v
  const int = abs / SCALE
  const frac = String(abs % SCALE)
    .padStart(6, '0')
    .replace(/0+$/, '')
  const text = frac ? `${int}.${frac}` : String(int)
  return neg && text !== '0' ? `-${text}` : text
}

/** Division rounded half away from zero to millionths. */
function divide(num: bigint, den: bigint): bigint {
  const neg = num < 0n !== den < 0n
  const a = (num < 0n ? -num : num) * SCALE
  const b = den < 0n ? -den : den
  const q = (a * 2n + b) / (2n * b)
  return neg ? -q : q
}

/** A value as scaled BigInt for arithmetic (numbers and decimal strings). */
export function toScaled(v: Expected): bigint | null {
  if (v === null) return null
  if (typeof v === 'number') return BigInt(Math.round(v * 1e6))
  const [int, frac = ''] = v.replace('-', '').split('.')
  const scaled = BigInt(int) * SCALE + BigInt((frac + '000000').slice(0, 6))
  return v.startsWith('-') ? -scaled : scaled
}

/** What a dimension reads on a row (its key as the API answers it). */
export function dimensionKey(
  world: World,
  report: Report,
  id: string,
  row: OracleRow,
): string | null {
  const dim = report.dimensions!.find((d) => d.id === id)!
  const v = pathValue(world, row, dim.field)
  if (v === null) return null
  if (typeof v === 'bigint') return toDecimal(v)
  const day = DATETIME_PATHS.has(dim.field) ? v.slice(0, 10) : v
  return dim.bucket ? oracleBucket(day, dim.bucket, report.fiscalYearStart ?? 1) : day
}

function aggregate(
  world: World,
  report: Report,
  m: ReportMeasure,
  rows: OracleRow[],
  user: { id: string },
): Expected {
  if (!('aggregate' in m)) throw new Error('not an aggregate')
  const kept = m.filter ? rows.filter((r) => holds(m.filter!, r.deal, user)) : rows
  if (m.aggregate === 'count' && !m.field) return kept.length
  const values = kept.map((r) => pathValue(world, r, m.field!)).filter((v) => v !== null) as (
    string | bigint
  )[]
  if (m.aggregate === 'count') return values.length
  if (m.aggregate === 'countDistinct') return new Set(values.map(String)).size
  if (!values.length) return null
  const isInt = INTEGER_PATHS.has(m.field!)
  const out = (v: bigint): Expected => (isInt ? Number(v / SCALE) : toDecimal(v))
  if (m.aggregate === 'sum') return out((values as bigint[]).reduce((a, b) => a + b, 0n))
  if (m.aggregate === 'avg')
    return toDecimal(
      divide(
        (values as bigint[]).reduce((a, b) => a + b, 0n),
        BigInt(values.length) * SCALE,
      ),
    )
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const pick = m.aggregate === 'min' ? sorted[0] : sorted[sorted.length - 1]
  if (typeof pick === 'bigint') return out(pick)
  return DATETIME_PATHS.has(m.field!) || DATE_PATHS.has(m.field!) ? pick : pick
}

/**
 * The value of measure `id` over `rows` (running totals need the groups around: `runningOver`).
 */
export function measureValue(
  world: World,
  report: Report,
  id: string,
  rows: OracleRow[],
  user: { id: string },
): Expected {
  const m = report.measures.find((x) => x.id === id)!
  if ('ratio' in m) {
    const [num, den] = m.ratio.map((r) => toScaled(measureValue(world, report, r, rows, user)))
    if (num === null || den === null || den === 0n) return null
    return Number(divide(num, den)) / 1e6
  }
  if ('runningTotal' in m) throw new Error('running totals need runningValue')
  return aggregate(world, report, m, rows, user)
}

/** The kind of value a measure answers, to spell a running total like its measure. */
function isIntegerMeasure(report: Report, id: string): boolean {
  const m = report.measures.find((x) => x.id === id)!
  if (!('aggregate' in m)) return false
  return (
    m.aggregate === 'count' || m.aggregate === 'countDistinct' || INTEGER_PATHS.has(m.field ?? '')
  )
}

/**
 * A running total at a group: the target over every group with the same other keys whose date
 * key comes no later (empty date keys last).
 */
export function runningValue(
  world: World,
  report: Report,
  id: string,
  groupKeys: Record<string, string | null>,
  allRows: OracleRow[],
  user: { id: string },
): Expected {
  const m = report.measures.find((x) => x.id === id)!
  if (!('runningTotal' in m)) throw new Error('not a running total')
  const dateDim = report.dimensions!.find(
    (d) => DATE_PATHS.has(d.field) || DATETIME_PATHS.has(d.field),
  )!
  const at = groupKeys[dateDim.id]
  const rows = allRows.filter((r) =>
    report.dimensions!.every((d) => {
      const key = dimensionKey(world, report, d.id, r)
      if (d.id !== dateDim.id) return key === groupKeys[d.id]
      return at === null ? true : key !== null && key <= at
    }),
  )
  const total = toScaled(measureValue(world, report, m.runningTotal, rows, user))
  if (total === null) return null
  return isIntegerMeasure(report, m.runningTotal) ? Number(total / SCALE) : toDecimal(total)
}
