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

/** A field placed on a form, with optional widget and rules over the record and `$user`. */
export interface FormField {
  field: string
  widget?: string
  span?: number
  visible?: Rule
  required?: Rule
  readOnly?: Rule
}

export interface FormSection {
  id: string
  label?: Labels
  columns?: 1 | 2 | 3 | 4
  fields: FormField[]
}

export interface FormTab {
  id: string
  label: Labels
  sections: FormSection[]
}

/** A list of related records shown on the record page (the 360° view). */
export interface RelatedList {
  id: string
  entity: string
  /** The reference field on the related entity that points at this record. */
  field: string
  label?: Labels
  columns?: string[]
  limit?: number
  /** The order of the rows: a field of the related entity, `-` first for newest/largest first. */
  sort?: string
}

/** A form over one entity. */
export interface Form {
  $schema?: string
  id: string
  version?: number
  /** The package the definition belongs to (set from the package folder when installed). */
  module?: string
  entity: string
  label: Labels
  tabs: FormTab[]
  relatedLists?: RelatedList[]
}

const formFieldSchema = schemaFor<FormField>()({
  type: 'object',
  properties: {
    field: camelIdSchema,
    widget: definitionIdSchema,
    span: { type: 'integer', minimum: 1, maximum: 4 },
    visible: ruleSchema,
    required: ruleSchema,
    readOnly: ruleSchema,
  },
  required: ['field'],
  additionalProperties: false,
})

/** Schema of a `FormSection` (also added to another package's form by an extension). */
export const formSectionSchema = schemaFor<FormSection>()({
  type: 'object',
  properties: {
    id: definitionIdSchema,
    label: labelsSchema,
    columns: { type: 'integer', enum: [1, 2, 3, 4] },
    fields: { type: 'array', items: formFieldSchema, minItems: 1, maxItems: 200 },
  },
  required: ['id', 'fields'],
  additionalProperties: false,
})

/** Schema of a `FormTab`. */
export const formTabSchema = schemaFor<FormTab>()({
  type: 'object',
  properties: {
    id: definitionIdSchema,
    label: labelsSchema,
    sections: { type: 'array', items: formSectionSchema, minItems: 1, maxItems: 50 },
  },
  required: ['id', 'label', 'sections'],
  additionalProperties: false,
})

/** Schema of a `RelatedList`. */
export const relatedListSchema = schemaFor<RelatedList>()({
  type: 'object',
  properties: {
    id: definitionIdSchema,
    entity: camelIdSchema,
    field: camelIdSchema,
    label: labelsSchema,
    columns: { type: 'array', items: camelIdSchema, maxItems: 30, uniqueItems: true },
    limit: { type: 'integer', minimum: 1, maximum: 200 },
    sort: { type: 'string', pattern: '^-?[a-z][a-zA-Z0-9]*$', maxLength: 41 },
  },
  required: ['id', 'entity', 'field'],
  additionalProperties: false,
})

/** Schema of a `Form`. */
export const formSchema = schemaFor<Form>()({
  type: 'object',
  properties: {
    $schema: schemaRefSchema,
    id: definitionIdSchema,
    version: versionSchema,
    module: packageIdSchema,
    entity: camelIdSchema,
    label: labelsSchema,
    tabs: { type: 'array', items: formTabSchema, minItems: 1, maxItems: 30 },
    relatedLists: { type: 'array', items: relatedListSchema, maxItems: 30 },
  },
  required: ['id', 'entity', 'label', 'tabs'],
  additionalProperties: false,
})

/** Standalone schema document of `Form` (metadata/schemas/form.schema.json). */
export const formJsonSchema = toSchemaDocument('form', 'Trellis form', formSchema)
