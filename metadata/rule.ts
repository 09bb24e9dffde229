import { toSchemaDocument } from './schema-document'

/**
 * A json-logic rule. Kept structural (any JSON) on purpose: the rules engine
 * (`runtime/rules`) checks operators, depth and size when a definition is saved.
 */
export type Rule = boolean | number | string | null | Rule[] | { [operator: string]: Rule }

/** Schema of a rule: any JSON value. Size and depth are checked by `validateRuleSize`. */
export const ruleSchema = {
  description: 'A json-logic rule: any JSON value (operators are checked by the rules engine).',
} as const

/** Standalone schema document of `Rule`. */
export const ruleJsonSchema = toSchemaDocument('rule', 'json-logic rule', ruleSchema)
