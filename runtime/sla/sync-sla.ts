import { sql } from 'drizzle-orm'
import type { Calendar, Sla } from '../../metadata'
import { SYSTEM_USER, type Ctx } from '../context'
import type { Db } from '../db'
import { cancelTimer, scheduleTimer } from '../jobs/timers'
import { getRecord, updateRecord } from '../records'
import { planSla, type SlaPlan, type StatusChange } from './plan-sla'

/** The timer kind of SLA milestones; keys are `sla:<recordId>:<target>:<milestone>`. */
export const SLA_TIMER_KIND = 'sla'

/** The key of one milestone timer of a record. */
export function slaTimerKey(recordId: string, target: string, milestone: string): string {
  return `sla:${recordId}:${target}:${milestone}`
}

/** The record's status history from its audit trail, oldest first (creation included). */
export async function readStatusHistory(
  db: Db,
  entity: string,
  recordId: string,
  statusField: string,
): Promise<StatusChange[]> {
  const rows = await db.query<{ status: string | null; at: Date | string }>(sql`
    select changes -> ${statusField} ->> 'after' as status, at from audit_log
    where entity = ${entity} and record_id = ${recordId}::uuid and changes ? ${statusField}
    order by id`)
  return rows.map((r) => ({ status: r.status, at: new Date(r.at) }))
}

function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string')
    return (value as { id: string }).id
  return null
}

/** Values of the SLA's dotted match keys, read from the referenced records. */
async function readLookups(ctx: Ctx, sla: Sla, record: Record<string, unknown>) {
  const entity = ctx.meta.entities.get(sla.entity)
  const lookups: Record<string, unknown> = {}
  const keys = new Set(sla.policies.flatMap((p) => Object.keys(p.match ?? {})))
  for (const key of keys) {
    const [ref, field] = key.split('.')
    if (field === undefined) continue
    const target = entity?.fields.find((f) => f.name === ref)?.entity
    const id = idOf(record[ref])
    if (!target || !id) continue
    const other = await getRecord(ctx, target, id).catch(() => null)
    lookups[key] = other?.[field] ?? null
  }
  return lookups
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return a == null && b == null
  if (typeof b === 'string' && !Number.isNaN(Date.parse(b)) && /T/.test(b))
    return Date.parse(String(a instanceof Date ? a.toISOString() : a)) === Date.parse(b)
  return a === b
}

/** Moves, adds and cancels the record's milestone timers to match the plan. */
async function syncTimers(db: Db, sla: Sla, recordId: string, plan: SlaPlan): Promise<void> {
  const rows = await db.query<{ key: string; due_at: Date | string }>(sql`
    select key, due_at from timers where kind = ${SLA_TIMER_KIND} and entity = ${sla.entity}
      and record_id = ${recordId}::uuid`)
  const have = new Map(rows.map((r) => [r.key, +new Date(r.due_at)]))
  const keep = new Set<string>()
  for (const t of plan.timers) {
    const key = slaTimerKey(recordId, t.target, t.milestone)
    keep.add(key)
    // Scheduling again re-arms a fired timer: only a moved due time may fire a milestone twice.
    if (have.get(key) === +t.dueAt) continue
    await scheduleTimer(db, {
      kind: SLA_TIMER_KIND,
      key,
      dueAt: t.dueAt,
      entity: sla.entity,
      recordId,
      payload: { sla: sla.id, target: t.target, milestone: t.milestone },
    })
  }
  for (const key of have.keys()) if (!keep.has(key)) await cancelTimer(db, SLA_TIMER_KIND, key)
}

/**
 * Brings one record's SLA up to date at `ctx.clock.now()`: plans it from the record, its
 * lookups and status history, writes the changed SLA fields as the system user (nothing when
 * none changed, so its own update event settles) and syncs its timers. Answers the plan.
 * @example await syncSla(ctx, sla, calendars, ticketId)
 */
export async function syncSla(
  ctx: Ctx,
  sla: Sla,
  calendars: ReadonlyMap<string, Calendar>,
  recordId: string,
): Promise<SlaPlan | null> {
  const sys: Ctx = { ...ctx, user: SYSTEM_USER }
  const record = await getRecord(sys, sla.entity, recordId).catch(() => null)
  if (!record) return null
  const history = await readStatusHistory(ctx.db, sla.entity, recordId, sla.statusField)
  const lookups = await readLookups(sys, sla, record)
  const plan = planSla({ sla, calendars, record, lookups, history, now: ctx.clock.now() })
  const patch = Object.fromEntries(
    Object.entries(plan.values).filter(([field, value]) => !sameValue(record[field], value)),
  )
  if (Object.keys(patch).length > 0)
    await updateRecord(sys, sla.entity, recordId, patch, record.version as number)
  await syncTimers(ctx.db, sla, recordId, plan)
  return plan
}
