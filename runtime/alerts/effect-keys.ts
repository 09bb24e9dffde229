import { sql } from 'drizzle-orm'
import type { Db } from '../db'

/**
 * Whether an effect key is recorded in `job_effects`: the effect ran (or was decided against)
 * on an earlier try of the job.
 */
export async function hasEffect(db: Db, key: string): Promise<boolean> {
  const rows = await db.query(sql`select 1 from job_effects where key = ${key}`)
  return rows.length > 0
}

/**
 * Records an effect key after an effect outside the database went out (a mail, a webhook), so
 * a retried job does not send it again. A key already there is left as it is.
 * @example await mailer.send(message); await recordEffect(db, `${key}:email`, 'alert-delivery')
 */
export async function recordEffect(db: Db, key: string, job: string): Promise<void> {
  await db.query(
    sql`insert into job_effects (key, job) values (${key}, ${job}) on conflict (key) do nothing`,
  )
}
