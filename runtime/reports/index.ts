/**
 * Reports: a published report compiled to one SQL statement in the caller's read scope and field
 * rules (`compileReport`, pure), run and shaped for the API (`runReport`), drilled down to the
 * records of a cell (`drillReport`) and listed for the caller (`listReports`).
 */
export { compileReport, type CompiledReport } from './compile-report'
export { reportEnv, type ReportEnv } from './report-env'
export {
  drillReport,
  listReports,
  requireReport,
  runReport,
  type DrillInput,
  type ReportSummary,
} from './run-report'
export type { ReportCell } from './drill-report'
export type { ReportColumn, ReportResult, ReportRow, ReportValue } from './shape-report'
