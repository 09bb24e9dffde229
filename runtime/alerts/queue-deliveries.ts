import type { Alert } from '../../metadata/alert'
import type { AutomationCtx } from '../jobs/event-handlers'
import type { MetadataSet } from '../registry'
import { ALERT_DELIVERY_JOB, type AlertDeliveryData } from './alert-deps'
import { buildRecipientQuery, type RecipientRow } from './recipient-query'

/** One firing of an alert: the record it is about (if any) and what fired it. */
export interface AlertFiring {
  /** Unique per firing: the outbox id, or the timer and its due time. */
  id: string
  event: AlertDeliveryData['event']
  entity: string | null
  recordId: string | null
  record: Record<string, unknown>
  previous: Record<string, unknown> | null
  /** Deletes: the record as it was, carried in the job since it cannot be read again. */
  snapshot?: Record<string, unknown> | null
}

const GROUP_CHANNELS = new Set(['webhook', 'chat'])

/** Who a delivery goes to, in its key: the user id, else the contact's address. */
function recipientKey(row: RecipientRow): string {
  return row.user_id ?? row.email ?? row.phone ?? 'nobody'
}

/**
 * Queues the deliveries of one firing: a job per recipient the alert resolves to (key
 * `alert:<alertId>:<firing>:<userId|address>`), and one for its group channels and actions
 * (`…:group`). Keys make the queue drop a job queued again by a retried event or timer.
 * @example await queueAlertDeliveries(ctx, meta, alert, { id: '42', event: 'created', … })
 */
export async function queueAlertDeliveries(
  ctx: AutomationCtx,
  meta: MetadataSet,
  alert: Alert,
  firing: AlertFiring,
): Promise<number> {
  const base = {
    alert: alert.id,
    entity: firing.entity,
    recordId: firing.recordId,
    event: firing.event,
    previous: firing.previous,
    snapshot: firing.snapshot ?? null,
  }
  const jobs: { key: string; data: AlertDeliveryData }[] = []
  const perRecipient = alert.channels.some((c) => !GROUP_CHANNELS.has(c.type))
  if (perRecipient && alert.recipients?.length) {
    const rows = await ctx.db.query<RecipientRow>(
      buildRecipientQuery({ meta }, alert, firing.record),
    )
    for (const row of rows)
      jobs.push({
        key: `alert:${alert.id}:${firing.id}:${recipientKey(row)}`,
        data: { ...base, recipient: row },
      })
  }
  if (alert.channels.some((c) => GROUP_CHANNELS.has(c.type)) || alert.actions?.length)
    jobs.push({ key: `alert:${alert.id}:${firing.id}:group`, data: { ...base, recipient: null } })
  // All at once: on BullMQ one round trip's wait for the lot instead of one per recipient.
  await Promise.all(jobs.map((job) => ctx.queue.add({ name: ALERT_DELIVERY_JOB, ...job })))
  return jobs.length
}
