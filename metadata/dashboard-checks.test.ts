import { describe, expect, it } from 'vitest'
import type { Dashboard } from './dashboard'
import { validateReferences } from './references'
import type { Report } from './report'
import { reportBundle, winRateReport } from './report-fixtures'
import type { Role } from './role'
import { validateDefinition } from './validate'

/** The win-rate report with a closing date range and a bar chart. */
function closingReport(): Report {
  return {
    ...winRateReport(),
    parameters: [
      { id: 'closing', type: 'dateRange', field: 'expectedCloseDate', label: { en: 'Closing' } },
    ],
    chart: { type: 'bar', x: 'rep' },
  }
}

function managerHome(change?: (d: Dashboard) => void): Dashboard {
  const dashboard: Dashboard = {
    id: 'manager-home',
    label: { en: 'Team', 'zh-CN': '团队', ko: '팀' },
    roles: ['salesManager'],
    widgets: [
      {
        id: 'won',
        kind: 'kpi',
        report: 'win-rate',
        measure: 'wonAmount',
        compare: 'previousPeriod',
      },
      { id: 'byRep', kind: 'report', report: 'win-rate', show: 'chart', width: 8, height: 2 },
      { id: 'tasks', kind: 'inbox', limit: 5 },
      { id: 'news', kind: 'notifications' },
    ],
  }
  change?.(dashboard)
  return dashboard
}

const role = (id: string): Role => ({ id, label: { en: id }, grants: [] })
const check = (d: Dashboard) => validateDefinition('dashboard', d)
const references = (...dashboards: Dashboard[]) =>
  validateReferences({
    ...reportBundle(closingReport()),
    roles: [role('salesManager'), role('salesRep')],
    dashboards,
  })

describe('a dashboard definition', () => {
  it('accepts report, KPI, inbox and notification widgets for a role', () => {
    expect(check(managerHome())).toEqual([])
    expect(references(managerHome())).toEqual([])
  })

  it('refuses an unknown widget kind at its path', () => {
    const issues = check(managerHome((d) => (d.widgets[2].kind = 'weather' as never)))
    expect(issues.map((i) => i.path)).toContain('widgets[2].kind')
  })

  it('refuses widget ids used twice and settings of another kind', () => {
    const issues = check(
      managerHome((d) => {
        d.widgets[3].id = 'tasks'
        d.widgets[2].report = 'win-rate'
        d.widgets[1].measure = 'deals'
      }),
    )
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'widgets[3].id' }),
        expect.objectContaining({ path: 'widgets[2].report' }),
        expect.objectContaining({ path: 'widgets[1].measure' }),
      ]),
    )
  })

  it('requires the report of a report widget and the measure of a KPI', () => {
    const issues = check(
      managerHome((d) => {
        delete d.widgets[0].measure
        delete d.widgets[1].report
      }),
    )
    expect(issues.map((i) => i.path).sort()).toEqual(['widgets[0].measure', 'widgets[1].report'])
  })

  it('refuses a dashboard for no role that is not the default', () => {
    expect(check(managerHome((d) => delete d.roles)).map((i) => i.path)).toEqual(['roles'])
    expect(check(managerHome((d) => ((d.roles = []), (d.default = true))))).toEqual([])
  })

  it('takes which way a KPI is better, and refuses another word or a widget that is no KPI', () => {
    expect(check(managerHome((d) => (d.widgets[0].better = 'lower')))).toEqual([])
    const wrong = check(managerHome((d) => (d.widgets[0].better = 'less' as never)))
    expect(wrong).toEqual([
      { path: 'widgets[0].better', message: expect.stringMatching(/higher.*lower/) },
    ])
    const onReport = check(managerHome((d) => (d.widgets[1].better = 'lower')))
    expect(onReport).toEqual([
      { path: 'widgets[1].better', message: 'is not a setting of a report widget' },
    ])
  })

  it('refuses a width beyond the grid', () => {
    const issues = check(managerHome((d) => (d.widgets[1].width = 13)))
    expect(issues.map((i) => i.path)).toEqual(['widgets[1].width'])
  })
})

describe('a dashboard against its bundle', () => {
  it('names an unknown report, role, measure and parameter at their paths', () => {
    const issues = references(
      managerHome((d) => {
        d.roles = ['salesManager', 'astronaut']
        d.widgets[0].measure = 'profit'
        d.widgets[1].report = 'nowhere'
        d.widgets[0].parameters = { closing: 'thisMonth', region: 'east' }
      }),
    )
    expect(issues).toEqual([
      { path: 'dashboards[manager-home].roles[1]', message: "no role 'astronaut'" },
      {
        path: 'dashboards[manager-home].widgets[0].parameters.region',
        message: "no parameter 'region' in 'win-rate'",
      },
      {
        path: 'dashboards[manager-home].widgets[0].measure',
        message: "no measure 'profit' in report 'win-rate'",
      },
      { path: 'dashboards[manager-home].widgets[1].report', message: "no report 'nowhere'" },
    ])
  })

  it('refuses a comparison over a report without a date range, and a chart it does not have', () => {
    const bare: Report = { ...winRateReport(), id: 'bare' }
    const issues = validateReferences({
      ...reportBundle(bare),
      dashboards: [
        managerHome((d) => {
          d.widgets[0].report = 'bare'
          d.widgets[1].report = 'bare'
        }),
      ],
    })
    expect(issues.map((i) => i.path)).toEqual([
      'dashboards[manager-home].widgets[0].compare',
      'dashboards[manager-home].widgets[1].show',
    ])
  })

  it('refuses a KPI of a running total and a second default', () => {
    const report = closingReport()
    report.measures.push({ id: 'soFar', runningTotal: 'deals', label: { en: 'So far' } })
    const fallback = (id: string): Dashboard => ({
      id,
      label: { en: id },
      default: true,
      widgets: [{ id: 'tasks', kind: 'inbox' }],
    })
    const issues = validateReferences({
      ...reportBundle(report),
      dashboards: [
        managerHome((d) => (d.widgets[0].measure = 'soFar')),
        fallback('home'),
        fallback('home-2'),
      ],
    })
    expect(issues.map((i) => i.path)).toEqual([
      'dashboards[manager-home].widgets[0].measure',
      'dashboards[home-2].default',
    ])
  })
})
