import type { Entity } from './entity'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import type { Role } from './role'
import { SYSTEM_KEYS } from './system-fields'

const SCOPED = new Set(['map', 'filter', 'reduce', 'all', 'none', 'some'])

/** The record names a row filter reads with `var` (first segment; `$user.*` and scoped vars left out). */
function filterVarNames(rule: unknown, into: Set<string>): Set<string> {
  if (rule === null || typeof rule !== 'object') return into
  if (Array.isArray(rule)) return (rule.forEach((r) => filterVarNames(r, into)), into)
  for (const [op, raw] of Object.entries(rule)) {
    const args = Array.isArray(raw) ? raw : [raw]
    if (op === 'var') {
      if (typeof args[0] === 'string' && args[0] !== '' && !args[0].startsWith('$'))
        into.add(args[0].split('.')[0])
    } else if (SCOPED.has(op)) {
      // Below the first argument, `var` reads the array's elements, not the record.
      filterVarNames(args[0], into)
    } else {
      filterVarNames(args, into)
    }
  }
  return into
}

/**
 * Dangling references of a role: each grant's entity must exist, the fields its field rules and
 * row filters name must be fields (or system keys) of that entity. Paths are relative to the role.
 */
export function validateRoleReferences(
  role: Role,
  entities: ReadonlyMap<string, Entity>,
): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  role.grants.forEach((grant, i) => {
    const path = `grants[${i}]`
    const entity = entities.get(grant.entity)
    if (!entity) return void issues.push(toIssue(`${path}.entity`, `no entity '${grant.entity}'`))
    const names = new Set(entity.fields.map((f) => f.name))
    for (const name of Object.keys(grant.fields ?? {})) {
      if (!names.has(name))
        issues.push(
          toIssue(joinPath(`${path}.fields`, name), `no field '${name}' in entity '${entity.id}'`),
        )
    }
    for (const [action, rule] of Object.entries(grant.filters ?? {})) {
      for (const name of filterVarNames(rule, new Set())) {
        if (!names.has(name) && !SYSTEM_KEYS.includes(name))
          issues.push(
            toIssue(`${path}.filters.${action}`, `no field '${name}' in entity '${entity.id}'`),
          )
      }
    }
  })
  return issues
}
