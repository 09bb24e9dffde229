import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import type { FieldAccess } from '../../metadata/role'
import { ruleFieldNames, ruleVarPaths } from './rule-field-names'

/**
 * The field access with every formula that reads an unreadable field made unreadable too: its
 * value would reveal what it is computed from. Formulas over other hidden formulas follow, and a
 * formula over a child table is hidden when any name it reads is a hidden field of the child
 * entity (`hiddenOf`; cautious, as a name inside `reduce`/`map` cannot be told apart).
 */
export function hideFormulasOverHidden(
  entity: Entity,
  fields: ReadonlyMap<string, FieldAccess>,
  hiddenOf: (entityId: string) => ReadonlySet<string>,
): ReadonlyMap<string, FieldAccess> {
  const formulas = entity.fields.filter((f) => f.type === 'formula' && f.formula !== undefined)
  if (!formulas.length) return fields
  const byName = new Map(entity.fields.map((f) => [f.name, f]))
  let out: Map<string, FieldAccess> | null = null
  for (let changed = true; changed;) {
    changed = false
    for (const formula of formulas) {
      const access = out ?? fields
      if (access.get(formula.name) === 'none') continue
      if (!readsHidden(formula, access, byName, hiddenOf)) continue
      out ??= new Map(fields)
      out.set(formula.name, 'none')
      changed = true
    }
  }
  return out ?? fields
}

function readsHidden(
  formula: Field,
  fields: ReadonlyMap<string, FieldAccess>,
  byName: Map<string, Field>,
  hiddenOf: (entityId: string) => ReadonlySet<string>,
): boolean {
  for (const name of ruleFieldNames(formula.formula)) {
    if (name === formula.name) continue
    if (fields.get(name) === 'none') return true
    const field = byName.get(name)
    if (field?.type !== 'childTable' || !field.entity) continue
    const hidden = hiddenOf(field.entity)
    if (!hidden.size) continue
    for (const path of ruleVarPaths(formula.formula))
      if (path.split('.').some((segment) => hidden.has(segment))) return true
  }
  return false
}
