import { camelIdSchema } from './id-patterns'
import { reportPathSchema } from './report-measures'
import { schemaFor } from './schema-check'

/*
 * How a report's groups are laid out (its shape) and drawn (its chart). Each shape but `summary`
 * reads its settings from the report key of the same name.
 */

/** summary: a table of groups; pivot: rows × columns; funnel: ordered stages with conversion;
 * aging: days-overdue buckets; trend: measures over a bucketed date. */
export const REPORT_SHAPES = ['summary', 'pivot', 'funnel', 'aging', 'trend'] as const
export type ReportShape = (typeof REPORT_SHAPES)[number]

/** Dimensions down the side (rows) and across the top (columns), with totals. */
export interface ReportPivot {
  rows: string[]
  columns: string[]
  /** A total row and column (default true). */
  totals?: boolean
}

/**
 * Ordered stages of a select dimension with the conversion from each stage to the next.
 * `stages` default: the flow's state order when the field is a flow's state, else the options'.
 */
export interface ReportFunnel {
  dimension: string
  stages?: string[]
  measure: string
}

/** Buckets of days between a date field and the run day (receivables by days overdue). */
export interface ReportAging {
  /** Path of the date or datetime field the days count from (a due date). */
  field: string
  /** The day the days count to (only `today` for now). */
  asOf?: 'today'
  /** Upper bounds in days, ascending: [30, 60, 90] makes 0–30, 31–60, 61–90 and over 90. */
  buckets: number[]
  measure: string
}

/** Measures along a bucketed date dimension. */
export interface ReportTrend {
  dimension: string
  measures: string[]
}

export const CHART_TYPES = ['bar', 'line', 'area', 'pie', 'funnel', 'pivot', 'number'] as const
export type ChartType = (typeof CHART_TYPES)[number]

/** How the report is drawn: `x` a dimension, `series` measures (default: all of them). */
export interface ReportChart {
  type: ChartType
  x?: string
  series?: string[]
  /** bar / area: series stacked rather than side by side. */
  stacked?: boolean
}

const dimensionRef = { ...camelIdSchema, description: 'A dimension id.' } as const
const measureRef = { ...camelIdSchema, description: 'A measure id.' } as const
const dimensionList = {
  type: 'array',
  items: dimensionRef,
  minItems: 1,
  maxItems: 4,
  uniqueItems: true,
} as const

export const pivotSchema = schemaFor<ReportPivot>()({
  type: 'object',
  description: 'shape pivot: dimensions down the side and across the top.',
  properties: {
    rows: dimensionList,
    columns: dimensionList,
    totals: { type: 'boolean', description: 'A total row and column (default true).' },
  },
  required: ['rows', 'columns'],
  additionalProperties: false,
})

export const funnelSchema = schemaFor<ReportFunnel>()({
  type: 'object',
  description: 'shape funnel: ordered stages of a select dimension.',
  properties: {
    dimension: dimensionRef,
    stages: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 100 },
      minItems: 2,
      maxItems: 50,
      uniqueItems: true,
      description: 'Option values in funnel order (default: the flow state or option order).',
    },
    measure: measureRef,
  },
  required: ['dimension', 'measure'],
  additionalProperties: false,
})

export const agingSchema = schemaFor<ReportAging>()({
  type: 'object',
  description: 'shape aging: days from a date field to the run day, in buckets.',
  properties: {
    field: reportPathSchema,
    asOf: { const: 'today', description: 'Default today.' },
    buckets: {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 3650 },
      minItems: 1,
      maxItems: 12,
      description: 'Upper bounds in days, ascending.',
    },
    measure: measureRef,
  },
  required: ['field', 'buckets', 'measure'],
  additionalProperties: false,
})

export const trendSchema = schemaFor<ReportTrend>()({
  type: 'object',
  description: 'shape trend: measures along a bucketed date dimension.',
  properties: {
    dimension: dimensionRef,
    measures: { type: 'array', items: measureRef, minItems: 1, maxItems: 10, uniqueItems: true },
  },
  required: ['dimension', 'measures'],
  additionalProperties: false,
})

export const chartSchema = schemaFor<ReportChart>()({
  type: 'object',
  properties: {
    type: { enum: CHART_TYPES },
    x: dimensionRef,
    series: { type: 'array', items: measureRef, minItems: 1, maxItems: 10, uniqueItems: true },
    stacked: { type: 'boolean', description: 'bar / area only.' },
  },
  required: ['type'],
  additionalProperties: false,
})
