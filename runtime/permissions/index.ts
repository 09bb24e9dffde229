/**
 * Permissions: a caller's roles united into per-entity grants, compiled into SQL predicates
 * (scopes, shares, child-follows-parent) and field rules (strip unreadable, refuse unwritable).
 */
export {
  resolveAccess,
  UNRESTRICTED,
  type Access,
  type MergedGrant,
  type ScopeRef,
} from './resolve-access'
export { scopePredicate, canAttempt, type ScopeOptions } from './scope-predicate'
export { ownerColumn, userVars } from './scope-sql'
export { fieldAccess, hiddenFields, stripHidden } from './field-access'
export { fieldWords, type FieldWords } from './field-refusal-texts'
export { entityCapabilities, type EntityCapabilities } from './entity-capabilities'
export {
  assertReadableFilter,
  assertReadableSort,
  assertWritableFields,
  ruleFieldNames,
  sortFieldNames,
  touchesUnwritable,
} from './field-rules'
