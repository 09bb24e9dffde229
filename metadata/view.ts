import type { Labels } from './labels'
import type { Rule } from './rule'

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
