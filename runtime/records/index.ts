/**
 * Records: create / read / update / delete / list for any entity, interpreting the published
 * metadata over the entity tables in schema `app`.
 */
export { createRecord } from './create-record'
export { copyRecord } from './copy-record'
export { checkRecordInput } from './check-record-input'
export { deleteRecord } from './delete-record'
export { getRecord } from './get-record'
export { previewRecord } from './preview-record'
export { listRecords, COUNT_CAP, type ListInput, type ListResult } from './list-records'
export { getRecordHistory, type HistoryEntry } from './record-history'
export { updateRecord } from './update-record'
export { dedupExpression, normalizeForDedup } from '../schema/dedup-expression'
export { entityPlan, type EntityPlan } from './entity-plan'
export { rulePredicate as dedupRulePredicate, findDuplicates } from './find-duplicates'
export { isSystemKey, type RecordData } from './record-data'
export { buildKeysetPredicate, buildOrderBy, isNotNullColumn, type OrderKey } from './keyset'
export { fieldSchema, hasValueSchema } from './field-schema'
export { STORABLE_JSON } from './storable-formats'
export {
  findReusableRecord,
  lockRecordForFlow,
  lockRecordToFire,
  readForTransitions,
  toCallerView,
  prepareFlowUpdate,
} from './flow-write'
export { requireExpectedVersion } from './expected-version'
export { toPgTextArray } from './field-values'
