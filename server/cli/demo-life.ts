import { sql } from 'drizzle-orm'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, type Ctx } from '../../runtime/context'
import { fireTransition } from '../../runtime/flows'
import { createRecord, updateRecord, type RecordData } from '../../runtime/records'
import { APP_SCHEMA, tableName } from '../../runtime/schema'
import { slaDefinitionsOf, syncSla } from '../../runtime/sla'
import type { DemoLife } from '../../seeds/demo-data'

/**
 * Creates a demo record when its life began and replays what happened to it since, each step
 * with the clock at its time: transitions fired by the owner (`ctx.user`), other moves written
 * as the system. The audit trail then tells the record's real story, and what is computed from
 * it (a ticket's service levels) holds. Answers the record as it ends.
 * @example await replayLife(asAgent, 'ticket', values, { createdAt, steps: [{ at, transition: 'start' }] })
 */
export async function replayLife(
  ctx: Ctx,
  entityId: string,
  input: Record<string, unknown>,
  life: DemoLife,
): Promise<RecordData> {
  const at = (iso: string): Ctx => ({ ...ctx, clock: fixedClock(new Date(iso)) })
  let { record } = await createRecord(at(life.createdAt), entityId, input)
  for (const step of life.steps) {
    const id = String(record.id)
    const version = record.version as number
    record =
      'transition' in step
        ? (await fireTransition(at(step.at), entityId, id, step.transition, { version })).record
        : (
            await updateRecord(
              { ...at(step.at), user: SYSTEM_USER },
              entityId,
              id,
              step.values,
              version,
            )
          ).record
  }
  return record
}

/**
 * Brings the service levels of every record an SLA covers up to date now, as the SLA handler
 * does after each write: a demo is right from its first page, before the job worker has read
 * the outbox (and the worker, reading the same history, finds nothing to change).
 * @example await settleDemoSlas(installed) // 150
 */
export async function settleDemoSlas(ctx: Ctx): Promise<number> {
  const { slas, calendars } = slaDefinitionsOf(ctx.meta)
  const sys: Ctx = { ...ctx, user: SYSTEM_USER }
  let count = 0
  for (const sla of slas) {
    const entity = ctx.meta.entities.get(sla.entity)
    if (!entity) continue
    const rows = await ctx.db.query<{ id: string }>(
      sql`select id from ${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(entity))} order by id`,
    )
    for (const { id } of rows) if (await syncSla(sys, sla, calendars, id)) count++
  }
  return count
}
