import type { Alert } from '../../metadata/alert'
import type { Ctx } from '../context'
import { NotFoundError } from '../errors'
import type { AutomationCtx } from '../jobs/event-handlers'
import { getRecord } from '../records'
import { ALERT_DELIVERY_JOB, type AlertDeliveryData, type AlertDeps } from './alert-deps'
import { allowsPrivateTargets, DeliveryError, sendChatMessage, sendWebhook } from './channels'
import { recordLink, renderAlertMessage } from './render-alert-message'
import { hasEffect, recordEffect } from './effect-keys'

/** The record as the system reads it, or null when it is gone. */
export async function readAsSystem(
  ctx: Ctx,
  data: Pick<AlertDeliveryData, 'entity' | 'recordId'>,
): Promise<Record<string, unknown> | null> {
  if (!data.entity || !data.recordId) return {}
  try {
    return await getRecord(ctx, data.entity, data.recordId)
  } catch (err) {
    if (err instanceof NotFoundError) return null
    throw err
  }
}

/** A secret or address read from the environment, or a DeliveryError naming the variable. */
function fromEnv(deps: AlertDeps, name: string, channel: string): string {
  const value = (deps.env ?? process.env)[name]
  if (!value) throw new DeliveryError(`${name} is not set`, channel, undefined, false)
  return value
}

/**
 * Posts an alert's webhooks and chat messages for one firing, each once (its key is recorded
 * after the receiver took it). The webhook body carries the record as the system reads it: a
 * webhook is an integration the administrator configured, not a person.
 */
export async function sendGroupChannels(
  ctx: AutomationCtx,
  deps: AlertDeps,
  alert: Alert,
  data: AlertDeliveryData,
  record: Record<string, unknown>,
  key: string,
): Promise<void> {
  const link = recordLink(deps, data.entity, data.recordId)
  const timeZone = deps.timeZone ?? 'UTC'
  const message = renderAlertMessage(
    alert,
    'en',
    { record, previous: data.previous, $user: null, link },
    timeZone,
  )
  const allowPrivate = allowsPrivateTargets(deps.env ?? process.env)
  for (const [i, channel] of alert.channels.entries()) {
    const effectKey = `${key}:${channel.type}:${i}`
    if (channel.type !== 'webhook' && channel.type !== 'chat') continue
    if (await hasEffect(ctx.db, effectKey)) continue
    if (channel.type === 'webhook') {
      await sendWebhook({
        url: channel.url,
        secret: fromEnv(deps, channel.secretEnv, 'webhook'),
        event: `alert.${data.event}`,
        id: effectKey,
        allowPrivate,
        body: {
          alert: alert.id,
          event: data.event,
          entity: data.entity,
          recordId: data.recordId,
          record,
          previous: data.previous,
          title: message.title,
          body: message.body,
          link,
        },
      })
    } else {
      const url = fromEnv(deps, channel.webhookEnv, 'chat')
      const absolute = link && /^https?:\/\//.test(link) ? { url: link } : undefined
      await sendChatMessage(
        { provider: channel.provider, url },
        { title: message.title.slice(0, 200), text: message.body.slice(0, 3000), link: absolute },
        { allowPrivate },
      )
    }
    await recordEffect(ctx.db, effectKey, ALERT_DELIVERY_JOB)
  }
}
