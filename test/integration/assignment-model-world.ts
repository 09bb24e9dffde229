import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import { registerAssignmentHandlers } from '../../runtime/assignment'
import { fixedClock } from '../../runtime/clock'
import { silentLogger, type CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import type { JobQueue } from '../../runtime/jobs'
import {
  createHandlerRegistry,
  runEventHandlers,
  type OutboxEvent,
} from '../../runtime/jobs/event-handlers'
import { publishMetadata, type MetadataSet } from '../../runtime/registry'
import { leaveRequest } from './assignment-fixture'
import { AssignmentModel, type ModelPerson, type ModelRule } from './assignment-rules-model'

/**
 * The database of assignment-model.test.ts: leads, leave requests, the people the rules draw
 * from, and the model beside it.
 */

export const label = (en: string) => ({ en })
const opt = (value: string) => ({ value, label: label(value) })
export const T0 = Date.parse('2026-05-11T03:00:00Z')
/** Lead regions: east and west have teams in both byField rules, north in one, south in none. */
export const REGION_VALUES = ['east', 'west', 'north', 'south']
export const STATUSES = ['new', 'working', 'won', 'lost']
export const MEMBERS = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal']
export const EVERYONE = [...MEMBERS, 'sam', 'tia']
/** Roles and department everyone starts each walk with. */
const START: Record<string, { roles: string[]; department?: string }> = {
  ann: { roles: ['sales', 'east'] },
  bob: { roles: ['sales', 'west'] },
  cat: { roles: ['sales'], department: 'Support' },
  dan: { roles: ['sales'] },
  eve: { roles: ['east'] },
  fay: { roles: ['east'] },
  gus: { roles: ['west'] },
  hal: { roles: ['west'], department: 'Support' },
  sam: { roles: [] },
  tia: { roles: [] },
}

export const lead: Entity = {
  id: 'lead',
  label: label('Lead'),
  ownerField: 'owner',
  fields: [
    { name: 'company', type: 'text', label: label('Company') },
    { name: 'kind', type: 'text', label: label('Kind') },
    {
      name: 'region',
      type: 'select',
      label: label('Region'),
      options: REGION_VALUES.map(opt),
    },
    { name: 'status', type: 'select', label: label('Status'), options: STATUSES.map(opt) },
    { name: 'owner', type: 'user', label: label('Owner') },
  ],
}

/** The database, its people and the published rules, shared by the walks of one target. */
export interface World {
  db: Db
  meta: MetadataSet
  boss: CurrentUser
  ids: Record<string, string>
  names: Map<string, string>
  model: AssignmentModel
  writePerson(name: string, person: ModelPerson): Promise<void>
  handleEvents(at: number): Promise<void>
}

export async function openWorld(db: Db, queue: JobQueue, rules: ModelRule[]): Promise<World> {
  const ids: Record<string, string> = {}
  for (const name of ['boss', ...EVERYONE]) {
    const [row] = await db.query<{ id: string }>(sql`
      insert into users (username, display_name, password_hash, is_admin)
      values (${name}, ${name}, 'x', ${name === 'boss'}) returning id::text as id`)
    ids[name] = row.id
  }
  const [dept] = await db.query<{ id: string }>(
    sql`insert into departments (name) values ('Support') returning id::text as id`,
  )
  const boss: CurrentUser = {
    id: ids.boss,
    username: 'boss',
    displayName: 'boss',
    locale: 'en',
    isAdmin: true,
  }
  const roles = ['sales', 'east', 'west'].map((id) => ({ id, label: label(id), grants: [] }))
  const base = { db, user: boss, clock: fixedClock(new Date(T0)), log: silentLogger }
  const { meta } = await publishMetadata(base, {
    packages: [],
    entities: [lead, leaveRequest],
    forms: [],
    views: [],
    roles,
    pools: rules.map((r) => r.rule),
  })
  const handlers = createHandlerRegistry()
  registerAssignmentHandlers(handlers, async () => meta)
  return {
    db,
    meta,
    boss,
    ids,
    names: new Map(Object.entries(ids).map(([name, id]) => [id, name])),
    model: new AssignmentModel(rules),
    async writePerson(name, p) {
      const id = ids[name]
      await db.query(sql`update users set disabled = ${p.disabled},
        department_id = ${p.department ? dept.id : null}::uuid where id = ${id}::uuid`)
      await db.query(sql`delete from user_roles where user_id = ${id}::uuid`)
      for (const role of p.roles)
        await db.query(sql`insert into user_roles (user_id, role_id) values (${id}::uuid, ${role})`)
    },
    async handleEvents(at) {
      const rows = await db.query<OutboxEvent & { record_id: string; user_id: string | null }>(sql`
        select id, entity, record_id, event, payload, user_id from outbox
        where delivered_at is null order by id`)
      const auto = { db, clock: fixedClock(new Date(at)), log: silentLogger, queue }
      for (const r of rows) {
        const event = { ...r, id: Number(r.id), recordId: r.record_id, userId: r.user_id }
        await runEventHandlers(auto, handlers, { ...event, createdAt: new Date(at).toISOString() })
      }
      await db.query(sql`update outbox set delivered_at = now() where delivered_at is null`)
    },
  }
}

/** Empties leads and leave and puts everyone back as START has them, in both worlds. */
export async function resetWorld(w: World): Promise<void> {
  await w.db.query(sql`delete from app.lead`)
  await w.db.query(sql`delete from app.leave_request`)
  w.model.clear()
  for (const name of EVERYONE) {
    const start = START[name]
    const person = {
      disabled: false,
      roles: new Set(start.roles),
      department: start.department ?? null,
    }
    w.model.people.set(name, person)
    await w.writePerson(name, person)
  }
}
