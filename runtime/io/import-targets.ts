import type { Field } from '../../metadata/field'
import type { EntityPlan } from '../records'

/** Field types a cell cannot carry (files, computed values, child rows). */
const NOT_IMPORTED = new Set(['attachment', 'attachments', 'autoNumber', 'formula', 'childTable'])

/** A child table a file's columns may fill, one line per file row. */
export interface ImportChild {
  /** The parent's childTable field (`lines`). */
  field: Field
  plan: EntityPlan
}

/**
 * What one mapping target fills: a field of the record (`customer`), a money field's currency
 * (`revenue.currency`), or the same for a field of a child table's line (`lines.product`,
 * `lines.unitPrice.currency`).
 */
export interface ImportTarget {
  field: Field
  currency: boolean
  child: ImportChild | null
}

/** The fields a file column may fill: stored, writable by metadata, not a file or computed. */
export function importableFields(plan: EntityPlan): Field[] {
  return plan.entity.fields.filter((f) => !f.readOnly && !NOT_IMPORTED.has(f.type))
}

/** The child tables an import may fill: childTable fields writable by metadata. */
export function importableChildren(plan: EntityPlan): ImportChild[] {
  return plan.childTables
    .filter((c) => !c.field.readOnly)
    .map((c) => ({ field: c.field, plan: c.plan }))
}

const cache = new WeakMap<EntityPlan, Map<string, ImportTarget>>()

/** Whether `key` names an auto-number field: a column may then carry it, to find records only. */
export function isAutoNumberKey(plan: EntityPlan, key: string | undefined): key is string {
  return key !== undefined && plan.fieldsByName.get(key)?.type === 'autoNumber'
}

/**
 * `importTargets`, plus the upsert key's auto-number field when `key` names one: its column finds
 * the record a row updates and is never written (Trellis gives the numbers).
 */
export function targetsWithKey(
  plan: EntityPlan,
  key: string | undefined,
): Map<string, ImportTarget> {
  const targets = importTargets(plan)
  if (!isAutoNumberKey(plan, key)) return targets
  const field = plan.fieldsByName.get(key)!
  return new Map([...targets, [key, { field, currency: false, child: null }]])
}

/**
 * Every target a column may be mapped to, by its name: the record's importable fields, then
 * each importable child table's as `<child>.<field>`; money fields also as `….currency`.
 * @example importTargets(plan).get('lines.product') // { field: product, child: lines, … }
 */
export function importTargets(plan: EntityPlan): Map<string, ImportTarget> {
  const known = cache.get(plan)
  if (known) return known
  const targets = new Map<string, ImportTarget>()
  const add = (prefix: string, fields: Field[], child: ImportChild | null) => {
    for (const field of fields) {
      targets.set(prefix + field.name, { field, currency: false, child })
      if (field.type === 'money')
        targets.set(`${prefix}${field.name}.currency`, { field, currency: true, child })
    }
  }
  add('', importableFields(plan), null)
  for (const child of importableChildren(plan))
    add(`${child.field.name}.`, importableFields(child.plan), child)
  cache.set(plan, targets)
  return targets
}
