import { camelIdSchema } from './id-patterns'
import { labelsSchema, type Labels } from './labels'
import { ruleSchema, type Rule } from './rule'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** Every field type an entity can declare. */
// prettier-ignore
export const FIELD_TYPES = [
  'text', 'longText', 'richText', 'integer', 'decimal', 'money', 'percent', 'boolean',
  'date', 'datetime', 'select', 'multiSelect', 'reference', 'childTable', 'user',
  'department', 'email', 'phone', 'url', 'attachment', 'attachments', 'autoNumber',
  'formula', 'json',
] as const
export type FieldType = (typeof FIELD_TYPES)[number]

/** Field types a filter cannot read (files, JSON, child rows): the filter compiler and the
 * report checks refuse them alike. */
export const UNFILTERABLE_TYPES: ReadonlySet<FieldType> = new Set([
  'attachment',
  'attachments',
  'json',
  'childTable',
])

/** One choice of a select or multi-select field. */
export interface SelectOption {
  value: string
  label: Labels
  color?: string
}

/**
 * The value types a computed field (formula or roll-up) can produce. `number` is exact decimal
 * rounded to the field's `scale` (default 10); `money` is a number rounded to the minor units of
 * the field's `currency` (2 without one), stored as numeric(18,2).
 */
export type FormulaResult = 'text' | 'number' | 'money' | 'boolean' | 'date' | 'datetime'

/** Every value a computed field's `resultType` may take. */
export const FORMULA_RESULTS = [
  'text',
  'number',
  'money',
  'boolean',
  'date',
  'datetime',
] as const satisfies readonly FormulaResult[]

/** How a roll-up folds the related records: count them, or sum/min/max/latest of `field`. */
export type RollupOp = 'count' | 'sum' | 'min' | 'max' | 'latest'

/**
 * A value folded over the records of `entity` whose reference field `via` points at this record,
 * kept up to date in the transaction of every write of those records.
 * @example { "entity": "payment", "via": "salesOrder", "op": "sum", "field": "amount" }
 */
export interface Rollup {
  entity: string
  via: string
  op: RollupOp
  /** The field folded (not for count); `latest` takes it from the row newest by `orderBy`. */
  field?: string
  /** latest: the field that orders rows (default createdAt). */
  orderBy?: string
  /** Only rows for which this json-logic holds (compiled to SQL). */
  filter?: Rule
}

/** A default computed when the record is created: the clock's instant or day, or the writer. */
export interface DynamicDefault {
  dynamic: 'now' | 'today' | 'currentUser'
}

/** Fill this field from a field of the record a reference field points at, when it is picked. */
export interface FillFrom {
  reference: string
  field: string
}

/**
 * Fill this read-only field, when the record is written, from the newest row of another entity
 * that matches it (the last price a customer paid for a product). Paths name a field, or for a
 * child row `parent.<field>` of its parent record (`parent` alone: the parent record itself).
 * @example { "entity": "orderLine", "field": "unitPrice",
 *   "match": { "product": "product", "parent.customer": "parent.customer" } }
 */
export interface LatestFrom {
  /** The entity searched (a child entity's rows are matched with their parent's fields too). */
  entity: string
  /** Path of the searched row copied into this field. */
  field: string
  /** Path of the searched row → path of this record; every pair must be equal and not empty. */
  match: Record<string, string>
  /** Only rows for which this json-logic over the searched row holds (compiled to SQL). */
  filter?: Rule
  /** Only rows whose parent record this json-logic holds for (a child entity only). */
  parentFilter?: Rule
  /** Path of the searched row that orders them, newest first (default createdAt). */
  orderBy?: string
}

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
  /** formula: instead of `formula`, a value folded over related records. */
  rollup?: Rollup
  resultType?: FormulaResult
  /** date / datetime / user: set to today / now / the writer when this rule becomes true. */
  setWhen?: Rule
  /** Filled from the picked record of a reference field unless the writer gives a value. */
  fillFrom?: FillFrom
  /** Read-only: filled on write from the newest matching row of another entity. */
  latestFrom?: LatestFrom
  /** attachment / attachments: largest upload in bytes (never above the instance's limit). */
  maxFileSize?: number
  /**
   * attachment / attachments: the MIME types an upload may have, `image/*` for a family
   * (default: the instance's list). Still within the instance's list.
   */
  accept?: string[]
}

/** Largest `maxLength` a text-like field may declare (long and rich text). */
export const MAX_TEXT_LENGTH = 1_000_000

const selectOptionSchema = schemaFor<SelectOption>()({
  type: 'object',
  properties: {
    value: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$', maxLength: 100 },
    label: labelsSchema,
    color: { type: 'string', pattern: '^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-z]+)$' },
  },
  required: ['value', 'label'],
  additionalProperties: false,
})

/** When `type` is one of `types`, the field must also carry `keys`. */
function requireFor<const T extends readonly FieldType[], const K extends readonly string[]>(
  types: T,
  keys: K,
) {
  return {
    if: { properties: { type: { enum: types } }, required: ['type'] },
    then: { required: keys },
  }
}

const rollupSchema = schemaFor<Rollup>()({
  type: 'object',
  properties: {
    entity: camelIdSchema,
    via: camelIdSchema,
    op: { type: 'string', enum: ['count', 'sum', 'min', 'max', 'latest'] },
    field: camelIdSchema,
    orderBy: camelIdSchema,
    filter: ruleSchema,
  },
  required: ['entity', 'via', 'op'],
  additionalProperties: false,
})

const fillFromSchema = schemaFor<FillFrom>()({
  type: 'object',
  properties: { reference: camelIdSchema, field: camelIdSchema },
  required: ['reference', 'field'],
  additionalProperties: false,
})

/** A field of the searched row or this record: `name`, `parent` or `parent.name`. */
const latestPathSchema = {
  type: 'string',
  pattern: '^(parent|(parent\\.)?[a-z][a-zA-Z0-9]*)$',
  maxLength: 47,
} as const

const latestFromSchema = schemaFor<LatestFrom>()({
  type: 'object',
  properties: {
    entity: camelIdSchema,
    field: latestPathSchema,
    match: {
      type: 'object',
      propertyNames: latestPathSchema,
      additionalProperties: latestPathSchema,
      required: [],
      minProperties: 1,
      maxProperties: 8,
    },
    filter: ruleSchema,
    parentFilter: ruleSchema,
    orderBy: latestPathSchema,
  },
  required: ['entity', 'field', 'match'],
  additionalProperties: false,
})

/** Schema of a `Field`, inlined into the entity schema. */
export const fieldSchema = schemaFor<Field>()({
  type: 'object',
  properties: {
    name: camelIdSchema,
    id: camelIdSchema,
    type: { type: 'string', enum: FIELD_TYPES },
    label: labelsSchema,
    help: labelsSchema,
    required: { type: 'boolean' },
    unique: { type: 'boolean' },
    readOnly: { type: 'boolean' },
    index: { type: 'boolean' },
    default: {
      description:
        'Initial value on create, in the API value form of the field type, or {"dynamic": "now" | "today" | "currentUser"}.',
    },
    maxLength: { type: 'integer', minimum: 1, maximum: MAX_TEXT_LENGTH },
    minLength: { type: 'integer', minimum: 0, maximum: MAX_TEXT_LENGTH },
    min: { type: 'number' },
    max: { type: 'number' },
    scale: { type: 'integer', minimum: 0, maximum: 10 },
    options: { type: 'array', items: selectOptionSchema, minItems: 1, maxItems: 500 },
    entity: camelIdSchema,
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    pattern: { type: 'string', minLength: 1, maxLength: 100 },
    formula: ruleSchema,
    rollup: rollupSchema,
    resultType: { type: 'string', enum: FORMULA_RESULTS },
    setWhen: ruleSchema,
    fillFrom: fillFromSchema,
    latestFrom: latestFromSchema,
    maxFileSize: { type: 'integer', minimum: 1, maximum: 2 ** 40 },
    accept: {
      type: 'array',
      items: { type: 'string', pattern: '^[a-z0-9][a-z0-9.+-]*/([a-z0-9][a-z0-9.+-]*|\\*)$' },
      minItems: 1,
      maxItems: 50,
      uniqueItems: true,
    },
  },
  required: ['name', 'type', 'label'],
  additionalProperties: false,
  allOf: [
    requireFor(['select', 'multiSelect'], ['options']),
    requireFor(['reference', 'childTable'], ['entity']),
    requireFor(['autoNumber'], ['pattern']),
    requireFor(['formula'], ['resultType']),
    {
      if: { properties: { type: { const: 'formula' } }, required: ['type'] },
      then: { oneOf: [{ required: ['formula'] }, { required: ['rollup'] }] },
    },
  ],
})

/** Standalone schema document of `Field`. */
export const fieldJsonSchema = toSchemaDocument('field', 'Entity field', fieldSchema)

/**
 * Places a numeric value keeps where the field declares no `scale`: a decimal's and a percent's
 * column, money's column (no currency keeps more here), a computed number. One source for the
 * columns, the rounding of writes and formulas, and exports.
 */
export const DEFAULT_PLACES = { decimal: 4, percent: 4, money: 2, formula: 10 } as const
