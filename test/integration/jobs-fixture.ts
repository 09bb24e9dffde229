import { sql } from 'drizzle-orm'
import type { Clock } from '../../runtime/clock'
import { silentLogger } from '../../runtime/context'
import { openDb, type Db } from '../../runtime/db'
import { createHandlerRegistry, type HandlerRegistry } from '../../runtime/jobs/event-handlers'
import { createInProcessQueue } from '../../runtime/jobs/in-process-queue'
import type { JobQueue } from '../../runtime/jobs/queue'
import type { TestTarget } from '../support/databases'

/** A clock the test moves by hand. */
export interface ManualClock extends Clock {
  set(at: Date | string): void
}

/** A clock that stays where the test puts it. */
export function manualClock(start: Date | string): ManualClock {
  let at = new Date(start)
  return { now: () => new Date(at), set: (to) => (at = new Date(to)) }
}

/** An open test database with a table handlers write their effects to. */
export interface JobsFixture {
  db: Db
  url?: string
  /** A second handle on the same database (a second process); PGlite: the same handle. */
  other(): Promise<Db>
  close(): Promise<void>
}

/** Opens `target` with `effects (kind, ref, at)`: one row per effect a handler made. */
export async function openJobsFixture(target: TestTarget): Promise<JobsFixture> {
  const { db, url, close } = await target.open()
  await db.query(sql`create table effects (
    n bigserial primary key, kind text not null, ref text not null, at timestamptz)`)
  const others: Db[] = []
  return {
    db,
    url,
    async other() {
      if (!url) return db
      const second = await openDb({ url, max: 4 })
      others.push(second)
      return second
    },
    async close() {
      for (const o of others) await o.close()
      await close()
    },
  }
}

/** Writes one effect row in the handler's transaction. */
export async function recordEffect(db: Db, kind: string, ref: string, at?: Date): Promise<void> {
  await db.query(sql`insert into effects (kind, ref, at)
    values (${kind}, ${ref}, ${at?.toISOString() ?? null}::timestamptz)`)
}

/** The effects of `kind` in the order they were made. */
export async function effectsOf(db: Db, kind: string): Promise<{ ref: string; at: Date | null }[]> {
  const rows = await db.query<{ ref: string; at: string | Date | null }>(
    sql`select ref, at from effects where kind = ${kind} order by n`,
  )
  return rows.map((r) => ({ ref: r.ref, at: r.at === null ? null : new Date(r.at) }))
}

/** A registry and an in-process queue for one simulated process. */
export function processParts(): { handlers: HandlerRegistry; queue: JobQueue } {
  return { handlers: createHandlerRegistry(), queue: createInProcessQueue({ backoffMs: 20 }) }
}

export const quietLog = silentLogger
