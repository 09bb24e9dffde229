import type { Entity } from '../../metadata/entity'
import type { Action, EntityGrant, FieldAccess, Role } from '../../metadata/role'
import type { Rule } from '../../metadata/rule'
import { evaluateRule, isTruthy } from '../../runtime/rules'
import type { OracleRecord, OracleUser, OracleWorld } from './oracle-world'

export {
  loadOracleWorld,
  type OracleRecord,
  type OracleShare,
  type OracleUser,
  type OracleWorld,
} from './oracle-world'

export interface PermissionOracle {
  world: OracleWorld
  unrestricted(user: OracleUser): boolean
  /** Whether any of the user's roles grants the action on the entity (a child follows its parent). */
  canAttempt(user: OracleUser, entityId: string, action: Action): boolean
  /** The ids of the entity's records the action reaches for the user. */
  allowed(user: OracleUser, entityId: string, action: Action): Set<string>
  /** The fields the user may not read (hidden in every answer). */
  hidden(user: OracleUser, entityId: string): Set<string>
  /** Field access per field, or null when nothing restricts the fields (unrestricted, or no rule). */
  fieldAccess(user: OracleUser, entityId: string): Map<string, FieldAccess> | null
  /** Everyone below the user in the manager chain. */
  reportsOf(userId: string): Set<string>
  /** The department and every department under it. */
  subtreeOf(departmentId: string): Set<string>
}

/** The oracle over a world at an instant (share expiry is compared with `now`). */
export function permissionOracle(world: OracleWorld, now: Date): PermissionOracle {
  const { meta, users } = world
  const byId = new Map<string, Map<string, OracleRecord>>()
  for (const [entityId, list] of world.records)
    byId.set(entityId, new Map(list.map((r) => [r.id, r])))

  const reportsCache = new Map<string, Set<string>>()
  const reportsOf = (managerId: string): Set<string> => {
    let found = reportsCache.get(managerId)
    if (found) return found
    found = new Set()
    let frontier = [managerId]
    while (frontier.length) {
      const next: string[] = []
      for (const u of users.values())
        if (
          u.managerId &&
          frontier.includes(u.managerId) &&
          !found.has(u.id) &&
          u.id !== managerId
        ) {
          found.add(u.id)
          next.push(u.id)
        }
      frontier = next
    }
    reportsCache.set(managerId, found)
    return found
  }
  const subtreeOf = (departmentId: string): Set<string> => {
    const found = new Set([departmentId])
    let grew = true
    while (grew) {
      grew = false
      for (const [id, parent] of world.departmentParents)
        if (parent && found.has(parent) && !found.has(id)) {
          found.add(id)
          grew = true
        }
    }
    return found
  }

  const rolesOf = (user: OracleUser): Role[] =>
    user.roles.map((id) => meta.roles.get(id)).filter((r): r is Role => r !== undefined)
  const unrestricted = (user: OracleUser) => user.isAdmin || rolesOf(user).some((r) => r.all)

  /** Each role's grant on the entity; a child entity a role does not name follows the parent's. */
  const grantsOf = (
    user: OracleUser,
    entity: Entity,
  ): { grant: EntityGrant; writes: boolean }[] => {
    const out: { grant: EntityGrant; writes: boolean }[] = []
    for (const role of rolesOf(user)) {
      const own = role.grants.find((g) => g.entity === entity.id)
      const parent = entity.childOf
        ? role.grants.find((g) => g.entity === entity.childOf)
        : undefined
      const source = entity.childOf ? parent : own
      const writes = !!source && [source.scopes.create, source.scopes.update].some(granted)
      if (own) out.push({ grant: own, writes })
      else if (parent) out.push({ grant: { entity: entity.id, scopes: parent.scopes }, writes })
    }
    return out
  }

  const entityOf = (entityId: string): Entity => {
    const entity = meta.entities.get(entityId)
    if (!entity) throw new Error(`unknown entity ${entityId}`)
    return entity
  }

  const canAttempt = (user: OracleUser, entityId: string, action: Action): boolean => {
    if (unrestricted(user)) return true
    const entity = entityOf(entityId)
    const target = entity.childOf ? entityOf(entity.childOf) : entity
    return rolesOf(user).some((r) =>
      granted(r.grants.find((g) => g.entity === target.id)?.scopes[action]),
    )
  }

  const ownerOf = (entity: Entity, record: OracleRecord): string | null => {
    const field = entity.ownerField && entity.fields.find((f) => f.name === entity.ownerField)
    return field ? ((record.values[field.name] as string | null) ?? null) : record.createdBy
  }

  const userVars = (user: OracleUser) => ({
    ...user.attributes,
    id: user.id,
    username: user.username,
    departmentId: user.departmentId,
    managerId: user.managerId,
    roles: user.roles,
  })

  const inScope = (
    user: OracleUser,
    entity: Entity,
    record: OracleRecord,
    grant: EntityGrant,
    action: Action,
  ): boolean => {
    const scope = grant.scopes[action]
    const owner = ownerOf(entity, record)
    const ownerDept = owner ? (users.get(owner)?.departmentId ?? null) : null
    switch (scope) {
      case undefined:
      case 'none':
        return false
      case 'all':
        return true
      case 'own':
        return owner === user.id
      case 'ownAndSubordinates':
        return owner !== null && (owner === user.id || reportsOf(user.id).has(owner))
      case 'department':
        return !!user.departmentId && ownerDept === user.departmentId
      case 'departmentTree':
        return !!user.departmentId && !!ownerDept && subtreeOf(user.departmentId).has(ownerDept)
      case 'filter': {
        const rule = grant.filters?.[action]
        if (rule === undefined) return false
        const data = { ...record.values, $user: userVars(user) }
        return isTruthy(evaluateRule(rule as Rule, data))
      }
    }
  }

  const sharedWith = (user: OracleUser, entityId: string, write: boolean): Set<string> =>
    new Set(
      world.shares
        .filter(
          (s) =>
            s.entity === entityId &&
            (s.userId === user.id ||
              (!!user.departmentId && s.departmentId === user.departmentId)) &&
            (!write || s.access === 'write') &&
            (s.expiresAt === null || s.expiresAt.getTime() > now.getTime()),
        )
        .map((s) => s.recordId),
    )

  const memo = new Map<string, Set<string>>()
  const allowed = (
    user: OracleUser,
    entityId: string,
    action: Action,
    seen: string[] = [],
  ): Set<string> => {
    const key = `${user.id}|${entityId}|${action}`
    const cached = memo.get(key)
    if (cached) return cached
    const entity = entityOf(entityId)
    const records = world.records.get(entityId) ?? []
    let result: Set<string>
    if (unrestricted(user)) result = new Set(records.map((r) => r.id))
    else if (entity.childOf) {
      // A child row follows its parent, action for action.
      const parents = allowed(user, entity.childOf, action, [...seen, entityId])
      result = new Set(
        records.filter((r) => r.parentId && parents.has(r.parentId)).map((r) => r.id),
      )
    } else {
      const grants = grantsOf(user, entity).map((g) => g.grant)
      result = new Set(
        records
          .filter((r) => grants.some((g) => inScope(user, entity, r, g, action)))
          .map((r) => r.id),
      )
      if (action === 'read' || action === 'update')
        for (const id of sharedWith(user, entityId, action === 'update'))
          if (byId.get(entityId)?.has(id)) result.add(id)
      // Child follows parent: readable when the referenced parent record is readable.
      const parentField = entity.permissionParent
        ? entity.fields.find((f) => f.name === entity.permissionParent)
        : undefined
      if (action === 'read' && parentField?.type === 'reference' && parentField.entity) {
        if (!seen.includes(parentField.entity)) {
          const parents = allowed(user, parentField.entity, 'read', [...seen, entityId])
          for (const r of records) {
            const link = r.values[parentField.name]
            if (typeof link === 'string' && parents.has(link)) result.add(r.id)
          }
        }
      }
    }
    memo.set(key, result)
    return result
  }

  const fieldAccess = (user: OracleUser, entityId: string): Map<string, FieldAccess> | null => {
    if (unrestricted(user)) return null
    const entity = entityOf(entityId)
    const grants = grantsOf(user, entity)
    const rank: Record<FieldAccess, number> = { none: 0, read: 1, write: 2 }
    if (!grants.length) {
      // Reached only through a share or a parent: the narrowest rule any role has for a field.
      const rules = [...meta.roles.values()].flatMap((role) =>
        role.grants.filter((g) => g.entity === entity.id && g.fields).map((g) => g.fields!),
      )
      if (!rules.length) return null
      const out = new Map<string, FieldAccess>()
      for (const field of entity.fields) {
        let narrowest: FieldAccess = 'write'
        for (const rule of rules) {
          const access = rule[field.name]
          if (access && rank[access] < rank[narrowest]) narrowest = access
        }
        out.set(field.name, narrowest)
      }
      return out
    }
    const out = new Map<string, FieldAccess>()
    for (const field of entity.fields) {
      let best: FieldAccess = 'none'
      for (const { grant, writes } of grants) {
        const access = grant.fields?.[field.name] ?? (writes ? 'write' : 'read')
        if (rank[access] > rank[best]) best = access
      }
      out.set(field.name, best)
    }
    return out
  }

  const hidden = (user: OracleUser, entityId: string): Set<string> => {
    const access = fieldAccess(user, entityId)
    return new Set(access ? [...access].filter(([, a]) => a === 'none').map(([n]) => n) : [])
  }

  return {
    world,
    unrestricted,
    canAttempt,
    allowed: (user, entityId, action) => allowed(user, entityId, action),
    hidden,
    fieldAccess,
    reportsOf,
    subtreeOf,
  }
}

function granted(scope: string | undefined): boolean {
  return scope !== undefined && scope !== 'none'
}
