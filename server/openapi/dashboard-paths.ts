import { KPI_DIRECTIONS, WIDGET_KINDS } from '../../metadata/dashboard'
import type { JsonSchema } from './field-schema'
import { errors, ok, ref, type PathGroup } from './operation-parts'

const widget: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { enum: WIDGET_KINDS },
    title: { type: 'string', description: "In the caller's language" },
    width: { type: 'integer', description: 'Columns of a 12-column grid' },
    height: { type: 'integer', description: 'Grid rows (1–4)' },
    report: {
      type: 'object',
      description: 'report, kpi: the report as GET /api/reports lists it',
    },
    show: { enum: ['chart', 'table'], description: 'report: its chart or its table' },
    parameters: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'report, kpi: values to run the report with (GET /api/reports/{id}/run)',
    },
    measure: { type: 'string', description: 'kpi: the measure shown' },
    compare: { const: 'previousPeriod' },
    better: { enum: KPI_DIRECTIONS, description: 'kpi: which way its change is good news' },
    limit: { type: 'integer', description: 'inbox, notifications: lines shown' },
  },
  required: ['id', 'kind', 'title', 'width', 'height'],
}

const dashboard: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    label: { type: 'string' },
    description: { type: 'string' },
    widgets: { type: 'array', items: ref('DashboardWidget') },
  },
  required: ['id', 'label', 'widgets'],
}

const value: JsonSchema = {
  anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }],
  description: 'A number, or an exact decimal string for sums and averages of decimals and money',
}

const kpi: JsonSchema = {
  type: 'object',
  properties: {
    widget: { type: 'string' },
    label: { type: 'string', description: "The measure's label" },
    value,
    format: { enum: ['number', 'integer', 'percent', 'money'] },
    valueKind: { enum: ['integer', 'decimal', 'date', 'datetime', 'ratio'] },
    currency: { type: 'string', description: 'money: the currency of the amounts (ISO 4217)' },
    previous: {
      anyOf: [
        {
          type: 'object',
          properties: { period: { type: 'string' }, value },
          required: ['period', 'value'],
        },
        { type: 'null' },
      ],
      description: 'compare: the period before and the value over it; null when there is none',
    },
  },
  required: ['widget', 'label', 'value'],
}

/** GET /api/dashboard and /api/dashboard/kpis/{widget}. */
export function buildDashboardPaths(): PathGroup {
  const tags = ['dashboard']
  return {
    tags: [{ name: 'dashboard', description: "The caller's dashboard and its KPI numbers" }],
    schemas: { DashboardWidget: widget, CallerDashboard: dashboard, KpiValue: kpi },
    paths: {
      '/api/dashboard': {
        get: {
          tags,
          operationId: 'getDashboard',
          summary: "The caller's dashboard",
          description:
            "The dashboard of the highest priority that names one of the caller's roles, else the default one, with the widgets the caller may see: a report or KPI widget over a report the caller may not run is left out. `dashboard` is null when no dashboard is for the caller.",
          responses: {
            200: ok('The dashboard', {
              type: 'object',
              properties: { dashboard: { anyOf: [ref('CallerDashboard'), { type: 'null' }] } },
              required: ['dashboard'],
            }),
            ...errors(400, 401),
          },
        },
      },
      '/api/dashboard/kpis/{widget}': {
        get: {
          tags,
          operationId: 'getDashboardKpi',
          summary: 'The number of a KPI widget',
          description:
            "One measure of the widget's report over every row it reads in the caller's read scope, with the widget's parameters; with `compare`, also over the period before the report's first date range.",
          parameters: [
            {
              name: 'widget',
              in: 'path',
              required: true,
              description: "A KPI widget id of the caller's dashboard",
              schema: { type: 'string' },
            },
          ],
          responses: { 200: ok('The number', ref('KpiValue')), ...errors(400, 401, 403, 404, 422) },
        },
      },
    },
  }
}
