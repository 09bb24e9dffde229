import type { ReportColumn, ReportResult, ReportRow } from '$lib/api/reports'
import { toPlotNumber } from './report-values'
import { byOptionOrder, optionColor, paletteColor } from './series-colors'

/*
 * A report result → what a chart draws: category labels along x, datasets of numbers, and for
 * every point the keys of the cell behind it, so a click drills down to its records.
 */

/** The group keys of a plotted point, as the drill-down takes them. */
export type CellKeys = Record<string, string | null>

export interface ChartDataset {
  label: string
  /** The column whose format the values take (tooltips, axes). */
  column: ReportColumn
  data: (number | null)[]
  cells: CellKeys[]
  /** Its colour: a select option's own, else the palette's at its place. */
  color: string
}

export interface ChartData {
  type: 'bar' | 'line' | 'area' | 'pie' | 'funnel'
  stacked: boolean
  /** Every series counts things (records, distinct values, an integer field): no 0.5 on the axis. */
  wholeNumbers: boolean
  labels: string[]
  datasets: ChartDataset[]
  /** pie, funnel: a colour per label (per slice or stage). */
  labelColors: string[]
  /** Whether the legend is drawn: when the series' names tell the reader something. */
  legend: boolean
}

const isPlain = (c: ReportColumn) => c.kind === 'measure' && !c.id.includes('$')

const isBlank = (v: unknown) => v === null || v === undefined || v === ''

/** The label of a group, or the fallback for an empty key. */
const groupLabel = (row: ReportRow, dim: string, empty: string) => {
  const v = row.values[dim]
  return isBlank(v) ? empty : String(v)
}

/** Measure columns the chart plots: its series (default every plain measure). */
function seriesColumns(result: ReportResult): ReportColumn[] {
  const plain = result.columns.filter(isPlain)
  const wanted = result.chart?.series
  return wanted ? plain.filter((c) => wanted.includes(c.id)) : plain
}

/**
 * Whether every plotted column holds whole numbers by kind (counts, integer sums): judged on the
 * columns, not the datasets, so that a chart with no rows yet keeps a whole-number axis too.
 */
const isWhole = (columns: ReportColumn[]) =>
  columns.length > 0 && columns.every((c) => c.valueKind === 'integer' || c.format === 'integer')

/**
 * Rows × a second dimension: one dataset per value of it, for the first series measure. The
 * datasets of a select follow its options' order and take their colours.
 */
function splitBy(result: ReportResult, x: string, split: string, empty: string): ChartData {
  const measure = seriesColumns(result)[0]
  const options = result.columns.find((c) => c.id === split)?.options
  const labels: string[] = []
  const bySplit = new Map<string, { key: string | null; ds: ChartDataset }>()
  // A bar per group key, never per label: two products named alike stay two bars.
  const at = new Map<string, number>()
  const xKey = (row: ReportRow) => JSON.stringify([row.keys[x] ?? null, groupLabel(row, x, empty)])
  for (const row of result.rows) {
    const k = xKey(row)
    if (!at.has(k)) at.set(k, labels.push(groupLabel(row, x, empty)) - 1)
  }
  for (const row of result.rows) {
    const sl = groupLabel(row, split, empty)
    let entry = bySplit.get(sl)
    if (!entry) {
      const data = labels.map(() => null)
      const cells = labels.map(() => ({}))
      const ds = { label: sl, column: measure, data, cells, color: '' }
      entry = { key: row.keys[split] ?? null, ds }
      bySplit.set(sl, entry)
    }
    const i = at.get(xKey(row))!
    entry.ds.data[i] = toPlotNumber(row.values[measure.id])
    entry.ds.cells[i] = row.keys
  }
  const ordered = byOptionOrder([...bySplit.values()], (e) => e.key, options)
  const datasets = ordered.map((e, i) => ({
    ...e.ds,
    color: options ? optionColor(options, e.key) : paletteColor(i),
  }))
  const wholeNumbers = isWhole([measure])
  // Its series are values of the dimension: named in the legend even when there is one.
  const legend = true
  return { type: 'bar', stacked: true, wholeNumbers, labels, datasets, labelColors: [], legend }
}

/** A colour per row (slice, stage, bar): a select's option colours, else the palette in turn. */
function rowColors(rows: ReportRow[], xColumn: ReportColumn | undefined): string[] {
  if (!xColumn?.options) return rows.map((_, i) => paletteColor(i))
  const { id, options } = xColumn
  return rows.map((r) => optionColor(options, r.keys[id] ?? null))
}

/**
 * What a chart of the report draws, or null when it has no chart to draw (a pivot, a number, no
 * measure). `empty` labels a group whose key is empty.
 * @example toChartData(result, '(none)')?.datasets[0].data // [40, 28, 17]
 */
export function toChartData(result: ReportResult, empty: string): ChartData | null {
  const spec = result.chart
  if (!spec || spec.type === 'pivot' || spec.type === 'number') return null
  const rows = result.rows.filter((r) => !r.total)
  const dims = result.columns.filter((c) => c.kind === 'dimension')
  const x = spec.x ?? dims[0]?.id
  if (!x) return null
  const labels = rows.map((r) => groupLabel(r, x, empty))
  const type = spec.type
  const stacked = spec.stacked === true
  if (result.shape === 'aging') {
    const buckets = result.columns.filter((c) => c.keys && '$aging' in c.keys)
    const datasets = buckets.map((c, i) => ({
      label: c.label,
      column: c,
      data: rows.map((r) => toPlotNumber(r.values[c.id])),
      cells: rows.map((r) => ({ ...r.keys, ...c.keys })),
      color: paletteColor(i),
    }))
    const [wholeNumbers, legend] = [isWhole(buckets), datasets.length > 1]
    return { type, stacked, wholeNumbers, labels, datasets, labelColors: [], legend }
  }
  // A second dimension empty on every row (no competitor recorded on any lost deal) splits
  // nothing: the chart plots its measure as if it had no second dimension, not one "(empty)".
  // A chart that names several series plots each of them (budget, cost, won amount) side by
  // side; only a single measure is split by the second dimension.
  const second = (spec.series?.length ?? 0) > 1 ? undefined : dims.find((d) => d.id !== x)
  const split = second && rows.some((r) => !isBlank(r.values[second.id])) ? second : undefined
  if (split && (type === 'bar' || type === 'line' || type === 'area') && result.shape !== 'funnel')
    return { ...splitBy({ ...result, rows }, x, split.id, empty), type }
  const columns = seriesColumns(result)
  const series = type === 'pie' || type === 'funnel' ? columns.slice(0, 1) : columns
  if (!series.length) return null
  const datasets = series.map((c, i) => ({
    label: c.label,
    column: c,
    data: rows.map((r) => toPlotNumber(r.values[c.id])),
    cells: rows.map((r) => r.keys),
    color: paletteColor(i),
  }))
  const labelColors = rowColors(
    rows,
    dims.find((d) => d.id === x),
  )
  const legend = datasets.length > 1 || type === 'pie'
  return { type, stacked, wholeNumbers: isWhole(series), labels, datasets, labelColors, legend }
}
