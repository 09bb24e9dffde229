import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { PoolDefinition } from '../../metadata/pool'
import { fixedClock } from '../../runtime/clock'
import { silentLogger, type Ctx, type CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createInProcessQueue } from '../../runtime/jobs'
import {
  createHandlerRegistry,
  fireTimer,
  runEventHandlers,
  type AutomationCtx,
  type OutboxEvent,
} from '../../runtime/jobs/event-handlers'
import { claimDueTimers } from '../../runtime/jobs/timers'
import { registerPoolHandlers } from '../../runtime/pools'
import { createRecord } from '../../runtime/records'
import { publishMetadata, type MetadataSet } from '../../runtime/registry'
import type { TestTarget } from '../support/databases'

const label = (en: string) => ({ en })
const opt = (value: string) => ({ value, label: label(value) })

export const customer: Entity = {
  id: 'customer',
  label: label('Customer'),
  titleField: 'name',
  ownerField: 'owner',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'level', type: 'select', label: label('Level'), options: ['A', 'B', 'C'].map(opt) },
    { name: 'region', type: 'select', label: label('Region'), options: ['east', 'west'].map(opt) },
    { name: 'pool', type: 'text', label: label('Pool') },
    { name: 'owner', type: 'user', label: label('Owner') },
  ],
}

export const followUp: Entity = {
  id: 'followUp',
  label: label('Follow-up'),
  titleField: 'subject',
  ownerField: 'owner',
  fields: [
    { name: 'subject', type: 'text', label: label('Subject'), required: true },
    { name: 'customer', type: 'reference', entity: 'customer', label: label('Customer') },
    { name: 'owner', type: 'user', label: label('Owner') },
  ],
}

/** The east pool: reps claim, 7-day cool-down, reclaim after 10 days (A: 20) without follow-up. */
export function eastPool(overrides: Partial<PoolDefinition> = {}): PoolDefinition {
  return {
    type: 'pool',
    id: 'east',
    label: label('East pool'),
    entity: 'customer',
    levelField: 'level',
    members: { roles: ['sales'] },
    admins: { usernames: ['boss'] },
    filter: { '==': [{ var: 'region' }, 'east'] },
    cooldownDays: 7,
    returnReasons: [{ value: 'noNeed', label: label('No need') }],
    reclaim: {
      followUp: { entity: 'followUp', field: 'customer' },
      rules: [
        { levels: ['A'], noFollowUpDays: 20, remindDaysBefore: 3 },
        { noFollowUpDays: 10, remindDaysBefore: 2 },
      ],
    },
    ...overrides,
  }
}

export interface PoolsFixture {
  db: Db
  meta: MetadataSet
  admin: Ctx
  /** The context of rep `n` (1-based; every rep holds role `sales`), at `at`. */
  rep(n: number, at?: string): Ctx
  /** A context of a user in no pool. */
  outsider: Ctx
  addCustomer(values: Record<string, unknown>): Promise<string>
  /** Runs the pool handlers for every undelivered outbox event, then marks them delivered. */
  handleEvents(at: string): Promise<void>
  /** Fires every pool timer due at `at`; answers how many fired. */
  fireDue(at: string): Promise<number>
  close(): Promise<void>
}

const START = '2026-03-02T09:00:00Z'
/** The instance time zone the fixture's reminders are dated in (8 hours ahead of UTC). */
export const POOLS_TIME_ZONE = 'Asia/Shanghai'

/** A fresh database with customers, follow-ups, one admin, `reps` sales reps and an outsider. */
export async function openPoolsFixture(
  target: TestTarget,
  pools: () => PoolDefinition[],
  reps = 3,
): Promise<PoolsFixture> {
  const opened = await target.open()
  const db = opened.db
  const user = async (username: string, isAdmin = false): Promise<CurrentUser> => {
    const [row] = await db.query<{
      id: string
    }>(sql`insert into users (username, display_name, password_hash, is_admin)
      values (${username}, ${username}, 'x', ${isAdmin}) returning id::text as id`)
    return { id: row.id, username, displayName: username, locale: 'en', isAdmin }
  }
  const adminUser = await user('boss', true)
  const base = { db, clock: fixedClock(START), log: silentLogger }
  const { meta } = await publishMetadata(
    { ...base, user: adminUser },
    {
      packages: [],
      entities: [customer, followUp],
      forms: [],
      views: [],
      pools: pools(),
      roles: [
        {
          id: 'sales',
          label: label('Sales'),
          grants: [
            { entity: 'customer', scopes: { read: 'own', update: 'own' } },
            { entity: 'followUp', scopes: { read: 'own', create: 'own' } },
          ],
        },
      ],
    },
  )
  const repUsers: CurrentUser[] = []
  for (let i = 1; i <= reps; i++) {
    const u = await user(`rep${String(i).padStart(3, '0')}`)
    await db.query(sql`insert into user_roles (user_id, role_id) values (${u.id}::uuid, 'sales')`)
    repUsers.push({ ...u, isAdmin: false, roles: ['sales'] })
  }
  const outsiderUser = await user('zed')
  const ctxOf = (u: CurrentUser, at = START): Ctx => ({
    ...base,
    clock: fixedClock(at),
    user: u,
    meta,
  })
  const admin = ctxOf(adminUser)
  const handlers = createHandlerRegistry()
  registerPoolHandlers(handlers, async () => meta, { timeZone: POOLS_TIME_ZONE })
  const queue = createInProcessQueue({ log: silentLogger })
  const auto = (at: string): AutomationCtx => ({
    db,
    clock: fixedClock(at),
    log: silentLogger,
    queue,
  })
  return {
    db,
    meta,
    admin,
    rep: (n, at) => ctxOf(repUsers[n - 1], at),
    outsider: ctxOf(outsiderUser),
    async addCustomer(values) {
      const { record } = await createRecord(admin, 'customer', values)
      // A new record's owner defaults to its creator; a pooled one has none.
      if (values.owner === null)
        await db.query(sql`update app.customer set owner = null where id = ${record.id}::uuid`)
      return record.id as string
    },
    async handleEvents(at) {
      const rows = await db.query<OutboxEvent & { record_id: string; user_id: string | null }>(sql`
        select id, entity, record_id, event, payload, user_id from outbox
        where delivered_at is null order by id`)
      for (const r of rows) {
        const event = {
          ...r,
          id: Number(r.id),
          recordId: r.record_id,
          userId: r.user_id,
          createdAt: at,
        }
        await runEventHandlers(auto(at), handlers, event)
      }
      await db.query(sql`update outbox set delivered_at = now() where delivered_at is null`)
    },
    async fireDue(at) {
      const due = await claimDueTimers(db, {
        now: new Date(at),
        limit: 1000,
        owner: 't',
        leaseMs: 60_000,
      })
      let fired = 0
      for (const t of due) {
        const data = { id: t.id, kind: t.kind, dueAt: t.dueAt.toISOString() }
        if (await fireTimer(auto(at), handlers, data)) fired++
      }
      return fired
    },
    async close() {
      await queue.close()
      await opened.close()
    },
  }
}
