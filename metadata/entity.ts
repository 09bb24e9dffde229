import { fieldSchema, type Field } from './field'
import {
  camelIdSchema,
  definitionIdSchema,
  packageIdSchema,
  schemaRefSchema,
  versionSchema,
} from './id-patterns'
import { labelsSchema, type Labels } from './labels'
import { ruleSchema, type Rule } from './rule'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

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
  /**
   * Fields a picker shows on a second line under the title (product: code · spec), so records
   * with the same title can be told apart. Scalar fields only.
   */
  subtitleFields?: string[]
  ownerField?: string
  /** A child entity (order line) lives inside its parent's child-table field. */
  childOf?: string
  /**
   * A reference field whose record lends its read access: a record is readable when the record
   * this field points at is (the owner of a customer sees the contacts others created under it).
   */
  permissionParent?: string
  dedup?: DedupRule[]
  validations?: ValidationRule[]
  indexes?: IndexDef[]
  /** Keep the audit history of field changes (default true). */
  trackChanges?: boolean
}

const fieldList = {
  type: 'array',
  items: camelIdSchema,
  minItems: 1,
  maxItems: 16,
  uniqueItems: true,
} as const

const dedupRuleSchema = schemaFor<DedupRule>()({
  type: 'object',
  properties: {
    id: definitionIdSchema,
    fields: fieldList,
    match: { type: 'string', enum: ['exact', 'normalized'] },
    action: { type: 'string', enum: ['block', 'warn'] },
    message: labelsSchema,
  },
  required: ['id', 'fields', 'match', 'action'],
  additionalProperties: false,
})

const validationRuleSchema = schemaFor<ValidationRule>()({
  type: 'object',
  properties: {
    id: definitionIdSchema,
    rule: ruleSchema,
    message: labelsSchema,
    field: camelIdSchema,
  },
  required: ['id', 'rule', 'message'],
  additionalProperties: false,
})

const indexDefSchema = schemaFor<IndexDef>()({
  type: 'object',
  properties: { id: definitionIdSchema, fields: fieldList, unique: { type: 'boolean' } },
  required: ['id', 'fields'],
  additionalProperties: false,
})

/** Schema of an `Entity`. */
export const entitySchema = schemaFor<Entity>()({
  type: 'object',
  properties: {
    $schema: schemaRefSchema,
    id: camelIdSchema,
    version: versionSchema,
    module: packageIdSchema,
    label: labelsSchema,
    pluralLabel: labelsSchema,
    icon: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64 },
    fields: { type: 'array', items: fieldSchema, minItems: 1, maxItems: 500 },
    titleField: camelIdSchema,
    searchFields: { type: 'array', items: camelIdSchema, maxItems: 20, uniqueItems: true },
    subtitleFields: { type: 'array', items: camelIdSchema, maxItems: 4, uniqueItems: true },
    ownerField: camelIdSchema,
    childOf: camelIdSchema,
    permissionParent: camelIdSchema,
    dedup: { type: 'array', items: dedupRuleSchema, maxItems: 20 },
    validations: { type: 'array', items: validationRuleSchema, maxItems: 200 },
    indexes: { type: 'array', items: indexDefSchema, maxItems: 50 },
    trackChanges: { type: 'boolean' },
  },
  required: ['id', 'label', 'fields'],
  additionalProperties: false,
})

/** Standalone schema document of `Entity` (metadata/schemas/entity.schema.json). */
export const entityJsonSchema = toSchemaDocument('entity', 'Trellis entity', entitySchema)
