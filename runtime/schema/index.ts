export {
  buildSchemaPlan,
  type ExecutablePlan,
  type ExistingObjects,
  type PlanStepView,
  type SchemaPlan,
  type StepKind,
} from './plan'
export { tableRef, buildIndexSpecs, constraintName } from './ddl'
export { columnType } from './column-types'
export * from './naming'
export { dedupExpression, isTextLike, normalizeForDedup } from './dedup-expression'
export {
  autoNumberSequenceName,
  isSequentialAutoNumber,
  listAppSequences,
} from './auto-number-sequences'
export { listExistingObjects, repairSchema } from './repair-schema'
