import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import { deliverAlert, ALERT_DELIVERY_JOB, type AlertDeliveryData } from '../../runtime/alerts'
import { createSmtpMailer, verifyWebhookSignature } from '../../runtime/alerts/channels'
import { silentLogger } from '../../runtime/context'
import { createInProcessQueue } from '../../runtime/jobs'
import { fixedClock } from '../../runtime/clock'
import { createRecord, updateRecord } from '../../runtime/records'
import { decodeMail, startReceiver, startSmtp } from './channels-fixture'
import { notificationsOf, openAlertWorld, type AlertWorld } from './alerts-fixture'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en })
const SECRET = 'whsec-0123456789abcdef'

function alerts(hookUrl: string): Alert[] {
  return [
    {
      id: 'deal-created',
      label: label('New deal'),
      entity: 'deal',
      trigger: { type: 'created' },
      recipients: [{ type: 'owner' }, { type: 'users', usernames: ['bob', 'carol'] }],
      channels: [{ type: 'inApp' }, { type: 'email' }],
      template: {
        en: { title: 'New deal {{record.title}}', body: 'Margin: {{record.margin}}.' },
        'zh-CN': { title: '新商机 {{record.title}}', body: '利润：{{record.margin}}。' },
        ko: { title: '새 거래 {{record.title}}', body: '마진: {{record.margin}}.' },
      },
    },
    {
      id: 'deal-won',
      label: label('Deal won'),
      entity: 'deal',
      trigger: { type: 'fieldChanged', field: 'stage', to: 'won' },
      recipients: [{ type: 'users', usernames: ['bob'] }],
      channels: [
        { type: 'inApp' },
        { type: 'webhook', url: hookUrl, secretEnv: 'DEAL_HOOK_SECRET' },
      ],
      template: {
        en: { title: '{{record.title}} won (was {{previous.stage}})', body: 'Well done.' },
      },
    },
    {
      id: 'deal-updated',
      label: label('Deal changed'),
      entity: 'deal',
      trigger: { type: 'updated' },
      condition: { '==': [{ var: 'record.open' }, true] },
      recipients: [{ type: 'owner' }],
      channels: [{ type: 'inApp' }],
      template: { en: { title: 'Deal {{record.title}} changed', body: 'Stage {{record.stage}}' } },
    },
  ]
}

describe.each(testTargets())('alerts firing from record events on $name', (target) => {
  let w: AlertWorld
  let close: () => Promise<void>
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let hook: Awaited<ReturnType<typeof startReceiver>>
  let dealId: string
  const at = new Date('2026-03-02T10:00:00Z')

  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    smtp = await startSmtp()
    hook = await startReceiver()
    const mailer = createSmtpMailer({ url: smtp.url, from: 'Trellis <alerts@trellis.test>' })
    w = await openAlertWorld(opened.db, alerts(`${hook.url}/deals`), {
      mailer,
      // The receiver listens on loopback, a private address webhooks may reach only when allowed.
      env: { DEAL_HOOK_SECRET: SECRET, TRELLIS_WEBHOOK_ALLOW_PRIVATE: 'true' },
    })
  })
  afterAll(async () => {
    await w?.deps.mailer.close()
    await smtp?.close()
    await hook?.close()
    await close?.()
  })

  it('tells the owner and a manager of a new deal in their language, and never a rep who may not read it', async () => {
    // Written by the system: alice may not write the margin.
    const { record } = await createRecord(await w.ctx(at), 'deal', {
      title: 'Acme',
      owner: w.users.alice.id,
      stage: 'new',
      margin: '31%',
      open: true,
    })
    dealId = String(record.id)
    const ran = await w.run(at)
    expect(ran.events).toBe(1)
    const [alice] = await notificationsOf(w.db, w.users.alice.id)
    // alice may read her deal but not its margin: the margin never reaches her.
    expect(alice).toMatchObject({ alert: 'deal-created', title: '新商机 Acme', record_id: dealId })
    expect(alice.body).toBe('利润：。')
    const [bob] = await notificationsOf(w.db, w.users.bob.id)
    expect(bob).toMatchObject({ title: '새 거래 Acme', body: '마진: 31%.' })
    // carol is named, but the deal is alice's and reps read only their own.
    expect(await notificationsOf(w.db, w.users.carol.id)).toEqual([])
  })

  it('emails the same readers through a real SMTP server, in Chinese and Korean', async () => {
    const mails = smtp.mails.map((m) => ({ to: m.to, ...decodeMail(m.raw) }))
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['alice@trellis.test', 'bob@trellis.test'])
    const alice = mails.find((m) => m.to[0] === 'alice@trellis.test')!
    expect(alice.subject).toBe('新商机 Acme')
    expect(alice.text).not.toContain('31%')
    const bob = mails.find((m) => m.to[0] === 'bob@trellis.test')!
    expect(bob.subject).toBe('새 거래 Acme')
    expect(bob.text).toContain('마진: 31%.')
  })

  it('sends nothing twice when the event is handed over again or a delivery job runs again', async () => {
    await w.db.query(sql`update outbox set delivered_at = null`)
    await w.run(at)
    // The event handler's own key is dropped: it runs again and queues the same deliveries.
    await w.db.query(sql`delete from job_effects where key like 'outbox:%:alerts'`)
    await w.db.query(sql`update outbox set delivered_at = null`)
    expect((await w.run(at)).events).toBe(1)
    const data: AlertDeliveryData = {
      alert: 'deal-created',
      entity: 'deal',
      recordId: dealId,
      event: 'created',
      previous: null,
      snapshot: null,
      recipient: {
        user_id: w.users.bob.id,
        display_name: 'bob',
        email: 'bob@trellis.test',
        phone: null,
        locale: 'ko',
        via: 'users',
      },
    }
    const [{ id }] = await w.db.query<{ id: string }>(sql`select id::text from outbox limit 1`)
    const key = `alert:deal-created:${id}:${w.users.bob.id}`
    const ctx = {
      db: w.db,
      clock: fixedClock(at),
      log: silentLogger,
      queue: createInProcessQueue(),
    }
    await deliverAlert(ctx, w.deps, data, key)
    await deliverAlert(ctx, w.deps, data, key)
    expect(await notificationsOf(w.db, w.users.alice.id)).toHaveLength(1)
    expect(await notificationsOf(w.db, w.users.bob.id)).toHaveLength(1)
    expect(smtp.mails).toHaveLength(2)
    expect(ALERT_DELIVERY_JOB).toBe('alert-delivery')
  })

  it('fires a field-change alert with the previous value and posts a signed webhook', async () => {
    const ctx = await w.as(w.users.alice, at)
    await updateRecord(ctx, 'deal', dealId, { stage: 'won' }, 1)
    await w.run(at)
    const bob = await notificationsOf(w.db, w.users.bob.id)
    expect(bob.map((n) => n.title).sort()).toEqual(['Acme won (was new)', '새 거래 Acme'])
    expect(hook.received).toHaveLength(1)
    const [call] = hook.received
    expect(call.url).toBe('/deals')
    const signed = verifyWebhookSignature({
      secret: SECRET,
      body: call.body,
      timestamp: call.headers['x-trellis-timestamp'] as string,
      signature: call.headers['x-trellis-signature'] as string,
    })
    expect(signed).toBe(true)
    const body = JSON.parse(call.body) as Record<string, unknown>
    expect(body).toMatchObject({ alert: 'deal-won', event: 'updated', recordId: dealId })
    expect(body.link).toBe(`https://crm.trellis.test/e/deal/${dealId}`)
    const tampered = verifyWebhookSignature({
      secret: SECRET,
      body: call.body.replace('won', 'lost'),
      timestamp: call.headers['x-trellis-timestamp'] as string,
      signature: call.headers['x-trellis-signature'] as string,
    })
    expect(tampered).toBe(false)
    // The updated alert told alice too (her deal is open); the change to 'won' once, not twice.
    const alice = await notificationsOf(w.db, w.users.alice.id)
    expect(alice.map((n) => n.title).sort()).toEqual(['Deal Acme changed', '新商机 Acme'])
  })

  it('does not fire when the condition fails or the field changes to another value', async () => {
    const ctx = await w.as(w.users.alice, at)
    await updateRecord(ctx, 'deal', dealId, { stage: 'lost', open: false }, 2)
    await w.run(at)
    expect(await notificationsOf(w.db, w.users.alice.id)).toHaveLength(2)
    expect(await notificationsOf(w.db, w.users.bob.id)).toHaveLength(2)
    expect(hook.received).toHaveLength(1)
  })
})
