// The metadata language: types, JSON Schemas and pure validators. No I/O.
export * from './labels'
export * from './rule'
export * from './field'
export * from './entity'
export * from './form'
export * from './view'
export * from './package'
export * from './flow'
export * from './alert'
export * from './role'
export * from './report'
export * from './dashboard'
export * from './pool'
export * from './template'
export * from './calendar'
export * from './sla'
export * from './extension'
export * from './schemas'
export * from './schema-check'
export * from './schema-document'
export * from './id-patterns'
export * from './issue'
export * from './json-path'
export * from './rule-limits'
export * from './system-fields'
export * from './bundle'
export { validateDefinition } from './validate'
export { validateReferences } from './references'
export { validateEntity } from './entity-checks'
export { validateField } from './field-checks'
export { validateForm, formFieldsOf } from './form-checks'
export { validateView, sortFieldsOf } from './view-checks'
export { validatePackage } from './package-checks'
export { validateAlert } from './alert-checks'
export { validateAlertReferences } from './alert-references'
export { validatePool } from './pool-checks'
export { validatePoolReferences, type PoolIndexes } from './pool-references'
export { validateCalendar, toDayMinute } from './calendar-checks'
export { validateSla, toMinutes } from './sla-checks'
export { validateSlaReferences, resolveMatchField } from './sla-references'
export { validateFlow, walkApprovalNodes } from './flow-checks'
export { validateReport } from './report-checks'
export { validateDashboard } from './dashboard-checks'
export { validateExtension } from './extension-checks'
export { validateExtensionReferences } from './extension-references'
export { extendForm, extendForms, orderExtensions } from './extend-forms'
export { validateDashboardReferences, validateOneDefaultDashboard } from './dashboard-references'
export { validatePrintTemplate, toMillimetres } from './template-checks'
export {
  validatePrintTemplateReferences,
  TEMPLATE_DATA_KEYS,
  RAW_KEY,
  REF_KEY,
} from './template-references'
export { TEMPLATE_HELPERS } from './template-ast'
export { validateReportLayout } from './report-layout-checks'
export { validateReportReferences, ruleVarNames } from './report-references'
export {
  resolveReportPath,
  isDateType,
  isNumericType,
  UNREPORTABLE_TYPES,
  type ReportPathEnd,
  type ResolvedReportPath,
} from './report-paths'
export {
  validateFlowReferences,
  validateOneFlowPerEntity,
  type FlowIndexes,
} from './flow-references'
