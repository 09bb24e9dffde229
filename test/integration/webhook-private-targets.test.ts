import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import { registerAlertHandlers } from '../../runtime/alerts'
import { DeliveryError, sendChatMessage, sendWebhook } from '../../runtime/alerts/channels'
import { fixedClock } from '../../runtime/clock'
import { silentLogger } from '../../runtime/context'
import {
  createHandlerRegistry,
  createInProcessQueue,
  listDeadLetters,
  registerBuiltInHandlers,
  runDueJobs,
  storeDeadLetter,
} from '../../runtime/jobs'
import { createRecord } from '../../runtime/records'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { startReceiver } from './channels-fixture'
import { openAlertWorld, type AlertWorld } from './alerts-fixture'

const secret = 'whsec_0123456789abcdef'
const SETTING = 'TRELLIS_WEBHOOK_ALLOW_PRIVATE'

// These tests need the setting off, whatever the machine running them has.
const before = process.env[SETTING]
beforeAll(() => {
  delete process.env[SETTING]
})
afterAll(() => {
  if (before !== undefined) process.env[SETTING] = before
})

let receiver: Awaited<ReturnType<typeof startReceiver>>
beforeAll(async () => {
  receiver = await startReceiver()
})
afterAll(() => receiver.close())

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 10_000
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Runs `fn` and answers the error it threw. */
async function failure(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn()
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a failure')
}

describe('webhooks and chat bots refuse private receivers unless the setting allows them', () => {
  it('refuses a loopback literal and a name that resolves to loopback, before connecting', async () => {
    const port = new URL(receiver.url).port
    const sent = receiver.received.length
    for (const url of [`http://127.0.0.1:${port}/h`, `http://localhost:${port}/h`]) {
      const err = await failure(() => sendWebhook({ url, secret, event: 'alert.x', body: {} }))
      expect(err).toBeInstanceOf(DeliveryError)
      expect(err.message).toMatch(/refused: .* private, loopback or link-local address/)
      expect(err.message).toContain(`set ${SETTING}=true`)
      expect((err as DeliveryError).retryable).toBe(false)
    }
    const named = await failure(() =>
      sendWebhook({ url: `http://localhost:${port}/h`, secret, event: 'alert.x', body: {} }),
    )
    expect(named.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/)
    const bot = await failure(() =>
      sendChatMessage(
        { provider: 'wecom', url: `${receiver.url}/send?key=k` },
        { title: 't', text: 'x' },
      ),
    )
    expect(bot).toBeInstanceOf(DeliveryError)
    expect(bot.message).toMatch(/^wecom to http:\/\/127\.0\.0\.1:\d+ refused/)
    expect(receiver.received.length).toBe(sent)
  })

  it('refuses link-local (cloud metadata), private networks and mapped IPv6 forms of them', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/h',
      'http://192.168.0.10/h',
      'http://[::ffff:127.0.0.1]/h',
      'http://[fe80::1]/h',
      'http://0.0.0.0/h',
    ]) {
      const err = await failure(() => sendWebhook({ url, secret, event: 'alert.x', body: {} }))
      expect(err.message, url).toMatch(/refused/)
    }
  })

  it('sends to a private receiver when the setting or the option allows it', async () => {
    const sent = receiver.received.length
    await sendWebhook({ url: receiver.url, secret, event: 'alert.x', body: {}, allowPrivate: true })
    process.env[SETTING] = 'true'
    try {
      await sendChatMessage(
        { provider: 'wecom', url: `${receiver.url}/send?key=k` },
        { title: 't', text: 'x' },
      )
    } finally {
      delete process.env[SETTING]
    }
    expect(receiver.received.length).toBe(sent + 2)
  })
})

describe.each(testTargets())('a refused alert webhook on $name', (target) => {
  let w: AlertWorld
  let close: () => Promise<void>
  const at = new Date('2026-03-02T10:00:00Z')
  const alert = (url: string): Alert => ({
    id: 'deal-created-hook',
    label: { en: 'New deal hook' },
    entity: 'deal',
    trigger: { type: 'created' },
    channels: [{ type: 'webhook', url, secretEnv: 'HOOK_SECRET' }],
    template: { en: { title: 'New deal {{record.title}}', body: 'See the record.' } },
  })
  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    const port = new URL(receiver.url).port
    w = await openAlertWorld(opened.db, [alert(`http://localhost:${port}/deals`)], {
      env: { HOOK_SECRET: secret },
    })
  })
  afterAll(() => close?.())

  it('becomes a dead letter that says why, and reaches nobody', async () => {
    const sent = receiver.received.length
    await createRecord(await w.ctx(at), 'deal', { title: 'Acme', owner: w.users.alice.id })
    const queue = createInProcessQueue({
      backoffMs: 5,
      log: silentLogger,
      onDeadLetter: (job) => storeDeadLetter(w.db, job).then(() => {}),
    })
    try {
      await runDueJobs({
        db: w.db,
        queue,
        clock: fixedClock(at),
        log: silentLogger,
        handlers: registerAlertHandlers(registerBuiltInHandlers(createHandlerRegistry()), w.deps),
      })
      // Its retries wait out their backoff after the run returns; the last one files the letter.
      await until(async () => (await listDeadLetters(w.db, {})).length > 0, 'the dead letter')
    } finally {
      await queue.close()
    }
    const letters = await listDeadLetters(w.db, {})
    expect(letters.map((l) => l.name)).toEqual(['alert-delivery'])
    expect(letters[0].error).toMatch(/webhook to http:\/\/localhost:\d+ refused/)
    expect(letters[0].error).toContain(SETTING)
    expect(receiver.received.length).toBe(sent)
  })
})

describe.each(testTargets())('publishing an alert with a private webhook on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())
  const hooked = (url: string) => ({
    id: 'hooked',
    label: { en: 'Hooked' },
    trigger: { type: 'schedule', cron: '0 9 * * 1', timeZone: 'UTC' },
    channels: [
      { type: 'webhook', url: 'https://hooks.example.com/ok', secretEnv: 'HOOK_SECRET' },
      { type: 'webhook', url, secretEnv: 'HOOK_SECRET' },
    ],
    template: { en: { title: 'Weekly', body: 'See the record.' } },
  })
  const put = (url: string) =>
    f.call('PUT', '/api/meta/alerts/hooked', { token: f.adminToken, body: hooked(url) })

  it('answers 400 naming the webhook URL that is a literal private address', async () => {
    for (const url of ['http://127.0.0.1:8080/h', 'http://[::1]/h', 'http://169.254.169.254/x']) {
      const res = await put(url)
      expect(res.status, url).toBe(400)
      const body = (await res.json()) as { error: { details: { path: string; message: string }[] } }
      expect(body.error.details.map((d) => d.path)).toEqual(['channels[1].url'])
      expect(body.error.details[0].message).toContain(SETTING)
    }
  })

  it('accepts it when the setting allows private targets', async () => {
    process.env[SETTING] = 'true'
    try {
      expect((await put('http://127.0.0.1:8080/h')).status).toBe(200)
    } finally {
      delete process.env[SETTING]
    }
    expect((await put('https://hooks.example.com/other')).status).toBe(200)
  })
})
