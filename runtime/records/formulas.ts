import type { Field } from '../../metadata/field'
import type { Rule } from '../../metadata/rule'
import type { RecordData } from './record-data'
import { evaluateRule } from './rule-engine'

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

/** Computes the formula fields of `record` in place, over the record itself. */
export function computeFormulas(formulas: Field[], record: RecordData, now: Date): void {
  for (const field of formulas) {
    let value: unknown
    try {
      value = evaluateRule(field.formula as Rule, record, { now })
    } catch {
      // A formula that cannot be computed for this record (bad data) leaves the value empty.
      value = null
    }
    record[field.name] = coerceFormula(field, value)
  }
}

function coerceFormula(field: Field, value: unknown): unknown {
  if (value === null || value === undefined) return null
  switch (field.resultType) {
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value)
      return Number.isFinite(n) && Math.abs(n) < 1e15 ? n : null
    }
    case 'boolean':
      return Boolean(value)
    case 'date': {
      const text = value instanceof Date ? value.toISOString() : String(value)
      return /^\d{4}-\d\d-\d\d/.test(text) ? text.slice(0, 10) : null
    }
    default:
      return (typeof value === 'string' ? value : JSON.stringify(value)).replace(/\u0000/g, '')
  }
}
