import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '../../metadata/report'
import { fixedClock } from '../../runtime/clock'
import { silentLogger, type Ctx } from '../../runtime/context'
import { createMetadataCache } from '../../runtime/registry'
import { drillReport, runReport, type ReportResult } from '../../runtime/reports'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { createRng } from '../support/fuzz-random'
import { parameterValues, randomReport } from '../support/report-definitions'
import {
  dimensionKey,
  holds,
  measureValue,
  oracleBucket,
  runningValue,
  toScaled,
  type Expected,
  type OracleRow,
} from '../support/report-oracle'
import { REPORT_NOW, reportBundle, seedReportWorld, type World } from '../support/report-world'

/*
 * The report compiler against the oracle: 30 random definitions, each run by an administrator
 * and by a rep who reads only their own deals, every cell compared with the figure the oracle
 * computes in TypeScript, and one drill-down per run compared with the oracle's records.
 */

const DEFINITIONS = 30
const rng = createRng(2026, 'report-definitions')
const REPORTS: Report[] = Array.from({ length: DEFINITIONS }, (_, n) => randomReport(rng, n, []))

const DAY = 86400000
const pad = (n: number) => String(n).padStart(2, '0')

/** The days of a named period on 15 June 2026, by hand. */
function namedRange(name: string, fiscalStart: number): [string, string] {
  const fy = 6 >= fiscalStart ? 2026 : 2025
  const fiscal = (y: number): [string, string] => {
    const next = new Date(Date.UTC(y + 1, fiscalStart - 1, 1) - DAY).toISOString().slice(0, 10)
    return [`${y}-${pad(fiscalStart)}-01`, next]
  }
  const ranges: Record<string, [string, string]> = {
    thisYear: ['2026-01-01', '2026-12-31'],
    lastYear: ['2025-01-01', '2025-12-31'],
    last90Days: ['2026-03-18', '2026-06-15'],
    lastMonth: ['2026-05-01', '2026-05-31'],
    thisQuarter: ['2026-04-01', '2026-06-30'],
    thisFiscalYear: fiscal(fy),
    lastFiscalYear: fiscal(fy - 1),
  }
  return ranges[name]
}

/** Whether a row passes the parameters (a value, else the default). */
function passes(report: Report, row: OracleRow, params: Record<string, string>, userId: string) {
  for (const p of report.parameters ?? []) {
    const value = params[p.id] ?? (p.type === 'select' ? p.default?.join(',') : p.default)
    if (value === undefined) continue
    if (p.type === 'dateRange') {
      const [from, to] = value.includes('..')
        ? value.split('..')
        : namedRange(value, report.fiscalYearStart ?? 1)
      const raw = p.field === 'closeOn' ? row.deal.closeOn : row.deal.closedAt
      const day = raw?.slice(0, 10) ?? null
      if ((from || to) && day === null) return false
      if (from && day! < from) return false
      if (to && day! > to) return false
    }
    if (p.type === 'select' && !value.split(',').includes(row.deal.stage ?? '')) return false
    if (p.type === 'user' && row.deal.owner !== (value === '$user' ? userId : value)) return false
  }
  return true
}

/** Every row the report reads for the caller: in scope, child rows if a path enters items. */
function oracleRows(
  world: World,
  report: Report,
  userId: string,
  isAdmin: boolean,
  params: Record<string, string>,
) {
  const child = JSON.stringify(report).includes('"items.')
  const deals = world.deals.filter((d) => isAdmin || d.owner === userId)
  const rows = deals.flatMap((deal): OracleRow[] =>
    child ? deal.items.map((item) => ({ deal, item })) : [{ deal, item: null }],
  )
  return rows.filter(
    (r) =>
      (!report.filter || holds(report.filter, r.deal, { id: userId })) &&
      passes(report, r, params, userId),
  )
}

function agingBucketOf(report: Report, row: OracleRow): number | null {
  const day = row.deal.closeOn
  if (!day) return null
  const days = Math.round((Date.parse('2026-06-15') - Date.parse(day)) / DAY)
  const bounds = report.aging!.buckets
  const b = bounds.findIndex((bound) => days <= bound)
  return b < 0 ? bounds.length : b
}

/** The rows behind a cell's keys (a funnel stage holds its later stages too). */
function cellRows(
  world: World,
  report: Report,
  rows: OracleRow[],
  keys: Record<string, string | null>,
) {
  const stages = report.funnel?.stages ?? ['lead', 'qualified', 'proposal', 'won', 'lost']
  return rows.filter((r) =>
    Object.entries(keys).every(([k, v]) => {
      if (k === '$aging') return agingBucketOf(report, r) === Number(v)
      const key = dimensionKey(world, report, k, r)
      if (report.shape === 'funnel')
        return key !== null && stages.indexOf(key) >= stages.indexOf(v!)
      return key === v
    }),
  )
}

function same(actual: unknown, expected: Expected): boolean {
  if (typeof expected === 'number' && typeof actual === 'number')
    return Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected))
  return actual === expected
}

/** Distinct key tuples of `dims` among the rows. */
function groupsOf(world: World, report: Report, rows: OracleRow[], dims: string[]) {
  const seen = new Map<string, Record<string, string | null>>()
  for (const r of rows) {
    const keys = Object.fromEntries(dims.map((d) => [d, dimensionKey(world, report, d, r)]))
    seen.set(JSON.stringify(keys), keys)
  }
  return seen
}

/** Whether a trend shows every period of its range (in date order, not cut by a limit). */
function isFilledTrend(report: Report): boolean {
  if (!report.trend || report.limit !== undefined) return false
  const sort = report.sort ?? []
  return sort.length === 0 || (sort.length === 1 && sort[0].by === report.trend.dimension)
}

/**
 * The groups a filled trend shows: every bucket from the start of its date-range parameter (or
 * the first group) to its end (or the last group), day by day, for each group of the other
 * dimensions; groups with an empty date as they are.
 */
function filledGroups(
  report: Report,
  params: Record<string, string>,
  groups: Map<string, Record<string, string | null>>,
) {
  const dim = report.dimensions!.find((d) => d.id === report.trend!.dimension)!
  const fiscal = report.fiscalYearStart ?? 1
  const keys = [...groups.values()]
    .map((g) => g[dim.id])
    .filter((k) => k !== null)
    .sort()
  const p = report.parameters?.find((x) => x.type === 'dateRange' && x.field === dim.field)
  const value = p && (params[p.id] ?? (p.default as string | undefined))
  const [from, to] = !value
    ? []
    : value.includes('..')
      ? value.split('..')
      : namedRange(value, fiscal)
  const first = from || keys[0]
  const last = to || keys[keys.length - 1]
  const others = new Map<string, Record<string, string | null>>()
  for (const g of groups.values()) {
    const { [dim.id]: _, ...rest } = g
    others.set(JSON.stringify(rest), rest)
  }
  if (others.size === 0 && report.dimensions!.length === 1) others.set('{}', {})
  const out = new Map([...groups].filter(([, g]) => g[dim.id] === null))
  for (let t = first ? Date.parse(first) : NaN; last && t <= Date.parse(last); t += DAY) {
    const period = oracleBucket(new Date(t).toISOString().slice(0, 10), dim.bucket!, fiscal)
    for (const rest of others.values()) {
      const keys = { ...rest, [dim.id]: period }
      out.set(JSON.stringify(keys), keys)
    }
  }
  return out
}

/** What a measure sorts by: days and instants as text, numbers exactly. */
const sortKey = (v: Expected) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v : toScaled(v)

function checkGroups(
  world: World,
  report: Report,
  rows: OracleRow[],
  result: ReportResult,
  user: { id: string },
  where: string,
  params: Record<string, string>,
) {
  const shape = report.shape ?? 'summary'
  const data = result.rows.filter((r) => !r.total)
  if (shape === 'funnel')
    return expect(data, where).toHaveLength(report.funnel!.stages?.length ?? 5)
  const dims = shape === 'pivot' ? report.pivot!.rows : (report.dimensions ?? []).map((d) => d.id)
  const found = groupsOf(world, report, rows, dims)
  const groups = isFilledTrend(report) ? filledGroups(report, params, found) : found
  const expected = dims.length === 0 ? 1 : groups.size
  if (report.limit === undefined) {
    expect(data.map((r) => JSON.stringify(r.keys)).sort(), where).toEqual(
      dims.length === 0 ? [JSON.stringify({})] : [...groups.keys()].sort(),
    )
    return
  }
  expect(data, where).toHaveLength(Math.min(report.limit, expected))
  const by = report.sort![0]
  const values = (dims.length === 0 ? [{}] : [...groups.values()]).map((keys) =>
    sortKey(measureValue(world, report, by.by, cellRows(world, report, rows, keys), user)),
  )
  const order = (a: bigint | string | null, b: bigint | string | null) => {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1
    const up = a < b ? -1 : a > b ? 1 : 0
    return by.desc ? -up : up
  }
  const top = values.sort(order).slice(0, report.limit)
  expect(
    data.map((r) => sortKey(r.values[by.by] as Expected)),
    where,
  ).toEqual(top)
}

describe.each(testTargets())('report compiler against the oracle on $name', (target) => {
  let f: AppFixture
  let world: World
  let ctxOf: (i: number) => Ctx

  beforeAll(async () => {
    f = await openAppFixture(target, {
      bundle: reportBundle(REPORTS),
      clock: fixedClock(REPORT_NOW),
    })
    const session = async (token: string) =>
      (
        (await (await f.call('GET', '/api/auth/session', { token })).json()) as {
          user: { id: string }
        }
      ).user.id
    world = await seedReportWorld(f.db, await session(f.clerkToken), await session(f.adminToken))
    const meta = await createMetadataCache(f.db).current()
    ctxOf = (i) => ({
      db: f.db,
      user: world.users[i].user,
      clock: fixedClock(REPORT_NOW),
      log: silentLogger,
      meta,
    })
  }, 120000)
  afterAll(async () => f?.close())

  it(`computes every cell of ${DEFINITIONS} random reports as the oracle does, for an admin and a rep`, async () => {
    const runs = createRng(7, 'report-runs')
    const userIds = world.users.map((u) => u.id)
    let cells = 0
    let drills = 0
    for (const report of REPORTS) {
      for (const who of [0, 1]) {
        const ctx = ctxOf(who)
        const user = world.users[who]
        const params = parameterValues(runs, report, userIds)
        const where = `${report.id} as ${user.displayName} with ${JSON.stringify(params)}: ${JSON.stringify(report)}`
        const result = await runReport(ctx, report.id, params)
        const rows = oracleRows(world, report, user.id, who === 0, params)
        checkGroups(world, report, rows, result, { id: user.id }, where, params)
        for (const row of result.rows) {
          for (const column of result.columns) {
            if (column.kind !== 'measure' || column.id === '$conversion') continue
            const keys = { ...row.keys, ...(column.keys ?? {}) }
            const id = column.measure ?? column.id
            const isRunning = report.measures.some((m) => m.id === id && 'runningTotal' in m)
            const cell = cellRows(world, report, rows, keys)
            const measured = isRunning
              ? runningValue(world, report, id, row.keys, rows, { id: user.id })
              : measureValue(world, report, id, cell, { id: user.id })
            // A trend's period without records sums to 0, not to an empty value.
            const isSum = report.measures.some(
              (m) => m.id === id && 'aggregate' in m && m.aggregate === 'sum',
            )
            const filled = isFilledTrend(report) && cell.length === 0 && isSum
            const expected = filled ? (column.valueKind === 'integer' ? 0 : '0') : measured
            expect(
              same(row.values[column.id], expected),
              `${where}\n${column.id} of ${JSON.stringify(keys)}: ${row.values[column.id]} ≠ ${expected}`,
            ).toBe(true)
            cells++
          }
        }
        for (const [id, value] of Object.entries(result.totals ?? {})) {
          if (report.measures.some((m) => m.id === id && 'runningTotal' in m)) continue
          expect(
            same(value, measureValue(world, report, id, rows, { id: user.id })),
            `${where} total ${id}`,
          ).toBe(true)
        }
        // A row's cell, and a cell of the total row under a column with keys (pivot, aging).
        const first = result.rows.find((r) => !r.total)
        const keyed = result.columns.find((c) => c.keys && Object.keys(c.keys).length)
        const last = result.rows[result.rows.length - 1]
        const drillCells = [
          first?.keys,
          keyed && last ? { ...last.keys, ...keyed.keys } : undefined,
        ]
        for (const cell of drillCells.filter((c) => c !== undefined)) {
          const page = await drillReport(ctx, report.id, params, {
            cell: JSON.stringify(cell),
            limit: 500,
          })
          const ids = new Set(cellRows(world, report, rows, cell).map((r) => r.deal.id))
          const drilled = new Set(page.data.map((r) => r.id))
          expect(drilled, `${where} drill ${JSON.stringify(cell)}`).toEqual(ids)
          drills++
        }
      }
    }
    expect(cells).toBeGreaterThan(200)
    expect(drills).toBeGreaterThan(50)
  }, 120000)
})
