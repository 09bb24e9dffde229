/**
 * Dashboards: the one for the caller (`callerDashboard`, with the widgets they may see) and the
 * number of a KPI widget on it (`dashboardKpi`), in the caller's read scope.
 */
export {
  callerDashboard,
  pickDashboard,
  type CallerDashboard,
  type CallerWidget,
} from './caller-dashboard'
export { dashboardKpi, type KpiValue } from './dashboard-kpi'
export { toPreviousPeriod } from './previous-period'
