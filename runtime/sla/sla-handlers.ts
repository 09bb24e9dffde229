import { sql } from 'drizzle-orm'
import type { Calendar, Sla } from '../../metadata'
import { SYSTEM_USER, type Ctx } from '../context'
import type { Db } from '../db'
import type { AutomationCtx, HandlerRegistry, OutboxEvent } from '../jobs/event-handlers'
import type { MetadataSet } from '../registry'
import type { SlaMilestone, SlaTarget } from './plan-sla'
import { SLA_TIMER_KIND, syncSla } from './sync-sla'

/** The SLAs and calendars a published metadata set holds. */
export function slaDefinitionsOf(meta: MetadataSet): {
  slas: Sla[]
  calendars: Map<string, Calendar>
} {
  return { slas: meta.bundle.slas ?? [], calendars: meta.calendars }
}

/** The event a milestone puts in the outbox for alerts: `sla.warning` or `sla.breach`. */
export function slaEventName(milestone: SlaMilestone): string {
  return `sla.${milestone}`
}

/** Whether an update only touched the fields the SLA writes itself (its own write settling). */
function isOwnWrite(sla: Sla, event: OutboxEvent): boolean {
  if (event.userId !== SYSTEM_USER.id) return false
  const changes = (event.payload.changes ?? {}) as Record<string, unknown>
  const written = new Set<string>(Object.values(sla.fields))
  return Object.keys(changes).every((f) => written.has(f))
}

export interface SlaHandlerOptions {
  /** The published metadata, read for every event and firing so a publish takes effect. */
  meta(db: Db): Promise<MetadataSet>
}

function toCtx(ctx: AutomationCtx, meta: MetadataSet, now?: Date): Ctx {
  const clock = now ? { now: () => new Date(now) } : ctx.clock
  return { db: ctx.db, clock, log: ctx.log, meta, user: SYSTEM_USER }
}

/**
 * Registers the SLA automation: the `sla` event handler recomputes a record's due times, breach
 * flags and timers after each create or update, and the `sla` timer handler, when a milestone
 * falls due, brings the record up to date (the breach flag set) and emits `sla.warning` or
 * `sla.breach` into the outbox with `{ sla, policy, target, milestone, dueAt }` for alerts.
 * @example registerSlaHandlers(handlers, { meta: (db) => loadPublishedMetadata(db) })
 */
export function registerSlaHandlers(handlers: HandlerRegistry, options: SlaHandlerOptions): void {
  handlers.onEvent('sla', async (ctx, event) => {
    if (event.event !== 'created' && event.event !== 'updated') return
    const meta = await options.meta(ctx.db)
    const { slas, calendars } = slaDefinitionsOf(meta)
    for (const sla of slas) {
      if (sla.entity !== event.entity || isOwnWrite(sla, event)) continue
      await syncSla(toCtx(ctx, meta), sla, calendars, event.recordId)
    }
  })
  handlers.onTimer(SLA_TIMER_KIND, async (ctx, timer) => {
    const {
      sla: slaId,
      target,
      milestone,
    } = timer.payload as {
      sla?: string
      target?: SlaTarget
      milestone?: SlaMilestone
    }
    const meta = await options.meta(ctx.db)
    const { slas, calendars } = slaDefinitionsOf(meta)
    const sla = slas.find((s) => s.id === slaId)
    if (!sla || !timer.recordId || !target || !milestone) return
    const now = new Date(Math.max(+ctx.clock.now(), +timer.dueAt))
    const plan = await syncSla(toCtx(ctx, meta, now), sla, calendars, timer.recordId)
    // Met, paused or moved since the claim: the milestone no longer stands.
    const stands = plan?.timers.some(
      (t) => t.target === target && t.milestone === milestone && +t.dueAt === +timer.dueAt,
    )
    if (!stands) return
    await emitMilestone(ctx.db, sla, timer.recordId, {
      sla: sla.id,
      policy: plan?.policy?.id ?? null,
      target,
      milestone,
      dueAt: timer.dueAt.toISOString(),
    })
  })
}

async function emitMilestone(
  db: Db,
  sla: Sla,
  recordId: string,
  payload: { milestone: SlaMilestone } & Record<string, unknown>,
): Promise<void> {
  await db.query(sql`insert into outbox (entity, record_id, event, payload, user_id)
    values (${sla.entity}, ${recordId}::uuid, ${slaEventName(payload.milestone)},
      ${JSON.stringify({ ...payload, id: recordId })}::jsonb, null)`)
}
