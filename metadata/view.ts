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

export interface ViewColumn {
  field: string
  width?: number
}

export interface SavedFilter {
  id: string
  label: Labels
  filter: Rule
}

interface ViewBase {
  $schema?: string
  id: string
  version?: number
  /** The package the definition belongs to (set from the package folder when installed). */
  module?: string
  entity: string
  label: Labels
  /** `field` or `-field`, comma-separated, like the API's `sort`. */
  sort?: string
  filters?: SavedFilter[]
}

export interface ListView extends ViewBase {
  type: 'list'
  columns: ViewColumn[]
  pageSize?: number
}

export interface KanbanView extends ViewBase {
  type: 'kanban'
  /** A select field: one lane per option. */
  groupBy: string
  cardFields: string[]
}

export interface CalendarView extends ViewBase {
  type: 'calendar'
  dateField: string
  endDateField?: string
  titleField?: string
}

export type View = ListView | KanbanView | CalendarView

/** Every view type. */
export const VIEW_TYPES = ['list', 'kanban', 'calendar'] as const satisfies readonly View['type'][]

/** A sort expression: `-createdAt,name`. */
export const SORT_PATTERN = '^-?[a-z][a-zA-Z0-9]*(,-?[a-z][a-zA-Z0-9]*)*$'

const viewColumnSchema = schemaFor<ViewColumn>()({
  type: 'object',
  properties: { field: camelIdSchema, width: { type: 'integer', minimum: 40, maximum: 2000 } },
  required: ['field'],
  additionalProperties: false,
})

const savedFilterSchema = schemaFor<SavedFilter>()({
  type: 'object',
  properties: { id: definitionIdSchema, label: labelsSchema, filter: ruleSchema },
  required: ['id', 'label', 'filter'],
  additionalProperties: false,
})

const baseProperties = {
  $schema: schemaRefSchema,
  id: definitionIdSchema,
  version: versionSchema,
  module: packageIdSchema,
  entity: camelIdSchema,
  label: labelsSchema,
  sort: { type: 'string', pattern: SORT_PATTERN, maxLength: 200 },
  filters: { type: 'array', items: savedFilterSchema, maxItems: 50 },
} as const

const baseRequired = ['id', 'entity', 'label', 'type'] as const

const listViewSchema = schemaFor<ListView>()({
  type: 'object',
  properties: {
    ...baseProperties,
    type: { const: 'list' },
    columns: { type: 'array', items: viewColumnSchema, minItems: 1, maxItems: 50 },
    pageSize: { type: 'integer', minimum: 1, maximum: 500 },
  },
  required: [...baseRequired, 'columns'],
  additionalProperties: false,
})

const kanbanViewSchema = schemaFor<KanbanView>()({
  type: 'object',
  properties: {
    ...baseProperties,
    type: { const: 'kanban' },
    groupBy: camelIdSchema,
    cardFields: { type: 'array', items: camelIdSchema, maxItems: 10, uniqueItems: true },
  },
  required: [...baseRequired, 'groupBy', 'cardFields'],
  additionalProperties: false,
})

const calendarViewSchema = schemaFor<CalendarView>()({
  type: 'object',
  properties: {
    ...baseProperties,
    type: { const: 'calendar' },
    dateField: camelIdSchema,
    endDateField: camelIdSchema,
    titleField: camelIdSchema,
  },
  required: [...baseRequired, 'dateField'],
  additionalProperties: false,
})

/**
 * Schema of a `View`: one branch per `type`. `discriminator` (supported by ajv, ignored by other
 * tools) makes ajv report only the errors of the branch the `type` selects.
 */
export const viewSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [listViewSchema, kanbanViewSchema, calendarViewSchema],
} as const

/** Standalone schema document of `View` (metadata/schemas/view.schema.json). */
export const viewJsonSchema = toSchemaDocument('view', 'Trellis view', viewSchema)
