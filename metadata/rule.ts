/**
 * A json-logic rule. Kept structural (any JSON) on purpose: the rules engine
 * (`runtime/rules`) checks operators, depth and size when a definition is saved.
 */
export type Rule = boolean | number | string | null | Rule[] | { [operator: string]: Rule }
