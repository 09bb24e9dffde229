import { sql } from 'drizzle-orm'
import type { AssignmentRule } from '../../metadata/pool'
import { SYSTEM_USER, type Ctx } from '../context'
import type { AutomationCtx, HandlerRegistry, OutboxEvent } from '../jobs'
import { recordPoolMove, type PoolSource } from '../pools'
import { entityPlan } from '../records'
import type { MetadataSet } from '../registry'
import { assignRecord } from './assign-record'

const rulesFor = (meta: MetadataSet, entity: string) =>
  (meta.bundle.pools ?? []).filter(
    (p): p is AssignmentRule => p.type === 'assignment' && p.entity === entity,
  )

/** The new record as its `created` event carries it: each field's value after the write. */
function createdValues(event: OutboxEvent): Record<string, unknown> {
  const changes = (event.payload.changes ?? {}) as Record<string, { after?: unknown }>
  return Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v?.after ?? null]))
}

/** How assignment reads the calendar: the instance time zone of "on leave today" (UTC). */
export interface AssignmentOptions {
  timeZone?: string
}

/**
 * Assigns a newly created record by the first of its entity's rules that yields an owner. The
 * owner is set only while the record still has the owner it was created with, so a change made
 * by hand meanwhile wins; the assignment goes into the record's history.
 */
export async function assignCreated(
  auto: AutomationCtx,
  source: PoolSource,
  event: OutboxEvent,
  options: AssignmentOptions = {},
): Promise<string | null> {
  if (event.event !== 'created') return null
  const meta = await source(auto.db)
  const rules = rulesFor(meta, event.entity)
  if (!rules.length) return null
  const ctx: Ctx = { db: auto.db, clock: auto.clock, log: auto.log, meta, user: SYSTEM_USER }
  const record = createdValues(event)
  const plan = entityPlan(meta, event.entity)
  for (const rule of rules) {
    const chosen = await assignRecord(ctx, rule, record, options.timeZone)
    if (!chosen) continue
    const field = rule.ownerField ?? plan.entity.ownerField!
    const before = (record[field] as string | null) ?? null
    const column = plan.storedByName.get(field)!.idents[0]
    const now = auto.clock.now()
    const [row] = await auto.db.query<{ version: number }>(sql`
      update ${plan.table} set ${column} = ${chosen.userId}::uuid, version = version + 1,
        updated_at = ${now.toISOString()}::timestamptz
      where id = ${event.recordId}::uuid and ${column} is not distinct from ${before}::uuid
      returning version`)
    if (!row) return null
    await recordPoolMove(auto.db, {
      entity: event.entity,
      recordId: event.recordId,
      action: 'assign',
      userId: null,
      at: now,
      version: Number(row.version),
      changes: {
        [field]: { before, after: chosen.userId },
        rule: { before: null, after: `${rule.id}:${chosen.how}` },
      },
    })
    return chosen.userId
  }
  return null
}

/**
 * Registers the `assignment` event handler: new records of an entity with assignment rules get
 * an owner. @example registerAssignmentHandlers(handlers, (db) => loadPublishedMetadata(db))
 */
export function registerAssignmentHandlers(
  handlers: HandlerRegistry,
  source: PoolSource,
  options: AssignmentOptions = {},
): void {
  handlers.onEvent('assignment', async (ctx, event) => {
    await assignCreated(ctx, source, event, options)
  })
}
