import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Dashboard } from '../../metadata/dashboard'
import type { Report } from '../../metadata/report'
import { fixedClock } from '../../runtime/clock'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { REPORT_NOW, reportBundle, seedReportWorld, type World } from '../support/report-world'
import { responseChecker, type Doc } from './openapi-doc-checks'

const label = (en: string) => ({ en, 'zh-CN': `${en}（中）`, ko: `${en}(한)` })

const REPORTS: Report[] = [
  {
    id: 'by-stage',
    label: label('Deals by stage'),
    entity: 'deal',
    dimensions: [{ id: 'stage', field: 'stage' }],
    measures: [
      { id: 'deals', aggregate: 'count' },
      { id: 'amount', aggregate: 'sum', field: 'amount', format: 'money' },
      { id: 'won', aggregate: 'count', filter: { '==': [{ var: 'stage' }, 'won'] } },
      { id: 'winShare', ratio: ['won', 'deals'], label: label('Won share') },
    ],
    parameters: [{ id: 'period', type: 'dateRange', field: 'closeOn', label: label('Period') }],
    chart: { type: 'bar', x: 'stage', series: ['deals'] },
  },
  {
    // The clerk may not read `secret`: a widget over this report is left out for them.
    id: 'secret-margin',
    label: label('Margins'),
    entity: 'deal',
    measures: [{ id: 'margin', aggregate: 'sum', field: 'secret' }],
  },
]

const DASHBOARDS: Dashboard[] = [
  {
    id: 'rep-home',
    label: label('My deals'),
    roles: ['clerk'],
    widgets: [
      {
        id: 'dealsThisHalf',
        kind: 'kpi',
        report: 'by-stage',
        measure: 'deals',
        parameters: { period: '2026-01-01..2026-06-30' },
        compare: 'previousPeriod',
      },
      { id: 'byStage', kind: 'report', report: 'by-stage' },
      { id: 'margins', kind: 'report', report: 'secret-margin', show: 'table' },
      { id: 'marginKpi', kind: 'kpi', report: 'secret-margin', measure: 'margin' },
      { id: 'tasks', kind: 'inbox' },
      { id: 'news', kind: 'notifications', limit: 3 },
    ],
  },
  {
    id: 'everyone',
    label: label('Overview'),
    default: true,
    widgets: [
      { id: 'winShare', kind: 'kpi', report: 'by-stage', measure: 'winShare' },
      { id: 'margins', kind: 'report', report: 'secret-margin' },
    ],
  },
]

/** Deals closing within [from, to] among the deals a caller reads. */
const closing = (deals: World['deals'], from: string, to: string) =>
  deals.filter((d) => d.closeOn !== null && d.closeOn >= from && d.closeOn <= to).length

// The database adds nothing here that the report suites do not cover on both: one is enough.
describe.each(testTargets().slice(0, 1))('the dashboard API on $name', (target) => {
  let f: AppFixture
  let world: World
  let clerkId: string
  let check: ReturnType<typeof responseChecker>
  const get = async (path: string, token: string, headers: Record<string, string> = {}) => {
    const res = await f.call('GET', path, { token, headers })
    const template = path.startsWith('/api/dashboard/kpis/') ? '/api/dashboard/kpis/{widget}' : path
    expect(await check('get', template, res)).toEqual([])
    return { status: res.status, body: (await res.json()) as Record<string, any> }
  }

  beforeAll(async () => {
    f = await openAppFixture(target, {
      bundle: { ...reportBundle(REPORTS), dashboards: DASHBOARDS },
      clock: fixedClock(REPORT_NOW),
    })
    const idOf = async (token: string) => {
      const res = await f.call('GET', '/api/auth/session', { token })
      return ((await res.json()) as { user: { id: string } }).user.id
    }
    clerkId = await idOf(f.clerkToken)
    const adminId = await idOf(f.adminToken)
    world = await seedReportWorld(f.db, clerkId, adminId)
    const doc = (await (
      await f.call('GET', '/api/openapi.json', { token: f.adminToken })
    ).json()) as Doc
    check = responseChecker(doc)
  })
  afterAll(async () => f?.close())

  it('gives a rep their role’s dashboard without the widgets over reports they cannot run', async () => {
    const { status, body } = await get('/api/dashboard', f.clerkToken)
    expect(status).toBe(200)
    expect(body.dashboard.id).toBe('rep-home')
    expect(body.dashboard.label).toBe('My deals')
    expect(body.dashboard.widgets.map((w: { id: string }) => w.id)).toEqual([
      'dealsThisHalf',
      'byStage',
      'tasks',
      'news',
    ])
    const [kpi, chart, tasks, news] = body.dashboard.widgets
    expect(kpi).toMatchObject({ kind: 'kpi', width: 3, height: 1, title: 'Deals by stage' })
    expect(kpi.better).toBe('higher')
    expect(chart).toMatchObject({ kind: 'report', show: 'chart', width: 6, height: 2 })
    expect(chart.report).toMatchObject({ id: 'by-stage', chart: { type: 'bar' } })
    expect(tasks).toMatchObject({ kind: 'inbox', title: 'My pending tasks', limit: 5 })
    expect(news).toMatchObject({ kind: 'notifications', limit: 3 })
  })

  it('answers titles in the caller’s language', async () => {
    const { body } = await get('/api/dashboard', f.clerkToken, { 'x-trellis-locale': 'zh-CN' })
    expect(body.dashboard.label).toBe('My deals（中）')
    expect(body.dashboard.widgets.at(-2).title).toBe('我的待办')
  })

  it('gives a caller whom no dashboard names the default one, with every widget they may run', async () => {
    const { body } = await get('/api/dashboard', f.adminToken)
    expect(body.dashboard.id).toBe('everyone')
    expect(body.dashboard.widgets.map((w: { id: string }) => w.id)).toEqual(['winShare', 'margins'])
    expect(body.dashboard.widgets[1].show).toBe('table')
  })

  it('computes a KPI in the caller’s scope, beside the period before', async () => {
    const own = world.deals.filter((d) => d.owner === clerkId)
    const { status, body } = await get('/api/dashboard/kpis/dealsThisHalf', f.clerkToken)
    expect(status).toBe(200)
    expect(body.value).toBe(closing(own, '2026-01-01', '2026-06-30'))
    expect(body.previous).toEqual({
      period: '2025-07-01..2025-12-31',
      value: closing(own, '2025-07-01', '2025-12-31'),
    })
    expect(body.value).toBeGreaterThan(0)
    expect(body.value).toBeLessThan(closing(world.deals, '2026-01-01', '2026-06-30'))
  })

  it('computes a ratio KPI over every row the report reads', async () => {
    const { body } = await get('/api/dashboard/kpis/winShare', f.adminToken)
    const won = world.deals.filter((d) => d.stage === 'won').length
    expect(body.value).toBeCloseTo(won / world.deals.length, 5)
    expect(body).toMatchObject({ label: 'Won share', format: 'percent', valueKind: 'ratio' })
  })

  it('answers 404 for a KPI that is not on the caller’s dashboard, or left out of it', async () => {
    for (const widget of ['marginKpi', 'byStage', 'nothing']) {
      const { status, body } = await get(`/api/dashboard/kpis/${widget}`, f.clerkToken)
      expect(status, widget).toBe(404)
      expect(body.error.details[0].path).toBe('widget')
    }
  })

  it('refuses a draft KPI whose better is neither higher nor lower, naming the field', async () => {
    const draft = structuredClone(DASHBOARDS[0])
    Object.assign(draft.widgets[0], { better: 'smaller' })
    const res = await f.call('PUT', '/api/meta/dashboards/rep-home', {
      token: f.adminToken,
      body: draft,
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { details: { path: string; message: string }[] } }
    expect(body.error.details).toEqual([
      { path: 'widgets[0].better', message: 'must be one of "higher", "lower"' },
    ])
    Object.assign(draft.widgets[0], { better: 'lower' })
    const fixed = await f.call('PUT', '/api/meta/dashboards/rep-home', {
      token: f.adminToken,
      body: draft,
    })
    expect(fixed.status).toBe(200)
  })

  it('lists the published dashboards with their roles', async () => {
    const published = await get('/api/meta/dashboards', f.adminToken)
    expect(published.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'rep-home', roles: ['clerk'], default: false }),
        expect.objectContaining({ id: 'everyone', roles: [], default: true }),
      ]),
    )
    expect(published.body.data).toHaveLength(2)
  })
})
