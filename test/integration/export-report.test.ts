import ExcelJS from 'exceljs'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '../../metadata/report'
import type { Role } from '../../metadata/role'
import { fixedClock } from '../../runtime/clock'
import { createUser } from '../../runtime/identity'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { parseCsv } from '../support/parse-csv'
import { REPORT_NOW, reportBundle, seedReportWorld } from '../support/report-world'

const label = (en: string) => ({ en, 'zh-CN': `${en}（中）`, ko: `${en}(한)` })

const REPORTS: Report[] = [
  {
    id: 'by-stage',
    label: label('Deals by stage'),
    entity: 'deal',
    dimensions: [{ id: 'stage', field: 'stage' }],
    measures: [
      { id: 'deals', aggregate: 'count', label: label('Deals') },
      { id: 'amount', aggregate: 'sum', field: 'amount', label: label('Amount') },
    ],
    parameters: [{ id: 'period', type: 'dateRange', field: 'closeOn', label: label('Period') }],
  },
  {
    id: 'secret-margin',
    label: label('Margins'),
    entity: 'deal',
    measures: [{ id: 'margin', aggregate: 'sum', field: 'secret' }],
  },
  {
    id: 'stage-funnel',
    label: label('Funnel'),
    entity: 'deal',
    shape: 'funnel',
    dimensions: [{ id: 'stage', field: 'stage' }],
    measures: [{ id: 'deals', aggregate: 'count' }],
    funnel: {
      dimension: 'stage',
      stages: ['lead', 'qualified', 'proposal', 'won'],
      measure: 'deals',
    },
  },
]

/** Reps read and export their own deals, never `secret`; readers only read them. */
const ROLES: Role[] = [
  {
    id: 'clerk',
    label: label('Rep'),
    grants: [
      { entity: 'deal', scopes: { read: 'own', export: 'own' }, fields: { secret: 'none' } },
      { entity: 'account', scopes: { read: 'all' } },
    ],
  },
  { id: 'reader', label: label('Reader'), grants: [{ entity: 'deal', scopes: { read: 'all' } }] },
]

type Run = { columns: { id: string; label: string }[]; rows: { values: Record<string, unknown> }[] }

describe.each(testTargets())('report export on $name', (target) => {
  let f: AppFixture
  let readerToken: string

  const get = (path: string, token: string, locale = 'en') =>
    f.call('GET', path, { token, headers: { 'x-trellis-locale': locale } })
  /** The run's table as the export should write it: labels, then each row's values as text. */
  const runTable = async (path: string, token: string, locale = 'en') => {
    const run = (await (await get(path, token, locale)).json()) as Run
    return [
      run.columns.map((c) => c.label),
      ...run.rows.map((r) => run.columns.map((c) => String(r.values[c.id] ?? ''))),
    ]
  }

  beforeAll(async () => {
    f = await openAppFixture(target, {
      bundle: { ...reportBundle(REPORTS), roles: ROLES },
      clock: fixedClock(REPORT_NOW),
    })
    const id = async (token: string) =>
      ((await (await f.call('GET', '/api/auth/session', { token })).json()) as any).user.id
    await seedReportWorld(f.db, await id(f.clerkToken), await id(f.adminToken))
    const reader = await createUser(
      { db: f.db },
      { username: 'reader', password: 'reader-password-1', displayName: 'Reader' },
    )
    await f.db.query(sql`insert into user_roles (user_id, role_id) values (${reader.id}, 'reader')`)
    const login = await f.call('POST', '/api/auth/login', {
      body: { username: 'reader', password: 'reader-password-1' },
    })
    readerToken = ((await login.json()) as { token: string }).token
  })
  afterAll(async () => f?.close())

  it('writes the run as CSV with the same parameters, rows and labels, in the caller’s scope', async () => {
    for (const [token, locale] of [
      [f.adminToken, 'en'],
      [f.clerkToken, 'zh-CN'],
      [f.clerkToken, 'ko'],
    ]) {
      const query = 'period=2025-01-01..2025-12-31'
      const res = await get(`/api/reports/by-stage/export?${query}&format=csv`, token, locale)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
      const csv = parseCsv(await res.text())
      expect(csv).toEqual(await runTable(`/api/reports/by-stage/run?${query}`, token, locale))
      if (locale === 'zh-CN') expect(csv[0]).toEqual(['Stage（中）', 'Deals（中）', 'Amount（中）'])
      // Named after the report in the caller's language (RFC 5987 for any script).
      const name = /filename\*=UTF-8''(.+)$/.exec(res.headers.get('content-disposition') ?? '')
      expect(decodeURIComponent(name?.[1] ?? '')).toBe(
        `${csv[0][0].replace('Stage', 'Deals by stage')}.csv`,
      )
    }
    // The rep's export holds fewer deals than the admin's: the run's read scope.
    const sum = (t: string[][]) => t.slice(1).reduce((s, r) => s + Number(r[1]), 0)
    const admin = parseCsv(await (await get('/api/reports/by-stage/export', f.adminToken)).text())
    const rep = parseCsv(await (await get('/api/reports/by-stage/export', f.clerkToken)).text())
    expect(sum(rep)).toBeLessThan(sum(admin))
  })

  it('writes the same table as XLSX, counts and sums as numbers', async () => {
    const res = await get('/api/reports/by-stage/export?format=xlsx', f.adminToken)
    expect(res.status).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await res.arrayBuffer())
    const rows: unknown[][] = []
    book.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)))
    const want = await runTable('/api/reports/by-stage/run', f.adminToken)
    expect(rows.map((r) => want[0].map((_, i) => String(r[i] ?? '')))).toEqual(want)
    expect(typeof rows[1][1]).toBe('number')
    expect(book.worksheets[0].name).toBe('Deals by stage')
  })

  it('adds a funnel’s totals as a last row', async () => {
    const csv = parseCsv(await (await get('/api/reports/stage-funnel/export', f.adminToken)).text())
    const last = csv[csv.length - 1]
    expect(last[0]).toBe('Total')
    expect(
      Number(last[csv[0].indexOf('Deals') >= 0 ? csv[0].indexOf('Deals') : 1]),
    ).toBeGreaterThan(0)
  })

  it('refuses a hidden field (403), a caller without the export right (403) and a bad format (400)', async () => {
    const hidden = await get('/api/reports/secret-margin/export', f.clerkToken)
    expect(hidden.status).toBe(403)
    const run = await get('/api/reports/secret-margin/run', f.clerkToken)
    expect(run.status).toBe(403)
    const reader = await get('/api/reports/by-stage/export', readerToken)
    expect(reader.status).toBe(403)
    expect(JSON.stringify(await reader.json())).toContain("'export'")
    expect((await get('/api/reports/by-stage/run', readerToken)).status).toBe(200)
    const bad = await get('/api/reports/by-stage/export?format=pdf', f.adminToken)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { details: [{ path: 'format' }] } })
    const unknown = await get('/api/reports/by-stage/export?nope=1', f.adminToken)
    expect(unknown.status).toBe(400)
    expect((await get('/api/reports/missing/export', f.adminToken)).status).toBe(404)
  })
})
