import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'
import { listRecords, type RecordData } from '../records'
import type { PrintTitles } from './print-text'

/** Ids a printed record and its rows point at, by what they point at. */
export interface PrintTargets {
  /** entity id → record ids */
  records: Map<string, Set<string>>
  users: Set<string>
  departments: Set<string>
}

const BATCH = 100
const USER_KEYS = ['createdBy', 'updatedBy']

export function emptyTargets(): PrintTargets {
  return { records: new Map(), users: new Set(), departments: new Set() }
}

/** Adds the ids one record (or row) of `entity` references to `targets`. */
export function collectTargets(entity: Entity, record: RecordData, targets: PrintTargets): void {
  const add = (set: Set<string>, value: unknown) => {
    if (typeof value === 'string' && value) set.add(value)
  }
  for (const key of USER_KEYS) add(targets.users, record[key])
  for (const field of entity.fields) {
    const value = record[field.name]
    if (field.type === 'user') add(targets.users, value)
    else if (field.type === 'department') add(targets.departments, value)
    else if (field.type === 'reference' && field.entity) {
      if (!targets.records.has(field.entity)) targets.records.set(field.entity, new Set())
      add(targets.records.get(field.entity)!, value)
    }
  }
}

/**
 * The records of `entityId` with these ids that the caller may read (hidden fields stripped),
 * by id. No read right on the entity gives none: the document then shows no title.
 */
async function readableRecords(ctx: Ctx, entityId: string, ids: string[]) {
  const found = new Map<string, RecordData>()
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH)
    try {
      const page = await listRecords(ctx, entityId, {
        filter: { in: [{ var: 'id' }, batch] },
        limit: batch.length,
      })
      for (const record of page.data) found.set(String(record.id), record)
    } catch (error) {
      if (error instanceof ForbiddenError) return found
      throw error
    }
  }
  return found
}

async function namesOf(ctx: Ctx, table: 'users' | 'departments', ids: Set<string>) {
  if (ids.size === 0) return new Map<string, string>()
  const list = sql.join(
    [...ids].map((id) => sql`${id}`),
    sql`, `,
  )
  const name = table === 'users' ? sql`display_name` : sql`name`
  const rows = await ctx.db.query<{ id: string; name: string }>(
    sql`select id::text as id, ${name} as name from ${sql.identifier(table)} where id::text in (${list})`,
  )
  return new Map(rows.map((r) => [r.id, r.name]))
}

/**
 * Loads what a printed record shows of the records, users and departments it points at: titles
 * in the caller's read scope (a record they may not read, or whose title field is hidden from
 * them, shows none), and the readable records themselves, for the references a template includes.
 */
export async function loadPrintTitles(
  ctx: Ctx,
  targets: PrintTargets,
): Promise<{ titles: PrintTitles; records: Map<string, Map<string, RecordData>> }> {
  const titles: PrintTitles = { records: new Map(), users: new Map(), departments: new Map() }
  const records = new Map<string, Map<string, RecordData>>()
  for (const [entityId, ids] of targets.records) {
    const entity = ctx.meta.entities.get(entityId)
    if (!entity || ids.size === 0) continue
    const found = await readableRecords(ctx, entityId, [...ids])
    records.set(entityId, found)
    const titleField = entity.titleField ?? 'name'
    const byId = new Map<string, string>()
    for (const [id, record] of found) {
      const title = record[titleField]
      if (title !== null && title !== undefined && title !== '') byId.set(id, String(title))
    }
    titles.records.set(entityId, byId)
  }
  titles.users = await namesOf(ctx, 'users', targets.users)
  titles.departments = await namesOf(ctx, 'departments', targets.departments)
  return { titles, records }
}
