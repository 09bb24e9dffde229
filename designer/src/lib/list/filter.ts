import type { Field } from '$metadata/field'
import type { Rule } from '$metadata/rule'

export const OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'empty',
  'notEmpty',
] as const
export type Operator = (typeof OPERATORS)[number]

/** One row of the filter builder. */
export interface Condition {
  field: string
  op: Operator
  value: string
}

const COMPARE: Partial<Record<Operator, string>> = {
  eq: '==',
  ne: '!=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
}

const NUMERIC = new Set(['integer', 'decimal', 'percent', 'money'])
const PICKED = new Set(['user', 'department', 'reference'])
const UNFILTERABLE = new Set(['childTable', 'json', 'attachment', 'attachments', 'richText'])

/** Fields a user may filter a list on. */
export function isFilterable(field: Field): boolean {
  return !UNFILTERABLE.has(field.type)
}

/** Operators that make sense for a field's type. */
export function operatorsFor(field: Field | undefined): Operator[] {
  if (!field) return ['eq']
  if (NUMERIC.has(field.type) || field.type === 'date' || field.type === 'datetime') {
    return ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty']
  }
  if (field.type === 'boolean' || field.type === 'select') return ['eq', 'ne', 'empty', 'notEmpty']
  // Ids are picked by name, never typed or matched in part.
  if (PICKED.has(field.type)) return ['eq', 'ne', 'empty', 'notEmpty']
  if (field.type === 'multiSelect') return ['contains', 'empty', 'notEmpty']
  return ['eq', 'ne', 'contains', 'empty', 'notEmpty']
}

/** Whether an operator needs a value input. */
export function takesValue(op: Operator): boolean {
  return op !== 'empty' && op !== 'notEmpty'
}

/**
 * Turns the builder's rows into one json-logic rule (null when there is nothing to filter).
 *
 * @example
 * toFilterRule([{ field: 'level', op: 'eq', value: 'A' }], 'and', fields)
 * // → { '==': [{ var: 'level' }, 'A'] }
 */
export function toFilterRule(
  conditions: Condition[],
  join: 'and' | 'or',
  fields: Field[],
): Rule | null {
  const byName = new Map(fields.map((f) => [f.name, f]))
  const rules = conditions
    .filter((c) => c.field && (!takesValue(c.op) || c.value.trim() !== ''))
    .map((c) => toConditionRule(c, byName.get(c.field)))
  if (rules.length === 0) return null
  if (rules.length === 1) return rules[0]
  return { [join]: rules }
}

function toConditionRule(c: Condition, field: Field | undefined): Rule {
  const ref = { var: c.field }
  if (c.op === 'empty') return { '==': [ref, null] }
  if (c.op === 'notEmpty') return { '!=': [ref, null] }
  const value = toValue(c.value, field)
  if (c.op === 'contains') return { in: [value, ref] }
  return { [COMPARE[c.op] ?? '==']: [ref, value] }
}

function toValue(raw: string, field: Field | undefined): Rule {
  const text = raw.trim()
  if (field && NUMERIC.has(field.type)) {
    const n = Number(text)
    return Number.isFinite(n) ? n : text
  }
  if (field?.type === 'boolean') return text === 'true'
  return text
}
