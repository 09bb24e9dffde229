import type { Field } from './field'
import type { Labels } from './labels'
import type { Rule } from './rule'

/** How de-duplication compares values: as typed, or normalised (trimmed, case- and width-folded). */
export type DedupMatch = 'exact' | 'normalized'

export interface DedupRule {
  id: string
  fields: string[]
  match: DedupMatch
  /** block → the write is refused with 409; warn → saved with a warning. */
  action: 'block' | 'warn'
  message?: Labels
}

export interface ValidationRule {
  id: string
  /** json-logic that must hold for the record to be valid. */
  rule: Rule
  message: Labels
  /** The field the message belongs to (shown beside it in forms). */
  field?: string
}

export interface IndexDef {
  id: string
  fields: string[]
  unique?: boolean
}

/** A business entity: becomes one PostgreSQL table. `id` never changes once published. */
export interface Entity {
  $schema?: string
  id: string
  version?: number
  module?: string
  label: Labels
  pluralLabel?: Labels
  icon?: string
  fields: Field[]
  titleField?: string
  searchFields?: string[]
  ownerField?: string
  /** A child entity (order line) lives inside its parent's child-table field. */
  childOf?: string
  dedup?: DedupRule[]
  validations?: ValidationRule[]
  indexes?: IndexDef[]
  /** Keep the audit history of field changes (default true). */
  trackChanges?: boolean
}
