import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '../../metadata/report'
import { fixedClock } from '../../runtime/clock'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { REPORT_NOW, reportBundle, seedReportWorld, type World } from '../support/report-world'

const label = (en: string) => ({ en })

const REPORTS: Report[] = [
  {
    id: 'by-stage',
    label: { en: 'Deals by stage', 'zh-CN': '按阶段' },
    entity: 'deal',
    dimensions: [{ id: 'stage', field: 'stage' }],
    measures: [
      { id: 'deals', aggregate: 'count' },
      { id: 'amount', aggregate: 'sum', field: 'amount' },
      { id: 'won', aggregate: 'count', filter: { '==': [{ var: 'stage' }, 'won'] } },
      { id: 'share', ratio: ['won', 'deals'], label: label('Won share') },
    ],
    parameters: [
      { id: 'period', type: 'dateRange', field: 'closeOn', label: label('Period') },
      { id: 'stages', type: 'select', field: 'stage', label: label('Stages') },
      { id: 'rep', type: 'user', field: 'owner', label: label('Rep') },
    ],
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
  {
    id: 'close-aging',
    label: label('Aging'),
    entity: 'deal',
    shape: 'aging',
    dimensions: [{ id: 'rep', field: 'owner' }],
    measures: [{ id: 'amount', aggregate: 'sum', field: 'amount' }],
    aging: { field: 'closeOn', buckets: [30, 60, 90], measure: 'amount' },
  },
  {
    id: 'rep-region',
    label: label('Rep × region'),
    entity: 'deal',
    shape: 'pivot',
    dimensions: [
      { id: 'rep', field: 'owner' },
      { id: 'region', field: 'account.region' },
    ],
    measures: [{ id: 'deals', aggregate: 'count' }],
    pivot: { rows: ['rep'], columns: ['region'] },
  },
]

/** Deals the oracle sees a caller read: all for the admin, own ones for a rep. */
const dealsOf = (world: World, userId: string | null) =>
  world.deals.filter((d) => userId === null || d.owner === userId)

describe.each(testTargets())('report run and drill-down API on $name', (target) => {
  let f: AppFixture
  let world: World
  let clerkId: string
  const get = async (path: string, token: string) => {
    const res = await f.call('GET', path, { token })
    return { status: res.status, body: (await res.json()) as Record<string, any> }
  }

  beforeAll(async () => {
    f = await openAppFixture(target, {
      bundle: reportBundle(REPORTS),
      clock: fixedClock(REPORT_NOW),
    })
    const ids = await get('/api/auth/session', f.clerkToken)
    clerkId = ids.body.user.id
    const admin = await get('/api/auth/session', f.adminToken)
    world = await seedReportWorld(f.db, clerkId, admin.body.user.id)
  })
  afterAll(async () => f?.close())

  it('counts every deal by stage for an admin, with labels and exact sums', async () => {
    const { status, body } = await get('/api/reports/by-stage/run', f.adminToken)
    expect(status).toBe(200)
    expect(body.columns.map((c: { id: string }) => c.id)).toEqual([
      'stage',
      'deals',
      'amount',
      'won',
      'share',
    ])
    const won = body.rows.find((r: any) => r.keys.stage === 'won')
    const wonDeals = world.deals.filter((d) => d.stage === 'won')
    expect(won.values.stage).toBe('WON')
    expect(won.values.deals).toBe(wonDeals.length)
    const cents = wonDeals.reduce((s, d) => s + (d.amount ?? 0), 0)
    expect(won.values.amount).toBe(
      String(cents / 100).replace(/\.?0+$/, (m) => (m.includes('.') ? '' : m)),
    )
    expect(won.values.share).toBe(1)
    const total = body.rows.reduce((s: number, r: any) => s + r.values.deals, 0)
    expect(total).toBe(world.deals.length)
  })

  it('shows a rep only their own deals in the report and in its drill-down', async () => {
    const own = dealsOf(world, clerkId)
    const { body } = await get('/api/reports/by-stage/run', f.clerkToken)
    expect(body.rows.reduce((s: number, r: any) => s + r.values.deals, 0)).toBe(own.length)
    const drill = await get('/api/reports/by-stage/drill?limit=500', f.clerkToken)
    expect(drill.status).toBe(200)
    expect(new Set(drill.body.data.map((r: { id: string }) => r.id))).toEqual(
      new Set(own.map((d) => d.id)),
    )
    expect(drill.body.data.every((r: Record<string, unknown>) => !('secret' in r))).toBe(true)
  })

  it('drills a cell down to its records, pages like a list and narrows by a measure filter', async () => {
    const cell = encodeURIComponent(JSON.stringify({ stage: 'proposal' }))
    const expected = world.deals.filter((d) => d.stage === 'proposal').map((d) => d.id)
    const first = await get(
      `/api/reports/by-stage/drill?cell=${cell}&limit=2&count=true`,
      f.adminToken,
    )
    expect(first.status).toBe(200)
    expect(first.body.total).toBe(expected.length)
    const seen = first.body.data.map((r: { id: string }) => r.id)
    let cursor = first.body.nextCursor
    while (cursor) {
      const next = await get(
        `/api/reports/by-stage/drill?cell=${cell}&limit=2&cursor=${encodeURIComponent(cursor)}`,
        f.adminToken,
      )
      seen.push(...next.body.data.map((r: { id: string }) => r.id))
      cursor = next.body.nextCursor
    }
    expect(new Set(seen)).toEqual(new Set(expected))
    expect(seen).toHaveLength(expected.length)
    const empty = await get(`/api/reports/by-stage/drill?cell=${cell}&measure=won`, f.adminToken)
    expect(empty.body.data).toEqual([])
  })

  it('narrows by parameters: a date range, select options and a rep', async () => {
    const q = `period=2026-01-01..2026-03-31&stages=won,lost&rep=${clerkId}`
    const { status, body } = await get(`/api/reports/by-stage/run?${q}`, f.adminToken)
    expect(status).toBe(200)
    const expected = world.deals.filter(
      (d) =>
        d.closeOn !== null &&
        d.closeOn >= '2026-01-01' &&
        d.closeOn <= '2026-03-31' &&
        (d.stage === 'won' || d.stage === 'lost') &&
        d.owner === clerkId,
    )
    expect(body.rows.reduce((s: number, r: any) => s + r.values.deals, 0)).toBe(expected.length)
    const named = await get('/api/reports/by-stage/run?period=lastYear', f.adminToken)
    const lastYear = world.deals.filter((d) => d.closeOn?.startsWith('2025'))
    expect(named.body.rows.reduce((s: number, r: any) => s + r.values.deals, 0)).toBe(
      lastYear.length,
    )
  })

  it('refuses a report reading a hidden field with 403 naming it, and leaves it out of the list', async () => {
    const { status, body } = await get('/api/reports/secret-margin/run', f.clerkToken)
    expect(status).toBe(403)
    expect(JSON.stringify(body)).toContain("'secret'")
    const drill = await get('/api/reports/secret-margin/drill', f.clerkToken)
    expect(drill.status).toBe(403)
    const list = await get('/api/reports', f.clerkToken)
    const ids = list.body.data.map((r: { id: string }) => r.id)
    expect(ids).toContain('by-stage')
    expect(ids).not.toContain('secret-margin')
    const all = await get('/api/reports', f.adminToken)
    expect(all.body.data.map((r: { id: string }) => r.id)).toContain('secret-margin')
    const byStage = list.body.data.find((r: { id: string }) => r.id === 'by-stage')
    expect(byStage.parameters[1].options.map((o: { value: string }) => o.value)).toEqual([
      'lead',
      'qualified',
      'proposal',
      'won',
      'lost',
    ])
  })

  it('answers 422 naming a bad parameter, 400 for an unknown one, 404 for an unknown report', async () => {
    for (const [q, name] of [
      ['period=2026-13-01..', 'period'],
      ['period=someday', 'period'],
      ['period=2026-03-01..2026-01-01', 'period'],
      ['stages=won,nope', 'stages'],
      ['rep=not-a-uuid', 'rep'],
    ]) {
      const { status, body } = await get(`/api/reports/by-stage/run?${q}`, f.adminToken)
      expect(status, q).toBe(422)
      expect(body.error.details[0].path).toBe(name)
    }
    expect((await get('/api/reports/by-stage/run?nope=1', f.adminToken)).status).toBe(400)
    expect((await get('/api/reports/nope/run', f.adminToken)).status).toBe(404)
    const badCell = await get('/api/reports/by-stage/drill?cell=%5B1%5D', f.adminToken)
    expect(badCell.status).toBe(422)
    expect(badCell.body.error.details[0].path).toBe('cell')
  })

  it('answers attack strings with 4xx and never a row outside the scope', async () => {
    const own = dealsOf(world, clerkId).length
    const attacks = [
      "won'; drop table app.deal; --",
      "' or 1=1 --",
      '"); select * from users; --',
      '\u202e\ufeffwon',
      'won,' + 'x'.repeat(5000),
      '..;',
      "2026-01-01..2026-01-02' or '1'='1",
      "00000000-0000-0000-0000-000000000000' or true --",
    ]
    for (const attack of attacks) {
      for (const name of ['period', 'stages', 'rep']) {
        const { status, body } = await get(
          `/api/reports/by-stage/run?${name}=${encodeURIComponent(attack)}`,
          f.clerkToken,
        )
        if (status === 200) {
          expect(
            body.rows.reduce((s: number, r: any) => s + r.values.deals, 0),
          ).toBeLessThanOrEqual(own)
        } else {
          expect(status, `${name}=${attack}`).toBeGreaterThanOrEqual(400)
          expect(status).toBeLessThan(500)
        }
      }
      const cell = encodeURIComponent(JSON.stringify({ stage: attack }))
      const drill = await get(`/api/reports/by-stage/drill?cell=${cell}`, f.clerkToken)
      expect(drill.status).toBeLessThan(500)
      if (drill.status === 200) expect(drill.body.data).toEqual([])
    }
    const other = world.users.find((u) => u.displayName === 'Rep B')!.id
    const theirs = await get(`/api/reports/by-stage/run?rep=${other}`, f.clerkToken)
    expect(theirs.body.rows).toEqual([])
  })

  it('lays out a funnel with every stage holding the deals at it or later, and conversions', async () => {
    const { body } = await get('/api/reports/stage-funnel/run', f.adminToken)
    const order = ['lead', 'qualified', 'proposal', 'won']
    const atOrAfter = (i: number) =>
      world.deals.filter((d) => order.slice(i).includes(d.stage ?? '')).length
    expect(body.rows.map((r: any) => r.values.deals)).toEqual(order.map((_, i) => atOrAfter(i)))
    expect(body.rows[1].values.$conversion).toBeCloseTo(atOrAfter(1) / atOrAfter(0), 5)
    expect(body.totals.deals).toBe(world.deals.length)
    const cell = encodeURIComponent(JSON.stringify({ stage: 'proposal' }))
    const drill = await get(`/api/reports/stage-funnel/drill?cell=${cell}&limit=500`, f.adminToken)
    expect(drill.body.data).toHaveLength(atOrAfter(2))
  })

  it('puts amounts into aging buckets of days since the close date', async () => {
    const { body } = await get('/api/reports/close-aging/run', f.adminToken)
    const days = (d: string) => Math.round((Date.parse('2026-06-15') - Date.parse(d)) / 86400000)
    const over90 = world.deals.filter(
      (d) => d.closeOn !== null && days(d.closeOn) > 90 && d.amount !== null,
    )
    const cents = (rows: { values: Record<string, unknown> }[]) =>
      rows.reduce((s, r) => s + Math.round(Number(r.values.$aging3 ?? 0) * 100), 0)
    expect(cents(body.rows)).toBe(over90.reduce((s, d) => s + d.amount!, 0))
    expect(body.columns.find((c: { id: string }) => c.id === '$aging1').label).toBe('31–60')
    const cell = encodeURIComponent(JSON.stringify({ $aging: '3' }))
    const drill = await get(`/api/reports/close-aging/drill?cell=${cell}&limit=500`, f.adminToken)
    expect(drill.body.data).toHaveLength(
      world.deals.filter((d) => d.closeOn !== null && days(d.closeOn) > 90).length,
    )
  })

  it('pivots reps against regions with row, column and grand totals', async () => {
    const { body } = await get('/api/reports/rep-region/run', f.adminToken)
    const grand = body.rows.find((r: any) => r.total)
    expect(grand.values['deals$total']).toBe(world.deals.length)
    const clerkRow = body.rows.find((r: any) => r.keys.rep === clerkId)
    expect(clerkRow.values.rep).toBe('Clerk')
    expect(clerkRow.values['deals$total']).toBe(dealsOf(world, clerkId).length)
    const north = body.columns.find((c: any) => c.keys?.region === 'north')
    const northCount = world.deals.filter(
      (d) =>
        d.owner === clerkId && world.accounts.find((a) => a.id === d.account)?.region === 'north',
    ).length
    expect(clerkRow.values[north.id] ?? 0).toBe(northCount)
  })
})
