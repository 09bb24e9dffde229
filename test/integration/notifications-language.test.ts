import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import { fixedClock } from '../../runtime/clock'
import { notify } from '../../runtime/notifications'
import { createRecord } from '../../runtime/records'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { testTargets } from '../support/databases'
import { openAlertWorld, type AlertWorld } from './alerts-fixture'

const dealCreated: Alert = {
  id: 'deal-created',
  label: { en: 'New deal' },
  entity: 'deal',
  trigger: { type: 'created' },
  recipients: [{ type: 'owner' }],
  channels: [{ type: 'inApp' }],
  template: {
    en: {
      title: 'New deal {{record.title}}',
      body: 'Stage {{record.stage}}, margin {{record.margin}}',
    },
    'zh-CN': {
      title: '新商机 {{record.title}}',
      body: '阶段 {{record.stage}}，利润 {{record.margin}}',
    },
    ko: {
      title: '새 거래 {{record.title}}',
      body: '단계 {{record.stage}}, 마진 {{record.margin}}',
    },
  },
}

interface Page {
  data: { title: string; body: string | null; alert: string | null }[]
}

describe.each(testTargets())('alert notifications in the reader’s language on $name', (target) => {
  let w: AlertWorld
  let close: () => Promise<void>
  let call: (method: string, path: string, body?: unknown) => Promise<Response>
  const at = new Date('2026-03-02T10:00:00Z')

  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    w = await openAlertWorld(opened.db, [dealCreated])
    const app = buildApp({
      db: w.db,
      clock: fixedClock(at),
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(w.db),
    })
    const send = (method: string, path: string, body?: unknown, token?: string) =>
      Promise.resolve(
        app.request(path, {
          method,
          headers: {
            'content-type': 'application/json',
            ...(token && { authorization: `Bearer ${token}` }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      )
    const login = await send('POST', '/api/auth/login', {
      username: 'alice',
      password: 'alice-password-1',
    })
    const { token } = (await login.json()) as { token: string }
    call = (method, path, body) => send(method, path, body, token)
  })
  afterAll(() => close?.())

  const titles = async () => {
    const res = await call('GET', '/api/notifications')
    expect(res.status).toBe(200)
    return ((await res.json()) as Page).data
  }
  const switchTo = async (locale: string) =>
    expect((await call('PATCH', '/api/auth/me', { locale })).status).toBe(200)

  it('shows an alert notification in the language the reader has switched to since', async () => {
    // Made by the system with a margin alice, a rep, may not read: no language of hers shows it.
    await createRecord(await w.ctx(at), 'deal', {
      title: 'Acme',
      owner: w.users.alice.id,
      stage: 'new',
      margin: '30%',
    })
    await w.run(at)
    // Sent in alice's language of the time, zh-CN.
    expect(await titles()).toEqual([
      expect.objectContaining({
        title: '新商机 Acme',
        body: '阶段 new，利润 ',
        alert: 'deal-created',
      }),
    ])
    await switchTo('ko')
    expect((await titles())[0]).toMatchObject({ title: '새 거래 Acme', body: '단계 new, 마진 ' })
    await switchTo('en')
    expect((await titles())[0]).toMatchObject({
      title: 'New deal Acme',
      body: 'Stage new, margin ',
    })
  })

  it('keeps a notification stored before texts were kept readable, as it was sent', async () => {
    await notify(w.db, {
      userId: w.users.alice.id,
      alert: 'deal-created',
      title: '新商机 Old',
      body: '阶段 new',
      key: 'before-texts',
      createdAt: new Date('2026-03-02T11:00:00Z'),
    })
    await switchTo('ko')
    const [old, sent] = await titles()
    expect(old).toMatchObject({ title: '新商机 Old', body: '阶段 new' })
    expect(sent.title).toBe('새 거래 Acme')
  })
})
