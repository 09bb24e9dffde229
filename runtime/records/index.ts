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
export { isSystemKey, isUuid, type RecordData } from './record-data'
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
  type CarriedUpdate,
} from './flow-write'
export { requireExpectedVersion } from './expected-version'
export { versionWords, type VersionWords } from './version-texts'
export {
  lacksRight,
  mayNotAny,
  mayNotRecord,
  notARecordId,
  recordNotFound,
  type RefusedAction,
} from './record-refusal-texts'
export { toPgTextArray } from './field-values'
// The parts of a create and an update, for writers of many records at once (import's bulk path).
export { prepareWrite } from './prepare-write'
export { toChanges, storedChanges } from './changes'
export { canUpdateInOneStatement } from './one-statement-update'
export { assertWritableInput, needsFieldCheck, withDefaultOwner } from './record-access'
export { needsLookups } from './lookups'
export { feedsRollups } from './rollups'
export { ruleVars } from './formulas'
export { ruleParts, lockSpace } from './dedup-lock'
export { renderDateTokens } from './auto-number'
export { writeStamp, fieldValues, type Changes, type WriteStamp } from './write-statements'
export { StatementTemplate, type SlotFn } from './statement-template'
export type { StoredField } from './entity-plan'
