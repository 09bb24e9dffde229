import { DEFAULT_PLACES, type Field } from '../../metadata/field'
import type { EntityPlan } from './entity-plan'
import { roundHalfUp } from './rule-engine'
import { isSystemKey, type RecordData } from './record-data'

/** Who writes and when: what dynamic defaults and stamps fill in. */
export interface WriteMoment {
  now: Date
  userId: string | null
}

/** The value of a stamp or a `{ dynamic }` default: the clock's day or instant, or the writer. */
export function momentValue(field: Field, token: string, at: WriteMoment): unknown {
  if (token === 'currentUser' || field.type === 'user') return at.userId
  return field.type === 'date' ? at.now.toISOString().slice(0, 10) : at.now.toISOString()
}

/**
 * A field's default for a new record: literals as they are, `today` / `now` for dates,
 * `{ dynamic: 'now' | 'today' | 'currentUser' }` from the clock or the writer.
 */
export function defaultValue(field: Field, value: unknown, at: WriteMoment): unknown {
  const now = at.now
  if (value && typeof value === 'object' && 'dynamic' in value)
    return momentValue(field, String((value as { dynamic: unknown }).dynamic), at)
  if (field.type === 'date' && value === 'today') return now.toISOString().slice(0, 10)
  if (field.type === 'datetime' && (value === 'now' || value === 'today')) return now.toISOString()
  if (field.type === 'money' && typeof value === 'number')
    return { amount: value, currency: field.currency }
  if (value && typeof value === 'object') return structuredClone(value)
  return value
}

/**
 * Child rows as the client sent them → writable values only: ids, system keys and computed
 * fields are dropped (rows are replaced on save), defaults filled in.
 */
export function cleanChildRows(plan: EntityPlan, rows: unknown[], at: WriteMoment): unknown[] {
  return rows.map((row) => {
    if (!row || typeof row !== 'object' || Array.isArray(row)) return row
    const clean: RecordData = {}
    for (const [key, value] of Object.entries(row)) {
      if (isSystemKey(key) || key === 'position') continue
      const field = plan.fieldsByName.get(key)
      if (field && (field.type === 'formula' || field.type === 'autoNumber' || field.readOnly))
        continue
      clean[key] = value
    }
    for (const { field, value } of plan.defaults) {
      if (!field.readOnly && clean[field.name] === undefined)
        clean[field.name] = defaultValue(field, value, at)
    }
    return clean
  })
}

/** Places the column of a decimal, money or percent field keeps (as PostgreSQL rounds it). */
function columnPlaces(field: { type: string; scale?: number }): number | null {
  if (field.type === 'decimal') return field.scale ?? DEFAULT_PLACES.decimal
  if (field.type === 'money') return DEFAULT_PLACES.money
  if (field.type === 'percent') return DEFAULT_PLACES.percent
  return null
}

/**
 * A number rounded half up to `places` decimals (unchanged when it cannot be rounded). One that
 * has no more decimals already is itself: the common case skips the decimal arithmetic.
 */
function toPlaces(value: unknown, places: number): unknown {
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (Number.isInteger(value)) return value
    const text = String(value)
    const dot = text.indexOf('.')
    if (!text.includes('e') && dot >= 0 && text.length - dot - 1 <= places) return value
  }
  return roundHalfUp(value, places) ?? value
}

/**
 * After validation: money gets its default currency, datetimes become canonical ISO (UTC), and
 * numbers are rounded as their column will store them, so formulas compute over stored values.
 */
export function normalizeValues(plan: EntityPlan, values: RecordData): void {
  for (const key of Object.keys(values)) {
    const field = plan.fieldsByName.get(key)
    const value = values[key]
    if (!field || value === null || value === undefined) continue
    if (field.type === 'money') {
      const money = value as { amount: number; currency?: string }
      const amount = toPlaces(money.amount, 2)
      values[key] = { amount, currency: money.currency ?? field.currency }
    } else if (typeof value === 'number' && columnPlaces(field) !== null) {
      values[key] = toPlaces(value, columnPlaces(field) as number)
    } else if (field.type === 'datetime') {
      values[key] = new Date(value as string).toISOString()
    } else if (field.type === 'childTable' && Array.isArray(value)) {
      const child = plan.childTables.find((c) => c.field === field)
      if (child) for (const row of value) normalizeValues(child.plan, row as RecordData)
    }
  }
}
