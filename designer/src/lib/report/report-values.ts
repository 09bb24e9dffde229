import type { Locale } from '$metadata/labels'
import { formatMoney, formatNumber, formatPercent } from '$lib/format'
import type { ReportColumn, ReportValue } from '$lib/api/reports'

/** How a value that is not there reads where a figure stands alone (a KPI): not as a 0. */
export const NO_VALUE = '—'

/**
 * A KPI's value as it stands: a sum or count over no records is 0, a share of no records has
 * none (null, shown as NO_VALUE), never 0 %.
 * @example toKpiValue({ valueKind: 'ratio' }, null) // null
 * @example toKpiValue({ valueKind: 'decimal', format: 'money' }, null) // 0
 */
export function toKpiValue(col: ValueShape, value: ReportValue): ReportValue {
  const empty = value === null || value === undefined || value === ''
  return empty ? (col.valueKind === 'ratio' ? null : 0) : value
}

/** What a KPI or a measure column says about its values. */
type ValueShape = Pick<ReportColumn, 'format' | 'valueKind' | 'currency'>

/**
 * A report value as a reader sees it: counts and sums in the locale's digits (exact decimal
 * strings never pass through a float), ratios as percents unless they say otherwise (cost per
 * lead is money), money in its currency (two places without one). Empty → ''.
 * @example formatReportValue({ valueKind: 'ratio' }, 0.428571, 'en') // '42.9%'
 */
export function formatReportValue(col: ValueShape, value: ReportValue, locale: Locale): string {
  if (value === null || value === undefined || value === '') return ''
  if (col.valueKind === 'date') return String(value)
  if (col.valueKind === 'datetime') return new Date(String(value)).toLocaleString(locale)
  if (col.valueKind === 'ratio' && (col.format === undefined || col.format === 'percent')) {
    const nf = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })
    return nf.format(Number(value))
  }
  switch (col.format) {
    case 'money':
      return formatMoney(value, col.currency, locale)
    case 'percent':
      return formatPercent(value, locale, 1)
    case 'integer':
      return formatNumber(value, locale, 0)
    default:
      return formatNumber(value, locale, col.valueKind === 'integer' ? 0 : 2)
  }
}

/** A KPI's figure longer than this many characters reads in compact notation. */
const KPI_MAX_CHARS = 10

/**
 * A KPI's figure as its card shows it: in full when short, else in the locale's compact
 * notation (28.28M, 2828万, 2828만) so it fits the card; `full` is the exact figure, for the
 * tooltip. Ratios and dates are never compacted.
 * @example formatKpiValue({ format: 'money', valueKind: 'decimal', currency: 'CNY' }, '28284267.2', 'en') // { text: 'CN¥28.28M', full: 'CN¥28,284,267.20' }
 */
export function formatKpiValue(
  col: ValueShape,
  value: ReportValue,
  locale: Locale,
): { text: string; full: string } {
  const full = formatReportValue(col, value, locale)
  const n = toPlotNumber(value)
  const kind = col.valueKind
  const numeric = kind !== 'ratio' && kind !== 'date' && kind !== 'datetime'
  if (!numeric || n === null || full.length <= KPI_MAX_CHARS) return { text: full, full }
  const money = col.format === 'money' && col.currency && /^[A-Z]{3}$/.test(col.currency)
  const compact = new Intl.NumberFormat(locale, {
    notation: 'compact',
    maximumSignificantDigits: 4,
    ...(money ? { style: 'currency', currency: col.currency } : {}),
  })
  return { text: compact.format(n), full }
}

/** A value as a chart plots it (a decimal string becomes a number only here). */
export function toPlotNumber(value: ReportValue): number | null {
  if (value === null || value === '') return null
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}

/** The change from `before` to `now` as a signed percent of `before`, or null when undefined. */
export function changeRatio(now: ReportValue, before: ReportValue): number | null {
  const a = toPlotNumber(now)
  const b = toPlotNumber(before)
  if (a === null || b === null || b === 0) return null
  return (a - b) / Math.abs(b)
}

/** Whether a change is good or bad news; null when nothing changed or there is no change. */
export type ChangeTone = 'good' | 'bad' | null

/**
 * How a KPI's change reads, given which way is better: a drop in SLA breaches is good news.
 * @example toChangeTone(-0.2, 'lower') // 'good'
 */
export function toChangeTone(
  change: number | null,
  better: 'higher' | 'lower' = 'higher',
): ChangeTone {
  if (change === null || change === 0) return null
  return change > 0 === (better === 'higher') ? 'good' : 'bad'
}
