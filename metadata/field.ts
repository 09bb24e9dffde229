import type { Labels } from './labels'
import type { Rule } from './rule'

/** Every field type an entity can declare. */
export const FIELD_TYPES = [
  'text', 'longText', 'richText', 'integer', 'decimal', 'money', 'percent', 'boolean',
  'date', 'datetime', 'select', 'multiSelect', 'reference', 'childTable', 'user',
  'department', 'email', 'phone', 'url', 'attachment', 'attachments', 'autoNumber',
  'formula', 'json',
] as const
export type FieldType = (typeof FIELD_TYPES)[number]

/** One choice of a select or multi-select field. */
export interface SelectOption {
  value: string
  label: Labels
  color?: string
}

/** The value types a formula can produce. */
export type FormulaResult = 'text' | 'number' | 'boolean' | 'date'

/**
 * A field of an entity. `id` is the stable identity (defaults to `name`); keeping the id while
 * changing `name` is a rename, and schema sync renames the column instead of dropping it.
 */
export interface Field {
  name: string
  id?: string
  type: FieldType
  label: Labels
  help?: Labels
  required?: boolean
  unique?: boolean
  readOnly?: boolean
  index?: boolean
  default?: unknown
  /** text-like fields: maximum length in characters (default 255 for text, 100000 for long). */
  maxLength?: number
  minLength?: number
  /** integer / decimal / money / percent */
  min?: number
  max?: number
  /** decimal: digits after the point (default 4; money is always 2). */
  scale?: number
  /** select / multiSelect */
  options?: SelectOption[]
  /** reference / childTable: the target entity id. */
  entity?: string
  /** money: the default currency (ISO 4217), e.g. CNY. */
  currency?: string
  /** autoNumber: e.g. `Q-{YYYY}-{####}`. */
  pattern?: string
  /** formula: json-logic over the record, computed on save. */
  formula?: Rule
  resultType?: FormulaResult
}
