import { sql } from 'drizzle-orm'
import { isTruthy } from './evaluate'
import { rejectFilter } from './filter-errors'
import type { ExprNode, FilterNode, FilterScope, PredNode } from './filter-types'

/** Constant true / false conditions. */
export const TRUE: PredNode = { kind: 'pred', sql: sql`true`, nullable: false }
export const FALSE: PredNode = { kind: 'pred', sql: sql`false`, nullable: false }

/**
 * json-logic truthiness of a node as an SQL condition: '' / 0 / null / [] are false. The result
 * may be NULL exactly where JavaScript says false (see PredNode).
 */
export function toPredicate(scope: FilterScope, node: FilterNode): PredNode {
  if (node.kind === 'pred') return node
  if (node.kind === 'literal') return isTruthy(node.value) ? TRUE : FALSE
  const e = node.sql
  switch (node.type) {
    case 'bool':
      return { kind: 'pred', sql: e, nullable: node.nullable }
    case 'number':
      // NaN is falsy in JavaScript too, but numeric NaN <> 0 in SQL: number columns never hold NaN.
      return { kind: 'pred', sql: sql`${e} <> 0`, nullable: node.nullable }
    case 'text':
      return { kind: 'pred', sql: sql`${e} <> ''`, nullable: node.nullable }
    case 'textArray':
      return { kind: 'pred', sql: sql`cardinality(${e}) > 0`, nullable: node.nullable }
    case 'date':
    case 'datetime':
    case 'uuid':
    case 'money':
      return node.nullable ? { kind: 'pred', sql: sql`${e} is not null`, nullable: false } : TRUE
    default:
      return rejectFilter(scope, `${node.label} has no truth value`)
  }
}

/** The condition with NULL read as false, safe to negate or to compare. */
export function twoValued(pred: PredNode): PredNode {
  return pred.nullable
    ? { kind: 'pred', sql: sql`coalesce(${pred.sql}, false)`, nullable: false }
    : pred
}

/** `!x`: NOT of the two-valued truthiness (NOT NULL would be NULL, i.e. false, not true). */
export function negate(scope: FilterScope, node: FilterNode): PredNode {
  const pred = toPredicate(scope, node)
  if (pred === TRUE) return FALSE
  if (pred === FALSE) return TRUE
  return { kind: 'pred', sql: sql`not ${twoValued(pred).sql}`, nullable: false }
}

/**
 * and / or. Only their truthiness is translated (json-logic returns an operand, not a boolean),
 * so the result is marked truthOnly and refused as a compared value. Reading NULL as false
 * commutes with AND / OR, so nullable operands need no coalesce here.
 */
export function combine(scope: FilterScope, op: 'and' | 'or', nodes: FilterNode[]): PredNode {
  if (nodes.length === 0) return rejectFilter(scope, `${op} needs at least one condition`)
  const absorbing = op === 'and' ? FALSE : TRUE
  const neutral = op === 'and' ? TRUE : FALSE
  const preds = nodes.map((n) => toPredicate(scope, n)).filter((p) => p !== neutral)
  if (preds.includes(absorbing)) return { ...absorbing, truthOnly: true }
  if (preds.length === 0) return { ...neutral, truthOnly: true }
  const joined = sql.join(
    preds.map((p) => sql`(${p.sql})`),
    op === 'and' ? sql` and ` : sql` or `,
  )
  return {
    kind: 'pred',
    sql: preds.length === 1 ? preds[0].sql : sql`(${joined})`,
    nullable: preds.some((p) => p.nullable),
    truthOnly: true,
  }
}

/** A condition used as a compared value: the boolean JavaScript sees (never NULL). */
export function asBoolExpr(scope: FilterScope, node: PredNode): ExprNode {
  if (node.truthOnly)
    return rejectFilter(scope, 'and / or can only be used as conditions, not compared')
  return {
    kind: 'expr',
    type: 'bool',
    sql: twoValued(node).sql,
    nullable: false,
    label: 'a condition',
  }
}
