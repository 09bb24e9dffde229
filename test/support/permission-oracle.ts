import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Action, EntityGrant, FieldAccess, Role } from '../../metadata/role'
import type { Rule } from '../../metadata/rule'
import type { Db } from '../../runtime/db'
import type { MetadataSet } from '../../runtime/registry'
import { evaluateRule, isTruthy } from '../../runtime/rules'
import {
  APP_SCHEMA,
  columnName,
  currencyColumnName,
  hasColumn,
  tableName,
} from '../../runtime/schema'

/** A user as the oracle sees them: straight from the users and user_roles tables. */
export interface OracleUser {
  id: string
  username: string
  departmentId: string | null
  managerId: string | null
  isAdmin: boolean
  roles: string[]
  attributes: Record<string, unknown>
}

/** One stored record: its field values (API form, as far as row filters need), owner and links. */
export interface OracleRecord {
  id: string
  values: Record<string, unknown>
  createdBy: string | null
  createdAt: string
  version: number
  /** A child row's parent record. */
  parentId: string | null
}

/** One row of record_shares. */
export interface OracleShare {
  entity: string
  recordId: string
  userId: string | null
  departmentId: string | null
  access: 'read' | 'write'
  expiresAt: Date | null
}

/** Everything the oracle decides from: metadata, people, departments, records and shares. */
export interface OracleWorld {
  meta: MetadataSet
  users: Map<string, OracleUser>
  /** Every department's parent (null for a root). */
  departmentParents: Map<string, string | null>
  records: Map<string, OracleRecord[]>
  shares: OracleShare[]
}

/** What a caller may do, computed in TypeScript from the role definitions and the stored rows. */
export interface PermissionOracle {
  world: OracleWorld
  unrestricted(user: OracleUser): boolean
  /** Whether any of the user's roles grants the action on the entity (a child follows its parent). */
  canAttempt(user: OracleUser, entityId: string, action: Action): boolean
  /** The ids of the entity's records the action reaches for the user. */
  allowed(user: OracleUser, entityId: string, action: Action): Set<string>
  /** The fields the user may not read (hidden in every answer). */
  hidden(user: OracleUser, entityId: string): Set<string>
  /** Field access per field, or null when nothing restricts the fields (no grant, or unrestricted). */
  fieldAccess(user: OracleUser, entityId: string): Map<string, FieldAccess> | null
  /** Everyone below the user in the manager chain. */
  reportsOf(userId: string): Set<string>
  /** The department and every department under it. */
  subtreeOf(departmentId: string): Set<string>
}

/** Reads users, departments, records (all entities, as stored) and shares from the database. */
export async function loadOracleWorld(db: Db, meta: MetadataSet): Promise<OracleWorld> {
  const userRows = await db.query<{
    id: string
    username: string
    department_id: string | null
    manager_id: string | null
    is_admin: boolean
    attributes: unknown
  }>(sql`select id, username, department_id, manager_id, is_admin, attributes from users`)
  const roleRows = await db.query<{ user_id: string; role_id: string }>(
    sql`select user_id, role_id from user_roles`,
  )
  const users = new Map<string, OracleUser>()
  for (const r of userRows) {
    const attributes = typeof r.attributes === 'string' ? JSON.parse(r.attributes) : r.attributes
    users.set(r.id, {
      id: r.id,
      username: r.username,
      departmentId: r.department_id,
      managerId: r.manager_id,
      isAdmin: r.is_admin,
      roles: roleRows.filter((x) => x.user_id === r.id).map((x) => x.role_id),
      attributes: (attributes ?? {}) as Record<string, unknown>,
    })
  }
  const deptRows = await db.query<{ id: string; parent_id: string | null }>(
    sql`select id, parent_id from departments`,
  )
  const departmentParents = new Map(deptRows.map((d) => [d.id, d.parent_id]))
  const records = new Map<string, OracleRecord[]>()
  for (const entity of meta.entities.values()) records.set(entity.id, await loadRecords(db, entity))
  const shareRows = await db.query<{
    entity: string
    record_id: string
    user_id: string | null
    department_id: string | null
    access: 'read' | 'write'
    expires_at: unknown
  }>(sql`select entity, record_id, user_id, department_id, access, expires_at from record_shares`)
  const shares = shareRows.map((s) => ({
    entity: s.entity,
    recordId: String(s.record_id),
    userId: s.user_id,
    departmentId: s.department_id,
    access: s.access,
    expiresAt: s.expires_at === null ? null : new Date(s.expires_at as string),
  }))
  return { meta, users, departmentParents, records, shares }
}

async function loadRecords(db: Db, entity: Entity): Promise<OracleRecord[]> {
  const table = sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(entity))}`
  const rows = await db.query<Record<string, unknown>>(sql`select * from ${table}`)
  return rows.map((row) => {
    const values: Record<string, unknown> = {}
    for (const field of entity.fields) {
      if (!hasColumn(field)) continue
      const raw = row[columnName(field)]
      if (field.type === 'money') {
        values[field.name] =
          raw === null || raw === undefined
            ? null
            : { amount: Number(raw), currency: row[currencyColumnName(field)] }
      } else values[field.name] = normalise(field.type, raw)
    }
    return {
      id: String(row.id),
      values,
      createdBy: (row.created_by as string | null) ?? null,
      createdAt: new Date(row.created_at as string).toISOString(),
      version: Number(row.version),
      parentId: entity.childOf ? String(row.parent_id) : null,
    }
  })
}

/** Database values in the API's shape, as far as the shipped row filters compare them. */
function normalise(type: string, raw: unknown): unknown {
  if (raw === undefined || raw === null) return null
  if (raw instanceof Date)
    return type === 'date' ? raw.toISOString().slice(0, 10) : raw.toISOString()
  if (typeof raw === 'string' && ['decimal', 'percent'].includes(type)) return Number(raw)
  return raw
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
    if (!grants.length) return null
    const rank: Record<FieldAccess, number> = { none: 0, read: 1, write: 2 }
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
