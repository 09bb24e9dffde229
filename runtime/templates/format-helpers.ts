import Big from 'big.js'
/**
 * The formatting helpers every template has: dates, numbers, money and percentages in the
 * reader's locale (en, zh-CN, ko, or any other tag Intl knows) and time zone. They read the
 * locale and zone from the render's `@data`, so one compiled template serves every reader. A
 * value that is missing or not what the helper formats renders as '' instead of failing the
 * whole alert.
 */

/** Where a helper finds the reader's locale and time zone (handlebars' `options.data`). */
export interface FormatScope {
  locale: string
  timeZone: string
}

/** Formatters are costly to build and a batch of reminders reuses a few: keep them. */
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()
const CACHE_LIMIT = 256

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  const hit = cache.get(key)
  if (hit) return hit as T
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
  const made = make()
  cache.set(key, made)
  return made
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions) {
  return cached(
    `n|${locale}|${JSON.stringify(options)}`,
    () => new Intl.NumberFormat(locale, options),
  )
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions) {
  return cached(
    `d|${locale}|${JSON.stringify(options)}`,
    () => new Intl.DateTimeFormat(locale, options),
  )
}

/**
 * A value as an exact decimal string (Intl formats such strings without a float): a number is
 * first cut to the 15 significant digits a double holds, so 0.1 + 0.2 formats as 0.3 and 1.005
 * rounds to 1.01, as it was written.
 */
export function toDecimalText(value: unknown): string | null {
  if (typeof value === 'number')
    return Number.isFinite(value) ? new Big(value.toPrecision(15)).toFixed() : null
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return value.trim()
  return null
}
const toNumeric = toDecimalText

// Intl accepts exact decimal strings (ES2023 NumberFormat v3); its typings list only numbers.
export const formatNumeric = (nf: Intl.NumberFormat, n: string) => nf.format(n as unknown as number)

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const STYLES = new Set(['full', 'long', 'medium', 'short'])
type Style = 'full' | 'long' | 'medium' | 'short'
const toStyle = (value: unknown, fallback: Style): Style =>
  typeof value === 'string' && STYLES.has(value) ? (value as Style) : fallback

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value
  if (typeof value !== 'string' && typeof value !== 'number') return null
  const date = new Date(
    typeof value === 'string' && DATE_ONLY.test(value) ? `${value}T00:00Z` : value,
  )
  return Number.isNaN(date.getTime()) ? null : date
}

const toPlaces = (value: unknown, fallback: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10
    ? value
    : fallback

/**
 * A date in the reader's style. A date field (`'YYYY-MM-DD'`) is a calendar day and shows as that
 * day everywhere; a date-time shows as the day it is in the reader's time zone.
 * @example formatDate('2025-03-01', { locale: 'ko', timeZone: 'Asia/Seoul' }) // '2025. 3. 1.'
 */
export function formatDate(value: unknown, scope: FormatScope, style?: unknown): string {
  const date = toDate(value)
  if (!date) return ''
  const zone = typeof value === 'string' && DATE_ONLY.test(value) ? 'UTC' : scope.timeZone
  return dateFormat(scope.locale, { dateStyle: toStyle(style, 'medium'), timeZone: zone }).format(
    date,
  )
}

/** A date and time of day in the reader's time zone (short time, medium date by default). */
export function formatDateTime(value: unknown, scope: FormatScope, style?: unknown): string {
  const date = toDate(value)
  if (!date) return ''
  const dateStyle = toStyle(style, 'medium')
  const options = { dateStyle, timeStyle: 'short' as const, timeZone: scope.timeZone }
  return dateFormat(scope.locale, options).format(date)
}

/** A number with the locale's separators and at most `places` decimals (default 2). */
export function formatNumber(value: unknown, scope: FormatScope, places?: unknown): string {
  const n = toNumeric(value)
  if (n === null) return ''
  const nf = numberFormat(scope.locale, { maximumFractionDigits: toPlaces(places, 2) })
  return formatNumeric(nf, n)
}

/**
 * An amount in a currency with that currency's minor digits (CNY 2, KRW 0). Takes a money value
 * `{ amount, currency }` or an amount and an ISO 4217 code; without a valid code, two places.
 * @example formatMoney({ amount: 1200, currency: 'CNY' }, { locale: 'zh-CN', timeZone: 'UTC' })
 */
export function formatMoney(value: unknown, scope: FormatScope, currency?: unknown): string {
  let amount = value
  let code = currency
  if (typeof value === 'object' && value !== null && 'amount' in value) {
    const money = value as { amount?: unknown; currency?: unknown }
    amount = money.amount
    if (typeof money.currency === 'string' && money.currency) code = money.currency
  }
  const n = toNumeric(amount)
  if (n === null) return ''
  if (typeof code === 'string' && /^[A-Z]{3}$/.test(code)) {
    return formatNumeric(numberFormat(scope.locale, { style: 'currency', currency: code }), n)
  }
  const plain = { minimumFractionDigits: 2, maximumFractionDigits: 2 }
  return formatNumeric(numberFormat(scope.locale, plain), n)
}

/** A percent value as stored (13 means 13 %) in the locale's percent style, ≤ `places` decimals. */
export function formatPercent(value: unknown, scope: FormatScope, places?: unknown): string {
  const n = toNumeric(value)
  if (n === null) return ''
  const nf = numberFormat(scope.locale, {
    style: 'percent',
    maximumFractionDigits: toPlaces(places, 2),
  })
  return formatNumeric(nf, new Big(n).div(100).toFixed())
}

/** The helpers by the names templates call them. */
export const FORMAT_HELPERS = {
  formatDate,
  formatDateTime,
  formatNumber,
  formatMoney,
  formatPercent,
} as const
