import type { Action, EntityGrant, FieldAccess, Scope } from '../../metadata/role'
import type { Rule } from '../../metadata/rule'
import type { Ctx } from '../context'
import type { MetadataSet } from '../registry'
import { hideFormulasOverHidden } from './formula-access'

/** One way an action reaches records: a named scope, or a row filter of one role. */
export type ScopeRef =
  { scope: Exclude<Scope, 'none' | 'filter'> } | { scope: 'filter'; rule: Rule }

/** The united grants of a set of roles on one entity. */
export interface MergedGrant {
  entity: string
  /** Per action, the distinct scopes of the roles (empty or missing: denied). */
  scopes: Map<Action, ScopeRef[]>
  /** The widest access per field of the entity over the roles that grant it. */
  fields: ReadonlyMap<string, FieldAccess>
}

/** What a caller may do: everything, or the united grants of their roles per entity. */
export interface Access {
  unrestricted: boolean
  grants: ReadonlyMap<string, MergedGrant>
}

/** Administrators and roles with `all: true`. */
export const UNRESTRICTED: Access = Object.freeze({ unrestricted: true, grants: new Map() })
const NOTHING: Access = Object.freeze({ unrestricted: false, grants: new Map() })

/** Field access from narrowest to widest. */
export const FIELD_ACCESS_RANK: Record<FieldAccess, number> = { none: 0, read: 1, write: 2 }
const cache = new WeakMap<MetadataSet, Map<string, Access>>()

/**
 * The caller's rights: unrestricted for administrators, else the union of their roles' grants.
 * Cached per (metadata version, sorted role ids): the hot path is two map lookups.
 * @example resolveAccess(ctx).grants.get('customer')?.scopes.get('read') // [{ scope: 'own' }]
 */
export function resolveAccess(ctx: Pick<Ctx, 'user' | 'meta'>): Access {
  const user = ctx.user
  if (!user) return NOTHING
  if (user.isAdmin) return UNRESTRICTED
  const roles = user.roles ?? []
  if (!roles.length) return NOTHING
  let perMeta = cache.get(ctx.meta)
  if (!perMeta) cache.set(ctx.meta, (perMeta = new Map()))
  const key = roles.length === 1 ? roles[0] : [...roles].sort().join('\u0000')
  let access = perMeta.get(key)
  if (!access) {
    access = buildAccess(ctx.meta, roles)
    if (perMeta.size < 1000) perMeta.set(key, access)
  }
  return access
}

/** One role's grant, and whether that role may create or update those records at all. */
interface RoleGrant {
  grant: EntityGrant
  writes: boolean
}

function buildAccess(meta: MetadataSet, roleIds: string[]): Access {
  const grantsByEntity = new Map<string, RoleGrant[]>()
  const add = (entityId: string, item: RoleGrant) => {
    const list = grantsByEntity.get(entityId) ?? []
    list.push(item)
    grantsByEntity.set(entityId, list)
  }
  for (const id of new Set(roleIds)) {
    const role = meta.roles.get(id)
    if (!role) continue
    if (role.all) return UNRESTRICTED
    const own = new Map(role.grants.map((g) => [g.entity, g]))
    for (const grant of role.grants) {
      const entity = meta.entities.get(grant.entity)
      if (!entity) continue
      // A child row is written with its parent: the parent's create/update decides the default.
      const source = entity.childOf ? own.get(entity.childOf) : grant
      add(grant.entity, { grant, writes: source ? writesRecords(source) : false })
    }
    // A child entity the role does not name follows the role's grant on its parent.
    for (const entity of meta.entities.values()) {
      const parent = entity.childOf ? own.get(entity.childOf) : undefined
      if (!parent || own.has(entity.id)) continue
      add(entity.id, {
        grant: { entity: entity.id, scopes: parent.scopes },
        writes: writesRecords(parent),
      })
    }
  }
  const grants = new Map<string, MergedGrant>()
  for (const [entityId, list] of grantsByEntity)
    grants.set(entityId, mergeGrants(meta, entityId, list))
  hideDerivedFormulas(meta, grants)
  return { unrestricted: false, grants }
}

/** Formulas computed from unreadable fields become unreadable (child entities first). */
function hideDerivedFormulas(meta: MetadataSet, grants: Map<string, MergedGrant>): void {
  const hiddenOf = (entityId: string) =>
    new Set(
      [...(grants.get(entityId)?.fields ?? [])].filter(([, a]) => a === 'none').map(([n]) => n),
    )
  const ids = [...grants.keys()]
  const ordered = [
    ...ids.filter((id) => meta.entities.get(id)?.childOf),
    ...ids.filter((id) => !meta.entities.get(id)?.childOf),
  ]
  for (const id of ordered) {
    const grant = grants.get(id)!
    const fields = hideFormulasOverHidden(meta.entities.get(id)!, grant.fields, hiddenOf)
    if (fields !== grant.fields) grants.set(id, { ...grant, fields })
  }
}

function mergeGrants(meta: MetadataSet, entityId: string, list: RoleGrant[]): MergedGrant {
  const scopes = new Map<Action, ScopeRef[]>()
  for (const { grant } of list) {
    for (const [action, scope] of Object.entries(grant.scopes) as [Action, Scope][]) {
      if (!scope || scope === 'none') continue
      const refs = scopes.get(action) ?? []
      if (scope === 'filter') {
        const rule = grant.filters?.[action]
        // A filter scope without its filter reaches nothing (metadata checks refuse it anyway).
        if (rule !== undefined) refs.push({ scope: 'filter', rule })
      } else if (!refs.some((r) => r.scope === scope)) {
        refs.push({ scope })
      }
      scopes.set(action, refs)
    }
  }
  const fields = new Map<string, FieldAccess>()
  const entity = meta.entities.get(entityId)!
  for (const { grant, writes } of list) {
    for (const field of entity.fields) {
      const access = grant.fields?.[field.name] ?? (writes ? 'write' : 'read')
      const before = fields.get(field.name)
      if (before === undefined || FIELD_ACCESS_RANK[access] > FIELD_ACCESS_RANK[before])
        fields.set(field.name, access)
    }
  }
  return { entity: entityId, scopes, fields }
}

function writesRecords(grant: EntityGrant): boolean {
  return isGranted(grant, 'create') || isGranted(grant, 'update')
}

function isGranted(grant: EntityGrant, action: Action): boolean {
  const scope = grant.scopes[action]
  return scope !== undefined && scope !== 'none'
}
