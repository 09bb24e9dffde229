import { camelIdSchema } from './id-patterns'
import { labelsSchema, type Labels } from './labels'
import { ruleSchema, type Rule } from './rule'
import { schemaFor } from './schema-check'

/*
 * The values of a report (measures) and what a caller passes when running it (parameters).
 */

/** A path from a report's source: up to four field names joined by dots (`lines.product.category`). */
export const REPORT_PATH = '^[a-z][a-zA-Z0-9]*(\\.[a-z][a-zA-Z0-9]*){0,3}$'

/** Schema of a path from a report's source entity. */
export const reportPathSchema = {
  type: 'string',
  pattern: REPORT_PATH,
  maxLength: 170,
  description: 'A field of the source, along references (customer.industry) or into a child table.',
} as const

/** How an aggregate measure folds the rows of a group. */
export const AGGREGATES = ['count', 'countDistinct', 'sum', 'avg', 'min', 'max'] as const
export type Aggregate = (typeof AGGREGATES)[number]

/** How a measure's values are shown (default: after the field; a ratio is a percent). */
export const MEASURE_FORMATS = ['number', 'integer', 'percent', 'money'] as const
export type MeasureFormat = (typeof MEASURE_FORMATS)[number]

/**
 * Folds the rows of a group: `count` counts them (or the non-empty values of `field`),
 * `countDistinct` counts different values of `field`, the others fold `field`.
 */
export interface AggregateMeasure {
  id: string
  aggregate: Aggregate
  field?: string
  /** Only rows for which this json-logic holds (won deals): over the source record, with $user. */
  filter?: Rule
  /**
   * `entity.field`: fold the records of `entity` whose reference `field` points at each source
   * record (the leads of a campaign) instead of the source rows; `field` and `filter` then read
   * those records. count, sum, min and max only.
   */
  via?: string
  label?: Labels
  format?: MeasureFormat
}

/** `entity.field` of a measure's `via`: a reference field of another entity. */
export const REPORT_VIA = '^[a-z][a-zA-Z0-9]*\\.[a-z][a-zA-Z0-9]*$'

/** The aggregates a `via` measure may use: folded per source record, then per group. */
export const VIA_AGGREGATES: readonly Aggregate[] = ['count', 'sum', 'min', 'max']

/** numerator ÷ denominator of two other measures of the same group (win rate). */
export interface RatioMeasure {
  id: string
  ratio: [numerator: string, denominator: string]
  label: Labels
  format?: MeasureFormat
}

/** The running total of another measure along the report's first date dimension. */
export interface RunningTotalMeasure {
  id: string
  runningTotal: string
  label: Labels
  format?: MeasureFormat
}

export type ReportMeasure = AggregateMeasure | RatioMeasure | RunningTotalMeasure

/** Whether a measure folds rows itself (count, sum, …) rather than reading other measures. */
export const isAggregate = (m: ReportMeasure): m is AggregateMeasure => 'aggregate' in m

/** The measures a measure reads: a ratio's two parts, a running total's measure. */
export function measureInputs(m: ReportMeasure): string[] {
  if ('ratio' in m) return [...m.ratio]
  if ('runningTotal' in m) return [m.runningTotal]
  return []
}

const idSchema = {
  ...camelIdSchema,
  description: 'camelCase, unique among dimensions and measures.',
}
const formatSchema = { enum: MEASURE_FORMATS, description: 'Default: after the field.' } as const
const measureRefSchema = { ...camelIdSchema, description: 'A measure id.' } as const

const aggregateMeasureSchema = schemaFor<AggregateMeasure>()({
  type: 'object',
  properties: {
    id: idSchema,
    aggregate: { enum: AGGREGATES },
    field: { ...reportPathSchema, description: 'The field folded (count: optional).' },
    filter: { ...ruleSchema, description: 'Only rows for which this holds.' },
    via: {
      type: 'string',
      pattern: REPORT_VIA,
      maxLength: 130,
      description:
        'entity.field: fold the records of entity whose reference field points at each source record.',
    },
    label: labelsSchema,
    format: formatSchema,
  },
  required: ['id', 'aggregate'],
  additionalProperties: false,
})

const ratioMeasureSchema = schemaFor<RatioMeasure>()({
  type: 'object',
  properties: {
    id: idSchema,
    ratio: {
      type: 'array',
      items: measureRefSchema,
      minItems: 2,
      maxItems: 2,
      description: '[numerator, denominator] measure ids.',
    },
    label: labelsSchema,
    format: { ...formatSchema, description: 'Default percent.' },
  },
  required: ['id', 'ratio', 'label'],
  additionalProperties: false,
})

const runningTotalMeasureSchema = schemaFor<RunningTotalMeasure>()({
  type: 'object',
  properties: {
    id: idSchema,
    runningTotal: measureRefSchema,
    label: labelsSchema,
    format: formatSchema,
  },
  required: ['id', 'runningTotal', 'label'],
  additionalProperties: false,
})

/** A measure with `ratio` is a ratio, with `runningTotal` a running total, else an aggregate. */
export const measureSchema = {
  type: 'object',
  if: { required: ['ratio'] },
  then: ratioMeasureSchema,
  else: {
    if: { required: ['runningTotal'] },
    then: runningTotalMeasureSchema,
    else: aggregateMeasureSchema,
  },
} as const

/** Named periods relative to the day a report runs; fiscal ones follow `fiscalYearStart`. */
export const RELATIVE_RANGES = [
  'today',
  'yesterday',
  'thisWeek',
  'lastWeek',
  'thisMonth',
  'lastMonth',
  'thisQuarter',
  'lastQuarter',
  'thisYear',
  'lastYear',
  'thisFiscalQuarter',
  'thisFiscalYear',
  'lastFiscalYear',
  'last7Days',
  'last30Days',
  'last90Days',
  'last365Days',
] as const
export type RelativeRange = (typeof RELATIVE_RANGES)[number]

/** What every parameter has: the field it narrows and how a caller sees it. */
interface ParameterBase {
  id: string
  /** Path of the field narrowed, like a dimension's. */
  field: string
  label: Labels
}

/** A date range over a date or datetime field; the caller gives `from`/`to` or a named period. */
export interface DateRangeParameter extends ParameterBase {
  type: 'dateRange'
  default?: RelativeRange
}

/** One or more options of a select field. */
export interface SelectParameter extends ParameterBase {
  type: 'select'
  default?: string[]
}

/** A user of a user field; `$user` defaults to the caller. */
export interface UserParameter extends ParameterBase {
  type: 'user'
  default?: '$user'
}

/** A department of a department field; `$user.departmentId` defaults to the caller's. */
export interface DepartmentParameter extends ParameterBase {
  type: 'department'
  default?: '$user.departmentId'
}

export type ReportParameter =
  DateRangeParameter | SelectParameter | UserParameter | DepartmentParameter

/** The parameter types and the field types each narrows. */
export const PARAMETER_TYPES = ['dateRange', 'select', 'user', 'department'] as const

const parameterBase = {
  id: { ...camelIdSchema, description: 'camelCase, unique: the name a caller passes it by.' },
  field: reportPathSchema,
  label: labelsSchema,
} as const

const dateRangeParameterSchema = schemaFor<DateRangeParameter>()({
  type: 'object',
  properties: {
    ...parameterBase,
    type: { const: 'dateRange' },
    default: { enum: RELATIVE_RANGES, description: 'A period relative to the run day.' },
  },
  required: ['id', 'type', 'field', 'label'],
  additionalProperties: false,
})

const selectParameterSchema = schemaFor<SelectParameter>()({
  type: 'object',
  properties: {
    ...parameterBase,
    type: { const: 'select' },
    default: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 100 },
      minItems: 1,
      maxItems: 100,
      uniqueItems: true,
      description: 'Option values.',
    },
  },
  required: ['id', 'type', 'field', 'label'],
  additionalProperties: false,
})

const userParameterSchema = schemaFor<UserParameter>()({
  type: 'object',
  properties: {
    ...parameterBase,
    type: { const: 'user' },
    default: { const: '$user', description: 'The caller.' },
  },
  required: ['id', 'type', 'field', 'label'],
  additionalProperties: false,
})

const departmentParameterSchema = schemaFor<DepartmentParameter>()({
  type: 'object',
  properties: {
    ...parameterBase,
    type: { const: 'department' },
    default: { const: '$user.departmentId', description: "The caller's department." },
  },
  required: ['id', 'type', 'field', 'label'],
  additionalProperties: false,
})

/** Schema of a `ReportParameter`: one branch per `type`. */
export const parameterSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    dateRangeParameterSchema,
    selectParameterSchema,
    userParameterSchema,
    departmentParameterSchema,
  ],
} as const
