/**
 * Rules: json-logic everywhere (forms, validations, formulas, guards, alerts) and its
 * translation to SQL for list filters and scopes. Browser-safe (the designer imports it).
 */
export { evaluateRule, isTruthy, type EvaluateOptions } from './evaluate'
export { assertRuleSafe, MAX_RULE_DEPTH, MAX_RULE_NODES, type RuleSource } from './limits'
export {
  OPERATORS,
  RULE_OPERATORS,
  STANDARD_OPERATORS,
  registerOperators,
  type JsonLogicLike,
  type RuleOperator,
} from './operators'
export { compileFilter, type CompileFilterOptions } from './compile-filter'
export { roundHalfUp } from './exact-arithmetic'
export { compileSort, isSortableField, MAX_SORT_KEYS, type SortKey } from './compile-sort'
export type { ValueType } from './filter-types'
