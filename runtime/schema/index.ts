export {
  buildSchemaPlan,
  type ExecutablePlan,
  type ExecutableStep,
  type ExistingObjects,
  type PlanStepView,
  type SchemaPlan,
  type StepKind,
} from './plan'
export { applySchemaPlan } from './apply-plan'
export { checkPhysicalNames } from './physical-names'
export { tableRef, buildIndexSpecs, constraintName } from './ddl'
export { columnType } from './column-types'
export * from './naming'
export { dedupExpression, isTextLike, normalizeForDedup } from './dedup-expression'
export {
  autoNumberSequenceName,
  isSequentialAutoNumber,
  listAppSequences,
} from './auto-number-sequences'
export { listExistingObjects, repairSequences } from './repair-schema'
export {
  buildMissingIndexes,
  listMissingIndexes,
  type BuildIndexesOptions,
} from './build-missing-indexes'
