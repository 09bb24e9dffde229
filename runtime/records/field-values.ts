import type { Field } from '../../metadata/field'

/**
 * Conversions between database values and API values. Rows come from postgres.js (dates and
 * timestamps as text, numeric as text), PGlite (Date objects, numeric as text) or json_agg
 * (numbers, ISO-ish text): every reader accepts all three.
 */

const PG_TIMESTAMP =
  /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(Z|[+-]\d\d(?::?\d\d)?)?$/

/** A timestamptz value → `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function toIsoDateTime(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  const text = String(value)
  // Fast path for the common UTC text `2026-11-23 17:14:51.354242+00` (lists read many of these).
  if (text.length >= 22 && text.endsWith('+00') && text[10] === ' ' && text[19] === '.') {
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${text.slice(20, -3).padEnd(3, '0').slice(0, 3)}Z`
  }
  const m = PG_TIMESTAMP.exec(text)
  if (!m) return new Date(text).toISOString()
  let zone = m[3] ?? 'Z'
  if (zone !== 'Z' && zone.length === 3) zone += ':00'
  else if (zone !== 'Z' && zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`
  return new Date(`${m[1]}T${m[2]}${zone}`).toISOString()
}

/** A date value → `YYYY-MM-DD`. PGlite gives midnight UTC Dates. */
export function toIsoDate(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return String(value).slice(0, 10)
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null
  return typeof value === 'number' ? value : Number(value)
}

function toJsonValue(value: unknown): unknown {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value)
    } catch {
      return value
    }
  }
  return value ?? null
}

function toStringArray(value: unknown): string[] | null {
  if (value === null || value === undefined) return null
  return Array.isArray(value) ? (value as string[]) : (toJsonValue(value) as string[])
}

/** Reads one column value as the API value of `type` (money is read by `readMoney`). */
export type ValueReader = (value: unknown) => unknown

/** The reader for a field's main column. */
export function valueReader(field: Pick<Field, 'type' | 'resultType'>): ValueReader {
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'percent':
      return toNumber
    case 'date':
      return toIsoDate
    case 'datetime':
      return toIsoDateTime
    case 'multiSelect':
      return toStringArray
    case 'attachment':
    case 'attachments':
    case 'json':
      return toJsonValue
    case 'formula':
      if (field.resultType === 'number' || field.resultType === 'money') return toNumber
      if (field.resultType === 'date') return toIsoDate
      if (field.resultType === 'datetime') return toIsoDateTime
      return identity
    default:
      return identity
  }
}

function identity(value: unknown): unknown {
  return value ?? null
}

/** Money from its two columns. */
export function readMoney(
  amount: unknown,
  currency: unknown,
): { amount: number; currency: string } | null {
  if (amount === null || amount === undefined) return null
  return { amount: Number(amount), currency: (currency as string | null) ?? '' }
}

/** A JS string array as a PostgreSQL array literal (`{"a","b"}`), for a text[] parameter. */
export function toPgTextArray(values: readonly string[]): string {
  const items = values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
  return `{${items.join(',')}}`
}

/** The parameters a field's columns take for an API value (money: amount and currency). */
export function toParams(field: Field, value: unknown): unknown[] {
  if (value === undefined || value === null) return field.type === 'money' ? [null, null] : [null]
  switch (field.type) {
    case 'money': {
      const money = value as { amount: number; currency?: string }
      return [money.amount, money.currency ?? field.currency ?? null]
    }
    case 'multiSelect':
      return [toPgTextArray(value as string[])]
    case 'attachment':
    case 'attachments':
    case 'json':
      return [JSON.stringify(value)]
    default:
      return [value]
  }
}
