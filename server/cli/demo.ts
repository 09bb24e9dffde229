import { sql } from 'drizzle-orm'
import type { Ctx, CurrentUser } from '../../runtime/context'
import { createUser } from '../../runtime/identity'
import { createRecord } from '../../runtime/records'
import { loadPublishedMetadata, publishMetadata } from '../../runtime/registry'
import { DEMO_ENTITY_ORDER, generateDemo } from '../../seeds/demo-data'
import { loadSeedBundle } from '../../seeds'
import { demoDepartmentOf, demoUsernameOf } from '../../seeds/demo/people'
import { startDemoApprovals } from './demo-approvals'
import { replayLife, settleDemoSlas } from './demo-life'
import { DEMO_RECORD_OWNERS, demoPeople, ensureDemoOrganisation } from './demo-org'

/** Publishes the four shipped modules when the instance has no metadata yet. */
export async function installModules(ctx: Ctx): Promise<Ctx> {
  if (ctx.meta.version > 0) return ctx
  const { meta } = await publishMetadata(ctx, loadSeedBundle())
  return { ...ctx, meta }
}

/** The demo administrator (admin / admin): demo instances only; real ones use `trellis user create`. */
export async function ensureDemoAdmin(ctx: Ctx): Promise<CurrentUser> {
  const [row] = await ctx.db.query<{ id: string }>(
    sql`select id from users where lower(username) = 'admin'`,
  )
  if (row)
    return {
      id: row.id,
      username: 'admin',
      displayName: 'Administrator',
      locale: 'en',
      isAdmin: true,
    }
  return createUser(
    ctx,
    { username: 'admin', password: 'admin', displayName: 'Administrator', isAdmin: true },
    { allowWeakPassword: true },
  )
}

/**
 * Loads deterministic demo data through the records runtime, so every rule and audit applies.
 * A user or department field that names a demo person or department (seeds/demo/people.ts) gets
 * them, and the person named in the owner field creates the record: tickets are the service
 * agents', leave its applicant's. Other records are spread round-robin over `owners`, one that
 * references a record already loaded (a customer's contacts, an order's invoices) going to that
 * record's owner. Each is created as its owner (created_by), with administrator rights so the
 * loader is not limited by roles. A named person missing from the instance is replaced by the
 * owner, except in a unique field (a personnel file's login), which stays empty.
 */
export async function loadDemoData(
  ctx: Ctx,
  owners: CurrentUser | CurrentUser[],
  scale: number,
): Promise<number> {
  const meta = await loadPublishedMetadata(ctx.db)
  const people = Array.isArray(owners) ? owners : [owners]
  const named = await demoPeople(ctx)
  const departments = await departmentsByName(ctx)
  // Demo dates are spread back from the day of the install, so this month's figures are there.
  const { records: data, lives } = generateDemo(
    scale,
    1,
    ctx.clock.now().toISOString().slice(0, 10),
  )
  // The generator links records by ids of its own; the database assigns the real ones.
  const ids = new Map<string, string>()
  const ownerOf = new Map<string, CurrentUser>()
  const relink = (value: unknown): unknown => {
    if (typeof value === 'string') return ids.get(value) ?? value
    if (Array.isArray(value)) return value.map(relink)
    if (value && typeof value === 'object') {
      const { id: _id, ...rest } = value as Record<string, unknown>
      return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, relink(v)]))
    }
    return value
  }
  let count = 0
  let next = 0
  for (const entityId of DEMO_ENTITY_ORDER) {
    const entity = meta.entities.get(entityId)
    if (!entity) continue
    const userFields = entity.fields.filter((f) => f.type === 'user')
    const departmentFields = entity.fields.filter((f) => f.type === 'department')
    for (const record of data.get(entityId) ?? []) {
      const input = relink(record) as Record<string, unknown>
      const worker = entity.ownerField && named.get(demoUsernameOf(input[entity.ownerField]) ?? '')
      const parent = Object.values(record).find(
        (v): v is string => typeof v === 'string' && ownerOf.has(v),
      )
      const owner =
        worker || (parent !== undefined ? ownerOf.get(parent)! : people[next++ % people.length])
      for (const field of userFields) {
        const username = demoUsernameOf(input[field.name])
        if (username !== null) input[field.name] = named.get(username)?.id ?? null
        // Owners and required people go to the record's owner; unique ones (a login) stay empty.
        const needed = field.required || field.name === entity.ownerField
        if (!field.unique && needed) input[field.name] ??= owner.id
      }
      for (const field of departmentFields) {
        const name = demoDepartmentOf(input[field.name])
        if (name !== null) input[field.name] = departments.get(name) ?? null
      }
      const asOwner: Ctx = { ...ctx, meta, user: { ...owner, isAdmin: true } }
      const life = lives.get(record.id)
      const saved = life
        ? await replayLife(asOwner, entityId, input, life)
        : (await createRecord(asOwner, entityId, input)).record
      if (typeof record.id === 'string') {
        ids.set(record.id, saved.id as string)
        ownerOf.set(record.id, owner)
      }
      count++
    }
  }
  return count
}

/** Department ids by name. */
async function departmentsByName(ctx: Ctx): Promise<Map<string, string>> {
  const rows = await ctx.db.query<{ id: string; name: string }>(
    sql`select id, name from departments`,
  )
  return new Map(rows.map((r) => [r.name, r.id]))
}

/** The demo people who own demo records, round-robin; the admin when they do not exist. */
export function demoRecordOwners(
  people: Map<string, CurrentUser>,
  admin: CurrentUser,
): CurrentUser[] {
  const owners = DEMO_RECORD_OWNERS.map((name) => people.get(name)).filter(
    (u): u is CurrentUser => u !== undefined,
  )
  return owners.length ? owners : [admin]
}

/**
 * First start of a demo instance: modules, admin, demo organisation, demo data, and approvals
 * started through the engine so the inboxes have work. Later starts do nothing.
 */
export async function installDemo(ctx: Ctx, scale: number): Promise<Ctx> {
  if (ctx.meta.version > 0) return ctx
  const installed = await installModules(ctx)
  const admin = await ensureDemoAdmin(installed)
  const people = await ensureDemoOrganisation(installed, admin)
  await loadDemoData(installed, demoRecordOwners(people, admin), scale)
  await settleDemoSlas(installed)
  await startDemoApprovals(installed)
  return installed
}
