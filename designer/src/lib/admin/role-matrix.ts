import type { Action, EntityGrant, FieldAccess, Role, Scope } from '$metadata/role'
import type { Rule } from '$metadata/rule'

/** The scope a role gives an action on an entity ('none' when not granted). */
export function scopeOf(role: Role, entity: string, action: Action): Scope {
  return role.grants.find((g) => g.entity === entity)?.scopes[action] ?? 'none'
}

/** A field's access in a role's grant, or '' when the grant leaves it to the default. */
export function fieldAccessOf(role: Role, entity: string, field: string): FieldAccess | '' {
  return role.grants.find((g) => g.entity === entity)?.fields?.[field] ?? ''
}

function withGrant(role: Role, entity: string, change: (g: EntityGrant) => EntityGrant): Role {
  const existing = role.grants.find((g) => g.entity === entity) ?? { entity, scopes: {} }
  // JSON copy, not structuredClone: the role may be a Svelte state proxy, which cannot be cloned.
  const next = change(JSON.parse(JSON.stringify(existing)) as EntityGrant)
  const empty =
    Object.keys(next.scopes).length === 0 &&
    Object.keys(next.fields ?? {}).length === 0 &&
    Object.keys(next.filters ?? {}).length === 0
  const others = role.grants.filter((g) => g.entity !== entity)
  if (empty) return { ...role, grants: others }
  const at = role.grants.findIndex((g) => g.entity === entity)
  const grants = [...role.grants]
  if (at >= 0) grants[at] = next
  else grants.push(next)
  return { ...role, grants }
}

/**
 * Sets one matrix cell. 'none' removes the action (an action left out is denied); a grant left
 * with nothing is dropped. A filter rule is kept only while the scope is 'filter' (a new one
 * matches nothing until it is written).
 */
export function setScope(role: Role, entity: string, action: Action, scope: Scope): Role {
  return withGrant(role, entity, (g) => {
    if (scope === 'none') delete g.scopes[action]
    else g.scopes[action] = scope
    if (scope !== 'filter' && g.filters) {
      delete g.filters[action]
      if (Object.keys(g.filters).length === 0) delete g.filters
    }
    if (scope === 'filter') g.filters = { ...g.filters, [action]: g.filters?.[action] ?? false }
    return g
  })
}

/** Sets (or with '' clears) one field rule of a role's grant on an entity. */
export function setFieldAccess(
  role: Role,
  entity: string,
  field: string,
  access: FieldAccess | '',
): Role {
  return withGrant(role, entity, (g) => {
    const fields = { ...g.fields }
    if (access === '') delete fields[field]
    else fields[field] = access
    if (Object.keys(fields).length) g.fields = fields
    else delete g.fields
    return g
  })
}

/** Sets the row filter of an action whose scope is 'filter'. */
export function setFilter(role: Role, entity: string, action: Action, rule: Rule): Role {
  return withGrant(role, entity, (g) => {
    g.filters = { ...g.filters, [action]: rule }
    return g
  })
}
