import { sql } from 'drizzle-orm'
import type { Alert } from '../../metadata/alert'
import type { Entity } from '../../metadata/entity'
import type { Role } from '../../metadata/role'
import { registerAlertHandlers, type AlertDeps } from '../../runtime/alerts'
import { createInProcessMailer, type Mailer } from '../../runtime/alerts/channels'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx, type CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createUser } from '../../runtime/identity'
import {
  createHandlerRegistry,
  createInProcessQueue,
  registerBuiltInHandlers,
  runDueJobs,
} from '../../runtime/jobs'
import { loadPublishedMetadata, publishMetadata } from '../../runtime/registry'

const label = (en: string) => ({ en })

/** Deals: an owner, a watcher, a stage, a close date and a margin reps may not see. */
export const deal: Entity = {
  id: 'deal',
  label: label('Deal'),
  titleField: 'title',
  ownerField: 'owner',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'watcher', type: 'user', label: label('Watcher') },
    { name: 'stage', type: 'text', label: label('Stage') },
    { name: 'margin', type: 'text', label: label('Margin') },
    { name: 'closeDate', type: 'date', label: label('Close date') },
    { name: 'open', type: 'boolean', label: label('Open') },
  ],
}

/** Reps see their own deals, without the margin; managers see every deal. */
export const roles: Role[] = [
  {
    id: 'rep',
    label: label('Rep'),
    grants: [
      {
        entity: 'deal',
        scopes: { read: 'own', create: 'own', update: 'own' },
        fields: { margin: 'none' },
      },
    ],
  },
  {
    id: 'manager',
    label: label('Manager'),
    grants: [{ entity: 'deal', scopes: { read: 'all', create: 'all', update: 'all' } }],
  },
]

export interface AlertWorld {
  db: Db
  users: Record<'alice' | 'bob' | 'carol', CurrentUser>
  /** The system's ctx on the published metadata. */
  ctx(at?: Date): Promise<Ctx>
  /** A user's ctx (their roles loaded) on the published metadata. */
  as(user: CurrentUser, at?: Date): Promise<Ctx>
  /** Runs every pending event, due timer and delivery at `at`, on a fresh in-process queue. */
  run(at: Date): Promise<{ events: number; timers: number }>
  deps: AlertDeps
}

/**
 * Publishes deals, the roles and `alerts`, and makes alice (rep, zh-CN), bob (manager, ko) and
 * carol (rep, en) with email addresses.
 */
export async function openAlertWorld(
  db: Db,
  alerts: Alert[],
  options: { mailer?: Mailer; env?: Record<string, string>; timeZone?: string } = {},
): Promise<AlertWorld> {
  const at = new Date('2026-03-02T00:00:00Z')
  const base = { db, user: SYSTEM_USER, clock: fixedClock(at), log: silentLogger }
  await publishMetadata(base, {
    packages: [],
    entities: [deal],
    forms: [],
    views: [],
    roles,
    alerts,
  })
  const make = async (username: string, locale: string, role: string) => {
    const user = await createUser(
      { db },
      {
        username,
        password: `${username}-password-1`,
        displayName: username,
        email: `${username}@trellis.test`,
        locale,
      },
    )
    await db.query(sql`insert into user_roles (user_id, role_id) values (${user.id}, ${role})`)
    return { ...user, roles: [role] }
  }
  const users = {
    alice: await make('alice', 'zh-CN', 'rep'),
    bob: await make('bob', 'ko', 'manager'),
    carol: await make('carol', 'en', 'rep'),
  }
  const deps: AlertDeps = {
    metadata: (tx) => loadPublishedMetadata(tx),
    mailer: options.mailer ?? createInProcessMailer(),
    env: options.env ?? {},
    timeZone: options.timeZone ?? 'UTC',
    baseUrl: 'https://crm.trellis.test',
  }
  const ctxAt = async (user: CurrentUser, when = at): Promise<Ctx> => ({
    ...base,
    user,
    clock: fixedClock(when),
    meta: await loadPublishedMetadata(db),
  })
  return {
    db,
    users,
    deps,
    ctx: (when) => ctxAt(SYSTEM_USER, when),
    as: (user, when) => ctxAt(user, when),
    async run(when) {
      const queue = createInProcessQueue({ backoffMs: 10 })
      const clock = fixedClock(when)
      const handlers = registerAlertHandlers(registerBuiltInHandlers(createHandlerRegistry()), deps)
      try {
        const { events, timers } = await runDueJobs({
          db,
          queue,
          clock,
          log: silentLogger,
          handlers,
        })
        return { events, timers }
      } finally {
        await queue.close()
      }
    },
  }
}

/** The notifications stored for a user, oldest first. */
export async function notificationsOf(db: Db, userId: string) {
  return db.query<{ alert: string; title: string; body: string | null; record_id: string | null }>(
    sql`select alert, title, body, record_id from notifications where user_id = ${userId}::uuid
      order by created_at, id`,
  )
}
