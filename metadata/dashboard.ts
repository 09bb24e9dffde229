import { camelIdSchema, definitionIdSchema, packageIdSchema } from './id-patterns'
import { labelsSchema, type Labels } from './labels'
import { reservedProperties } from './reserved-kind'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/*
 * A dashboard: the page a user lands on, a grid of widgets for the roles it is for. A widget
 * shows a report (its chart or its table), one measure of a report as a number (a KPI, compared
 * with the period before), the caller's pending approval tasks or their notifications. What a
 * widget shows is always the caller's: reports run in their read scope, and a report widget the
 * caller may not run is left out. docs/dashboards.md describes the kind.
 */

/** What a widget shows. */
export const WIDGET_KINDS = ['report', 'kpi', 'inbox', 'notifications'] as const
export type WidgetKind = (typeof WIDGET_KINDS)[number]

/** How a report widget shows its report. */
export const REPORT_VIEWS = ['chart', 'table'] as const
export type ReportView = (typeof REPORT_VIEWS)[number]

/** Columns of the dashboard grid: a widget is 1–12 columns wide. */
export const GRID_COLUMNS = 12

/** Width of a widget that gives none, by kind. */
export const DEFAULT_WIDGET_WIDTH: Record<WidgetKind, number> = {
  report: 6,
  kpi: 3,
  inbox: 6,
  notifications: 6,
}

/** Which way a KPI's change is good news: up for sales, down for overdue receivables. */
export const KPI_DIRECTIONS = ['higher', 'lower'] as const
export type KpiDirection = (typeof KPI_DIRECTIONS)[number]

/** Lines an inbox or notifications widget shows when it gives no `limit`. */
export const DEFAULT_WIDGET_LIMIT = 5

/** One tile of a dashboard. */
export interface DashboardWidget {
  /** Unique within the dashboard: the KPI route and the page name widgets by it. */
  id: string
  kind: WidgetKind
  /** Shown above the widget; default: the report's label, or the inbox's or notifications' name. */
  title?: Labels
  /** Grid columns (1–12); default 6, a KPI 3. */
  width?: number
  /** Grid rows (1–4); default 1 for a KPI, 2 for the others. */
  height?: number
  /** report, kpi: the report's id. */
  report?: string
  /** report: its chart (default when it declares one) or its table. */
  show?: ReportView
  /** report, kpi: values of the report's parameters, as `GET /api/reports/{id}/run` takes them. */
  parameters?: Record<string, string>
  /** kpi: the measure shown, over every row the report reads. */
  measure?: string
  /** kpi: also show the value over the period before the report's date range. */
  compare?: 'previousPeriod'
  /** kpi: whether a higher or a lower value is better (default higher): colours the change. */
  better?: KpiDirection
  /** inbox, notifications: how many lines (1–20, default 5). */
  limit?: number
}

/**
 * A dashboard.
 * @example { id: 'sales-rep-home', label: { en: 'My sales' }, roles: ['salesRep'],
 *   widgets: [{ id: 'tasks', kind: 'inbox' }, { id: 'won', kind: 'kpi', report: 'won-deals',
 *   measure: 'amount', compare: 'previousPeriod' }] }
 */
export interface Dashboard {
  $schema?: string
  id: string
  version?: number
  /** The package the definition belongs to (set from the package folder when installed). */
  module?: string
  label: Labels
  description?: Labels
  /** The roles it is for: a caller holding any of them gets it. */
  roles?: string[]
  /** The dashboard of a caller whom no dashboard's roles name. */
  default?: boolean
  /** Among several a caller's roles match, the highest priority wins (default 0), then the id. */
  priority?: number
  widgets: DashboardWidget[]
}

const widgetSchema = schemaFor<DashboardWidget>()({
  type: 'object',
  properties: {
    id: { ...definitionIdSchema, description: 'Unique within the dashboard.' },
    kind: { enum: WIDGET_KINDS },
    title: labelsSchema,
    width: { type: 'integer', minimum: 1, maximum: GRID_COLUMNS, description: 'Grid columns.' },
    height: { type: 'integer', minimum: 1, maximum: 4, description: 'Grid rows.' },
    report: { ...definitionIdSchema, description: 'report, kpi: a report id.' },
    show: { enum: REPORT_VIEWS, description: 'report: chart (default when it has one) or table.' },
    parameters: {
      type: 'object',
      description: 'report, kpi: values of its parameters (a named period, option values, …).',
      propertyNames: camelIdSchema,
      additionalProperties: { type: 'string', maxLength: 4000 },
      maxProperties: 10,
    },
    measure: { ...camelIdSchema, description: 'kpi: a measure of the report.' },
    compare: { const: 'previousPeriod', description: 'kpi: beside the period before.' },
    better: {
      enum: KPI_DIRECTIONS,
      description: 'kpi: a rise is good news (higher, the default) or bad news (lower).',
    },
    limit: { type: 'integer', minimum: 1, maximum: 20, description: 'inbox, notifications.' },
  },
  required: ['id', 'kind'],
  additionalProperties: false,
})

/** Schema of a `Dashboard`. */
export const dashboardSchema = schemaFor<Dashboard>()({
  type: 'object',
  properties: {
    $schema: reservedProperties.$schema,
    id: reservedProperties.id,
    version: reservedProperties.version,
    module: packageIdSchema,
    label: reservedProperties.label,
    description: reservedProperties.description,
    roles: { type: 'array', items: camelIdSchema, maxItems: 20, uniqueItems: true },
    default: { type: 'boolean', description: 'For callers no dashboard names a role of.' },
    priority: { type: 'integer', minimum: -100, maximum: 100, description: 'Default 0.' },
    widgets: { type: 'array', items: widgetSchema, minItems: 1, maxItems: 24 },
  },
  required: ['id', 'label', 'widgets'],
  additionalProperties: false,
})

/** Standalone schema document of `Dashboard` (metadata/schemas/dashboard.schema.json). */
export const dashboardJsonSchema = toSchemaDocument(
  'dashboard',
  'Trellis dashboard',
  dashboardSchema,
)
