import type { Alert } from '../../metadata/alert'
import { SYSTEM_USER, silentLogger, type Ctx } from '../context'
import type { Db } from '../db'
import type { AutomationCtx, HandlerRegistry } from '../jobs/event-handlers'
import { runOnce } from '../jobs/run-once'
import { notify } from '../notifications'
import type { MetadataSet } from '../registry'
import { ALERT_DELIVERY_JOB, type AlertDeliveryData, type AlertDeps } from './alert-deps'
import { runAlertActions } from './alert-actions'
import { sendSms, shouldSend } from './channels'
import { hasEffect, recordEffect } from './effect-keys'
import { readAsSystem, sendGroupChannels } from './group-channels'
import { viewAsRecipient } from './recipient-view'
import {
  NOTICE_BODY_MAX,
  NOTICE_TITLE_MAX,
  recordLink,
  renderAlertMessage,
  renderAlertTexts,
} from './render-alert-message'
import { isSmsOptedOut } from './sms-opt-out'

/** Whether the throttle lets this message out; a refusal is remembered for retries. */
async function passesThrottle(
  db: Db,
  alert: Alert,
  check: { channel: string; recipient: string; now: Date; effectKey: string },
): Promise<boolean> {
  const windowMinutes = alert.throttle?.perRecipientMinutes ?? 0
  if (windowMinutes <= 0) return true
  if (await hasEffect(db, `${check.effectKey}:throttled`)) return false
  // The decision is taken once per delivery: a retry after a failed send finds it made.
  const gate = await runOnce(db, `${check.effectKey}:gate`, ALERT_DELIVERY_JOB, async (tx) => {
    const ok = await shouldSend(tx, { ...check, alert: alert.id, windowMinutes })
    if (!ok) await recordEffect(tx, `${check.effectKey}:throttled`, ALERT_DELIVERY_JOB)
    return ok
  })
  return gate.done ? gate.value : !(await hasEffect(db, `${check.effectKey}:throttled`))
}

/** Sends outside the database once: skipped when done before, recorded after it went out. */
async function sendOnce(
  db: Db,
  alert: Alert,
  check: { channel: string; recipient: string; now: Date; effectKey: string },
  send: () => Promise<unknown>,
): Promise<boolean> {
  if (await hasEffect(db, check.effectKey)) return false
  if (!(await passesThrottle(db, alert, check))) return false
  await send()
  await recordEffect(db, check.effectKey, ALERT_DELIVERY_JOB)
  return true
}

/** Delivers to one user or contact over the alert's personal channels (in-app, email, SMS). */
async function deliverToRecipient(
  ctx: AutomationCtx,
  deps: AlertDeps,
  meta: MetadataSet,
  alert: Alert,
  data: AlertDeliveryData & { recipient: NonNullable<AlertDeliveryData['recipient']> },
  key: string,
): Promise<void> {
  const row = data.recipient
  const base: Omit<Ctx, 'user'> = { db: ctx.db, clock: ctx.clock, log: ctx.log, meta }
  let record: Record<string, unknown> = {}
  let previous = data.previous
  if (data.entity && data.recordId) {
    if (row.user_id) {
      const view = await viewAsRecipient(
        base,
        row.user_id,
        data.entity,
        data.recordId,
        previous,
        data.snapshot,
      )
      if (!view)
        return void ctx.log.debug({ alert: alert.id, key }, 'recipient may not read the record')
      ;({ record, previous } = view)
    } else {
      const own = data.snapshot ?? (await readAsSystem({ ...base, user: SYSTEM_USER }, data))
      if (!own) return
      record = own
    }
  }
  const timeZone = deps.timeZone ?? 'UTC'
  const link = recordLink(deps, data.entity, data.recordId)
  const $user = row.user_id ? { id: row.user_id, displayName: row.display_name } : null
  const locale = row.locale ?? deps.locale ?? null // a contact has no language of their own
  const view = { record, previous, $user, link }
  const message = renderAlertMessage(alert, locale, view, timeZone)
  const now = ctx.clock.now()
  for (const channel of alert.channels) {
    const effectKey = `${key}:${channel.type}`
    if (channel.type === 'inApp' && row.user_id) {
      const userId = row.user_id
      await runOnce(ctx.db, effectKey, ALERT_DELIVERY_JOB, async (tx) => {
        // One transaction with the notice: a refused or rolled-back try leaves no trace.
        const windowMinutes = alert.throttle?.perRecipientMinutes ?? 0
        const check = { channel: 'inApp', recipient: userId, alert: alert.id, windowMinutes, now }
        if (!(await shouldSend(tx, check))) return
        await notify(tx, {
          userId,
          alert: alert.id,
          entity: data.entity,
          recordId: data.recordId,
          title: message.title.slice(0, NOTICE_TITLE_MAX),
          body: message.body.slice(0, NOTICE_BODY_MAX),
          // Every language, so the notice follows its reader when they switch theirs.
          texts: renderAlertTexts(alert, view, timeZone),
          key: effectKey,
          createdAt: now,
        })
      })
    } else if (channel.type === 'email' && row.email) {
      const to = row.email
      await sendOnce(ctx.db, alert, { channel: 'email', recipient: to, now, effectKey }, () =>
        deps.mailer.send({ to, subject: message.title, text: message.body, html: message.html }),
      )
    } else if (channel.type === 'sms' && row.phone) {
      if (isSmsOptedOut(alert, record)) continue
      const to = row.phone
      if (!deps.sms) {
        ;(deps.log ?? ctx.log).warn(
          { alert: alert.id },
          'no SMS gateway is configured: SMS skipped',
        )
        continue
      }
      const gateway = deps.sms
      await sendOnce(ctx.db, alert, { channel: 'sms', recipient: to, now, effectKey }, () =>
        sendSms(gateway, { to, text: message.body }),
      )
    }
  }
}

/**
 * The `alert-delivery` job: one alert, one firing, one recipient — rendered in the recipient's
 * language from only the fields they may read (nothing when they may not read the record), sent
 * over each of the alert's channels, throttled per recipient. In-app notices are written with
 * their effect key in one transaction; mails, texts and webhooks record their key once sent, so
 * a retried job sends nothing twice. The group job (no recipient) posts webhooks and chat
 * messages and runs the actions once.
 * @example await deliverAlert(ctx, deps, job.data, job.key)
 */
export async function deliverAlert(
  ctx: AutomationCtx,
  deps: AlertDeps,
  data: AlertDeliveryData,
  key: string,
): Promise<void> {
  const meta = await deps.metadata(ctx.db)
  const alert = meta.alerts.get(data.alert)
  // Removed or switched off since it fired: nothing goes out.
  if (!alert || alert.enabled === false) return
  if (data.recipient)
    return deliverToRecipient(ctx, deps, meta, alert, { ...data, recipient: data.recipient }, key)
  const sys: Ctx = {
    db: ctx.db,
    clock: ctx.clock,
    log: ctx.log ?? silentLogger,
    meta,
    user: SYSTEM_USER,
  }
  const record =
    data.entity && data.recordId ? (data.snapshot ?? (await readAsSystem(sys, data))) : {}
  if (!record) return
  await sendGroupChannels(ctx, deps, alert, data, record, key)
  if (alert.actions?.length && data.event !== 'deleted')
    await runOnce(ctx.db, `${key}:actions`, ALERT_DELIVERY_JOB, (tx) =>
      runAlertActions({ ...sys, db: tx }, alert, record, data.previous),
    )
}

/**
 * Registers the `alert-delivery` job kind: wherever automation runs jobs, one delivery job per
 * recipient (and one per alert for webhooks, chat and actions) runs `deliverAlert`.
 * @example registerAlertJobs(handlers, deps)
 */
export function registerAlertJobs(handlers: HandlerRegistry, deps: AlertDeps): void {
  handlers.onJob(ALERT_DELIVERY_JOB, (ctx, data, job) =>
    deliverAlert(ctx, deps, data as AlertDeliveryData, job.key),
  )
}
