import { camelIdSchema, definitionIdSchema, packageIdSchema } from './id-patterns'
import { labelsSchema, type Labels } from './labels'
import { reservedProperties } from './reserved-kind'
import {
  agingSchema,
  chartSchema,
  funnelSchema,
  pivotSchema,
  REPORT_SHAPES,
  trendSchema,
  type ReportAging,
  type ReportChart,
  type ReportFunnel,
  type ReportPivot,
  type ReportShape,
  type ReportTrend,
} from './report-layout'
import {
  measureSchema,
  parameterSchema,
  reportPathSchema,
  type ReportMeasure,
  type ReportParameter,
} from './report-measures'
import { ruleSchema, type Rule } from './rule'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

export * from './report-layout'
export * from './report-measures'

/*
 * A report: rows of one source entity (joined along its references and into one of its child
 * tables), grouped by dimensions and folded into measures, filtered, sorted, cut to the top N and
 * laid out as a summary table, pivot, funnel, aging table or trend, with a chart. The runtime
 * compiles it to one SQL statement in the caller's read scope and field rules.
 */

/** How a date or datetime dimension groups its values. Fiscal ones count from `fiscalYearStart`. */
export const DATE_BUCKETS = [
  'day',
  'week',
  'month',
  'quarter',
  'year',
  'fiscalQuarter',
  'fiscalYear',
] as const
export type DateBucket = (typeof DATE_BUCKETS)[number]

/**
 * What rows are grouped by. `field` is a path from the source: `stage`, along references
 * `customer.industry`, or into a child table and on `lines.product.category`.
 */
export interface ReportDimension {
  id: string
  field: string
  /** date / datetime fields: the period a row falls in (a datetime needs one). */
  bucket?: DateBucket
  /** Default: the label of the field the path ends at. */
  label?: Labels
}

/**
 * A report definition.
 * @example { id: 'won-by-rep', entity: 'opportunity', label: { en: 'Won by rep' },
 *   dimensions: [{ id: 'rep', field: 'owner' }],
 *   measures: [{ id: 'won', aggregate: 'sum', field: 'amount' }],
 *   filter: { '==': [{ var: 'stage' }, 'won'] }, sort: [{ by: 'won', desc: true }], limit: 10 }
 */
export interface Report {
  $schema?: string
  id: string
  version?: number
  module?: string
  label: Labels
  description?: Labels
  /** The source entity: one report row per record (per child row once a path enters a child table). */
  entity: string
  /** Default summary. Every shape but summary takes its settings from the key of its name. */
  shape?: ReportShape
  /** Month (1–12) the fiscal year starts in, for fiscalQuarter / fiscalYear buckets (default 1). */
  fiscalYearStart?: number
  dimensions?: ReportDimension[]
  measures: ReportMeasure[]
  /** json-logic over the source record with `$user.*`, `today`, `now`, `date_add`, `date_diff`. */
  filter?: Rule
  /** Values the caller passes when running the report, each narrowing one field. */
  parameters?: ReportParameter[]
  sort?: ReportSort[]
  /** Top N: at most this many rows (1–1000). */
  limit?: number
  pivot?: ReportPivot
  funnel?: ReportFunnel
  aging?: ReportAging
  trend?: ReportTrend
  chart?: ReportChart
}

/** One sort key: a dimension or a measure, ascending unless `desc`. */
export interface ReportSort {
  by: string
  desc?: boolean
}

/** Ids of dimensions, measures and parameters: they name columns of the result. */
export const reportItemIdSchema = { ...camelIdSchema, description: 'camelCase, unique.' } as const

const dimensionSchema = schemaFor<ReportDimension>()({
  type: 'object',
  properties: {
    id: reportItemIdSchema,
    field: reportPathSchema,
    bucket: { enum: DATE_BUCKETS, description: 'date / datetime fields: the period grouped by.' },
    label: labelsSchema,
  },
  required: ['id', 'field'],
  additionalProperties: false,
})

const sortSchema = schemaFor<ReportSort>()({
  type: 'object',
  properties: {
    by: { ...camelIdSchema, description: 'A dimension or measure id.' },
    desc: { type: 'boolean', description: 'Descending (default ascending).' },
  },
  required: ['by'],
  additionalProperties: false,
})

/** Most rows a report answers; `limit` may only lower it. */
export const MAX_REPORT_ROWS = 1000

/** Schema of a `Report`. */
export const reportSchema = schemaFor<Report>()({
  type: 'object',
  properties: {
    $schema: reservedProperties.$schema,
    id: { ...definitionIdSchema, description: 'Stable id (camelCase or kebab-case).' },
    version: reservedProperties.version,
    module: packageIdSchema,
    label: reservedProperties.label,
    description: reservedProperties.description,
    entity: { ...camelIdSchema, description: 'The source entity.' },
    shape: { enum: REPORT_SHAPES, description: 'Default summary.' },
    fiscalYearStart: {
      type: 'integer',
      minimum: 1,
      maximum: 12,
      description: 'Month the fiscal year starts in (default 1).',
    },
    dimensions: { type: 'array', items: dimensionSchema, maxItems: 8 },
    measures: { type: 'array', items: measureSchema, minItems: 1, maxItems: 20 },
    filter: { ...ruleSchema, description: 'json-logic over the source record, with $user.*.' },
    parameters: { type: 'array', items: parameterSchema, maxItems: 10 },
    sort: { type: 'array', items: sortSchema, minItems: 1, maxItems: 5 },
    limit: { type: 'integer', minimum: 1, maximum: MAX_REPORT_ROWS, description: 'Top N.' },
    pivot: pivotSchema,
    funnel: funnelSchema,
    aging: agingSchema,
    trend: trendSchema,
    chart: chartSchema,
  },
  required: ['id', 'label', 'entity', 'measures'],
  additionalProperties: false,
})

/** Standalone schema document of `Report` (metadata/schemas/report.schema.json). */
export const reportJsonSchema = toSchemaDocument('report', 'Trellis report', reportSchema)
