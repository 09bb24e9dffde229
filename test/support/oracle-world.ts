import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Db } from '../../runtime/db'
import type { MetadataSet } from '../../runtime/registry'
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
