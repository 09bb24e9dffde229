import type { SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'

/**
 * The value types the filter compiler tracks. Each mirrors how the value looks in memory
 * (see the record value conventions): number, string, boolean, 'YYYY-MM-DD', ISO datetime,
 * uuid string, string[] (multiSelect), {amount, currency} (money).
 */
export type ValueType =
  'number' | 'text' | 'bool' | 'date' | 'datetime' | 'uuid' | 'textArray' | 'money'

/** A constant: a subtree that does not read the record, already evaluated by json-logic-js. */
export interface LiteralNode {
  kind: 'literal'
  value: unknown
}

/** A value read from the row (a column or an expression over columns). */
export interface ExprNode {
  kind: 'expr'
  type: ValueType
  sql: SQL
  /** Whether the SQL can be NULL (JavaScript sees null). */
  nullable: boolean
  /** How error messages name it: `field 'amount'`, `length(...)`. */
  label: string
  /** SQL integer type: compare with bigint parameters so btree indexes stay usable. */
  integer?: boolean
}

/**
 * A condition whose JavaScript value is a boolean. Its SQL may yield NULL where JavaScript
 * yields false (`nullable`); NULL is read as false, so it is only safe under AND / OR / WHERE —
 * negation goes through `coalesce(p, false)`.
 */
export interface PredNode {
  kind: 'pred'
  sql: SQL
  nullable: boolean
  /** and / or return one of their operands, not a boolean: only their truthiness is known. */
  truthOnly?: boolean
}

export type FilterNode = LiteralNode | ExprNode | PredNode

/** What every compile step receives. */
export interface FilterScope {
  entity: Entity
  alias?: string
  vars: Record<string, unknown>
  now: Date
  /** Where errors point, e.g. 'filter'. */
  path: string
  compile(rule: unknown): FilterNode
}
