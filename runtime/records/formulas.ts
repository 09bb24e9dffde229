import { DEFAULT_PLACES, type Field } from '../../metadata/field'
import type { Rule } from '../../metadata/rule'
import type { RecordData } from './record-data'
import { evaluateRule, roundHalfUp } from './rule-engine'

/** Names a rule reads with `{"var": "name…"}` (first path segment). */
export function ruleVars(rule: Rule, into = new Set<string>()): Set<string> {
  if (Array.isArray(rule)) {
    for (const item of rule) ruleVars(item, into)
  } else if (rule && typeof rule === 'object') {
    for (const [op, arg] of Object.entries(rule)) {
      if (op === 'var') {
        const name = Array.isArray(arg) ? arg[0] : arg
        if (typeof name === 'string' && name) into.add(name.split('.')[0])
      }
      ruleVars(arg, into)
    }
  }
  return into
}

/** Formula fields in dependency order (a formula after those it reads); cycles keep declared order. */
export function orderFormulas(formulas: Field[]): Field[] {
  const byName = new Map(formulas.map((f) => [f.name, f]))
  const ordered: Field[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (field: Field) => {
    if (state.get(field.name)) return
    state.set(field.name, 'visiting')
    for (const name of ruleVars(field.formula as Rule)) {
      const dep = byName.get(name)
      if (dep && dep !== field) visit(dep)
    }
    state.set(field.name, 'done')
    ordered.push(field)
  }
  for (const field of formulas) visit(field)
  return ordered
}

/**
 * Computes the formula fields of `record` in place, over the record itself and, under `$ref`,
 * the records its references point at (`refs`, see lookups.ts).
 */
export function computeFormulas(
  formulas: Field[],
  record: RecordData,
  now: Date,
  refs?: RecordData,
): void {
  const data = refs ? { ...record, $ref: refs } : record
  for (const field of formulas) {
    let value: unknown
    try {
      value = evaluateRule(field.formula as Rule, data, { now })
    } catch {
      // A formula that cannot be computed for this record (bad data) leaves the value empty.
      value = null
    }
    record[field.name] = coerceFormula(field, value)
    if (data !== record) data[field.name] = record[field.name]
  }
}

// Money columns keep DEFAULT_PLACES.money: no currency keeps more than that here.
const MONEY_PLACES = DEFAULT_PLACES.money
const minorUnits = new Map<string, number>()

/** Digits after the point of a currency (CNY 2, KRW 0, JPY 0), at most two. */
export function currencyPlaces(currency: string | undefined): number {
  if (!currency) return MONEY_PLACES
  let places = minorUnits.get(currency)
  if (places === undefined) {
    try {
      const format = new Intl.NumberFormat('en', { style: 'currency', currency })
      places = Math.min(MONEY_PLACES, format.resolvedOptions().maximumFractionDigits ?? 2)
    } catch {
      places = MONEY_PLACES
    }
    minorUnits.set(currency, places)
  }
  return places
}

/** The places a numeric computed field is rounded to (number: its scale, money: its currency). */
export function resultPlaces(field: Field): number {
  return field.resultType === 'money'
    ? currencyPlaces(field.currency)
    : (field.scale ?? DEFAULT_PLACES.formula)
}

/** A computed value as the field stores it: numbers exact and rounded, dates as ISO text. */
export function coerceFormula(field: Field, value: unknown): unknown {
  if (value === null || value === undefined) return null
  switch (field.resultType) {
    case 'number':
    case 'money': {
      // A money value (a lookup of a money field) counts by its amount.
      const raw = isMoney(value) ? value.amount : value
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN
      if (!Number.isFinite(n) || Math.abs(n) >= 1e15) return null
      return roundHalfUp(n, resultPlaces(field))
    }
    case 'boolean':
      return Boolean(value)
    case 'date': {
      const text = value instanceof Date ? value.toISOString() : String(value)
      return /^\d{4}-\d\d-\d\d/.test(text) ? text.slice(0, 10) : null
    }
    case 'datetime': {
      const time = value instanceof Date ? value.getTime() : Date.parse(String(value))
      return Number.isFinite(time) ? new Date(time).toISOString() : null
    }
    default:
      return (typeof value === 'string' ? value : JSON.stringify(value)).replace(/\u0000/g, '')
  }
}

function isMoney(value: unknown): value is { amount: unknown } {
  return typeof value === 'object' && value !== null && 'amount' in value
}
