import { toLabel, type Labels } from '../../metadata/labels'
import type { ChartType, MeasureFormat, ReportShape } from '../../metadata/report'
import type { CompiledReport } from './compile-report'
import { bucketLabel } from './bucket-label'
import type { DimensionPart, MeasurePart, ReportParts, ValueKind } from './report-parts'
import { fillTrend } from './trend-fill'

/*
 * Rows of a report statement → the JSON the API answers: columns with labels, rows with the
 * group keys (for drill-downs) and the shown values, laid out per shape.
 */

/** A value of a cell: a label, a number, an exact decimal string, a day or an instant, or empty. */
export type ReportValue = string | number | null

/** A select dimension's option as its column lists it: charts keep its order and colour. */
export interface ReportColumnOption {
  value: string
  label: string
  color?: string
}

/** One column of the result. */
export interface ReportColumn {
  id: string
  label: string
  kind: 'dimension' | 'measure'
  /** measure columns: how values are shown and what they are. */
  format?: MeasureFormat
  valueKind?: ValueKind
  /** money: the currency of the amounts (ISO 4217), when the metadata names one. */
  currency?: string
  /** The measure a pivot, aging or funnel column shows. */
  measure?: string
  /** Keys this column adds to a row's keys for a drill-down (pivot columns, aging buckets). */
  keys?: Record<string, string | null>
  /** A select dimension: its options in the field's order, labels in the caller's language. */
  options?: ReportColumnOption[]
}

/** One row: its group keys (what `drill` takes as `cell`) and its values by column id. */
export interface ReportRow {
  keys: Record<string, string | null>
  values: Record<string, ReportValue>
  /** A pivot's total row. */
  total?: boolean
}

/** What running a report answers. */
export interface ReportResult {
  id: string
  label: string
  shape: ReportShape
  chart?: { type: ChartType; x?: string; series?: string[]; stacked?: boolean }
  columns: ReportColumn[]
  rows: ReportRow[]
  /** funnel: every measure over every row the report reads. */
  totals?: Record<string, ReportValue>
  /** funnel: the columns of `totals` (label, format, currency), in the report's order. */
  totalColumns?: ReportColumn[]
  /** More groups exist than the report may answer (1000; 10,000 pivot groups). */
  truncated: boolean
}

type Row = Record<string, unknown>

const YES_NO: Record<string, Labels> = {
  true: { en: 'Yes', 'zh-CN': '是', ko: '예' },
  false: { en: 'No', 'zh-CN': '否', ko: '아니요' },
}
const CONVERSION: Labels = { en: 'Conversion', 'zh-CN': '转化率', ko: '전환율' }
const TOTAL: Labels = { en: 'Total', 'zh-CN': '合计', ko: '합계' }

/** `12.50` → `12.5`, `100.00` → `100`: one spelling per number. */
export function normalizeDecimal(text: string): string {
  if (!text.includes('.')) return text === '-0' ? '0' : text
  const trimmed = text.replace(/0+$/, '').replace(/\.$/, '')
  return trimmed === '-0' ? '0' : trimmed
}

/** A measure's text from the statement as the API shows it. */
export function toValue(kind: ValueKind, text: unknown): ReportValue {
  if (text === null || text === undefined) return null
  const s = String(text)
  if (kind === 'integer' || kind === 'ratio') return Number(s)
  if (kind === 'decimal') return normalizeDecimal(s)
  return s
}

/** How a group key reads in the caller's language. */
function keyLabel(
  parts: ReportParts,
  dim: DimensionPart,
  key: string | null,
  title: unknown,
): string | null {
  if (key === null) return null
  if (dim.titleOf) return typeof title === 'string' ? title : key
  const locale = parts.env.locale
  if (dim.options) return toLabel(dim.options.find((o) => o.value === key)?.label, locale, key)
  if (dim.bucket) return bucketLabel(key, dim.bucket, parts.fiscalStart, locale)
  if (dim.isBoolean) return toLabel(YES_NO[key], locale, key)
  return key
}

function dimensionKeys(parts: ReportParts, row: Row, only?: number[]) {
  const keys: Record<string, string | null> = {}
  const values: Record<string, ReportValue> = {}
  parts.dims.forEach((d, i) => {
    if (only && !only.includes(i)) return
    const key = (row[`k${i}`] as string | null) ?? null
    keys[d.id] = key
    values[d.id] = keyLabel(parts, d, key, row[`t${i}`])
  })
  return { keys, values }
}

function dimensionColumn(parts: ReportParts, d: DimensionPart): ReportColumn {
  const column: ReportColumn = { id: d.id, label: d.label, kind: 'dimension' }
  if (!d.options) return column
  const options = d.options.map((o) => ({
    value: o.value,
    label: toLabel(o.label, parts.env.locale, o.value),
    ...(o.color ? { color: o.color } : {}),
  }))
  return { ...column, options }
}

/** How a measure's values read: its format, kind and currency. */
const valueShape = (m: MeasurePart) => ({
  format: m.format,
  valueKind: m.kind,
  ...(m.currency ? { currency: m.currency } : {}),
})

function measureColumnsOf(parts: ReportParts): ReportColumn[] {
  return parts.measures.map((m) => ({
    id: m.id,
    label: m.label,
    kind: 'measure',
    ...valueShape(m),
  }))
}

function measureValues(parts: ReportParts, row: Row): Record<string, ReportValue> {
  const out: Record<string, ReportValue> = {}
  parts.measures.forEach((m, k) => (out[m.id] = toValue(m.kind, row[`m${k}`])))
  return out
}

function shapeRows(compiled: CompiledReport, rows: Row[]): Pick<ReportResult, 'columns' | 'rows'> {
  const { parts } = compiled
  const columns = [...parts.dims.map((d) => dimensionColumn(parts, d)), ...measureColumnsOf(parts)]
  const bounds = compiled.agingBounds
  const aging = parts.report.aging
  const agingMeasure = aging && parts.measures.find((m) => m.id === aging.measure)
  if (bounds && agingMeasure) {
    for (let b = 0; b <= bounds.length; b++) {
      const label =
        b === 0
          ? `0–${bounds[0]}`
          : b === bounds.length
            ? `> ${bounds[b - 1]}`
            : `${bounds[b - 1] + 1}–${bounds[b]}`
      columns.push({
        id: `$aging${b}`,
        label,
        kind: 'measure',
        ...valueShape(agingMeasure),
        measure: agingMeasure.id,
        keys: { $aging: String(b) },
      })
    }
  }
  const out = rows.map((row) => {
    const { keys, values } = dimensionKeys(parts, row)
    Object.assign(values, measureValues(parts, row))
    if (bounds && agingMeasure)
      for (let b = 0; b <= bounds.length; b++)
        values[`$aging${b}`] = toValue(agingMeasure.kind, row[`a${b}`])
    return { keys, values }
  })
  parts.dims.forEach((d, i) => d.hintOf && tellApart(out, d.id, rows, `h${i}`))
  return { columns, rows: out }
}

/**
 * Where two groups of a reference dimension read the same (two products named alike), each
 * reads with its hint: "Name (P10039)". Labels no other group shares stay as they are.
 */
function tellApart(out: ReportRow[], dim: string, rows: Row[], hint: string): void {
  const keysOf = new Map<string, Set<string | null>>()
  for (const r of out) {
    const label = r.values[dim]
    if (typeof label !== 'string') continue
    const keys = keysOf.get(label) ?? new Set()
    keysOf.set(label, keys.add(r.keys[dim]))
  }
  out.forEach((r, i) => {
    const label = r.values[dim]
    const h = rows[i][hint]
    if (typeof label === 'string' && keysOf.get(label)!.size > 1 && typeof h === 'string' && h)
      r.values[dim] = `${label} (${h})`
  })
}

function shapeFunnel(
  compiled: CompiledReport,
  rows: Row[],
): Pick<ReportResult, 'columns' | 'rows' | 'totals' | 'totalColumns'> {
  const { parts } = compiled
  const funnel = parts.report.funnel!
  const dim = parts.dims.find((d) => d.id === funnel.dimension)!
  const measure = parts.measures.find((m) => m.id === funnel.measure)!
  const row = rows[0] ?? {}
  let previous: number | null = null
  const out = compiled.stages!.map((stage, i) => {
    const value = toValue(measure.kind, row[`s${i}`])
    const n = value === null ? null : Number(value)
    const conversion =
      previous === null || n === null || previous === 0
        ? null
        : Math.round((n / previous) * 1e6) / 1e6
    previous = n
    return {
      keys: { [dim.id]: stage },
      values: {
        [dim.id]: keyLabel(parts, dim, stage, null),
        [measure.id]: value,
        $conversion: i === 0 ? null : conversion,
      },
    }
  })
  const columns: ReportColumn[] = [
    dimensionColumn(parts, dim),
    {
      id: measure.id,
      label: measure.label,
      kind: 'measure',
      ...valueShape(measure),
    },
    {
      id: '$conversion',
      label: toLabel(CONVERSION, parts.env.locale),
      kind: 'measure',
      format: 'percent',
      valueKind: 'ratio',
      measure: measure.id,
    },
  ]
  return {
    columns,
    rows: out,
    totals: measureValues(parts, row),
    totalColumns: measureColumnsOf(parts),
  }
}

/** A measure over no rows. */
function emptyValue(m: ReportParts['measures'][number]): ReportValue {
  const def = m.def as { aggregate?: string }
  return def.aggregate === 'count' || def.aggregate === 'countDistinct' ? 0 : null
}

const NUMBER = /^-?\d+(\.\d+)?$/

/** Where a key sorts: a select by its options' order, other keys as text, empty last. */
function keyRank(dim: DimensionPart, key: string | null): [number, string] {
  if (key === null) return [2, '']
  const at = dim.options?.findIndex((o) => o.value === key) ?? -1
  return at >= 0 ? [0, String(at).padStart(6, '0')] : [1, key]
}

/** Pivot columns in the order of their dimensions' keys, as the rows are (dates ascending). */
function compareKeys(
  parts: ReportParts,
  dims: number[],
  a: Record<string, string | null>,
  b: Record<string, string | null>,
): number {
  for (const i of dims) {
    const dim = parts.dims[i]
    const [ra, ka] = keyRank(dim, a[dim.id])
    const [rb, kb] = keyRank(dim, b[dim.id])
    if (ra !== rb) return ra - rb
    const numeric = NUMBER.test(ka) && NUMBER.test(kb) && Number(ka) !== Number(kb)
    if (numeric) return Number(ka) - Number(kb)
    if (ka !== kb) return ka < kb ? -1 : 1
  }
  return 0
}

/** Row keys of a pivot group as one string, to find the row again. */
const joinKeys = (keys: Record<string, string | null>) => JSON.stringify(keys)

function shapePivot(compiled: CompiledReport, rows: Row[]): Pick<ReportResult, 'columns' | 'rows'> {
  const { parts } = compiled
  const n = parts.dims.length
  const index = (id: string) => parts.dims.findIndex((d) => d.id === id)
  const rowDims = parts.report.pivot!.rows.map(index)
  const colDims = parts.report.pivot!.columns.map(index)
  const mask = (dims: number[]) => dims.reduce((m, i) => m | (1 << (n - 1 - i)), 0)
  const colHeads = new Map<
    string,
    { keys: Record<string, string | null>; label: string; at: number }
  >()
  const byRow = new Map<string, ReportRow>()
  const total = (): ReportRow => ({ keys: {}, values: {}, total: true })
  let grand: ReportRow | undefined
  for (const row of rows) {
    const g = Number(row.g ?? 0)
    const r = g & mask(rowDims) ? undefined : dimensionKeys(parts, row, rowDims)
    const c = g & mask(colDims) ? undefined : dimensionKeys(parts, row, colDims)
    let suffix = 'total'
    if (c) {
      const id = joinKeys(c.keys)
      let head = colHeads.get(id)
      if (!head) {
        head = {
          keys: c.keys,
          label: colDims.map((i) => c.values[parts.dims[i].id] ?? '—').join(' · '),
          at: colHeads.size,
        }
        colHeads.set(id, head)
      }
      suffix = String(head.at)
    }
    let target: ReportRow
    if (r) {
      const id = joinKeys(r.keys)
      target = byRow.get(id) ?? { keys: r.keys, values: { ...r.values } }
      byRow.set(id, target)
    } else target = grand ??= total()
    const values = measureValues(parts, row)
    for (const m of parts.measures) target.values[`${m.id}$${suffix}`] = values[m.id]
  }
  const columns: ReportColumn[] = rowDims.map((i) => dimensionColumn(parts, parts.dims[i]))
  const several = parts.measures.length > 1
  const heads = [
    ...[...colHeads.values()].sort((a, b) => compareKeys(parts, colDims, a.keys, b.keys)),
    ...(rows.some((r) => Number(r.g ?? 0) & mask(colDims))
      ? [{ keys: {}, label: toLabel(TOTAL, parts.env.locale), at: -1 }]
      : []),
  ]
  for (const head of heads)
    for (const m of parts.measures)
      columns.push({
        id: `${m.id}$${head.at < 0 ? 'total' : head.at}`,
        label: several ? `${head.label} · ${m.label}` : head.label,
        kind: 'measure',
        ...valueShape(m),
        measure: m.id,
        keys: head.keys,
      })
  const out = grand ? [...byRow.values(), grand] : [...byRow.values()]
  // A row × column pair without records is a cell over no rows: counts 0, other values empty.
  for (const row of out)
    for (const column of columns)
      if (column.kind === 'measure' && !(column.id in row.values))
        row.values[column.id] = emptyValue(parts.measures.find((m) => m.id === column.measure)!)
  return { columns, rows: out }
}

/**
 * The API's answer for the rows of a compiled report's statement.
 * @example shapeReport(compiled, rows).rows[0] // { keys: { stage: 'won' }, values: { stage: 'Won', deals: 4 } }
 */
export function shapeReport(compiled: CompiledReport, rows: Row[]): ReportResult {
  const { parts } = compiled
  const report = parts.report
  const shape = report.shape ?? 'summary'
  const truncated = rows.length > compiled.cap && report.limit === undefined
  const kept = rows.slice(0, compiled.cap)
  const body =
    shape === 'funnel'
      ? shapeFunnel(compiled, kept)
      : shape === 'pivot'
        ? shapePivot(compiled, kept)
        : shapeRows(compiled, kept)
  const filled =
    shape === 'trend' ? fillTrend(parts, body.rows, truncated) : { rows: body.rows, truncated }
  return {
    id: report.id,
    label: toLabel(report.label, parts.env.locale, report.id),
    shape,
    ...(report.chart ? { chart: report.chart } : {}),
    ...body,
    rows: filled.rows,
    truncated: shape === 'pivot' ? rows.length > compiled.cap : filled.truncated,
  }
}
