import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSeedBundle } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

type Json = Record<string, unknown>

/*
 * Two leave requests of one person have one title ("Annual leave"): the inbox answers each
 * with its subtitle fields (the dates the shipped entity names), so they read apart.
 */
describe.each(testTargets())('inbox subtitles on $name', (target) => {
  let fx: AppFixture

  async function send(method: string, path: string, body?: unknown) {
    const res = await fx.call(method, path, { token: fx.adminToken, body })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json }
  }
  async function submitted(entity: string, body: Json) {
    const made = await send('POST', `/api/data/${entity}`, body)
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const id = made.body.id as string
    const fired = await send('POST', `/api/data/${entity}/${id}/transitions/submit`, {
      version: made.body.version,
    })
    expect(fired.status, JSON.stringify(fired.body)).toBe(200)
    return id
  }

  beforeAll(async () => {
    fx = await openAppFixture(target, { bundle: loadSeedBundle() })
  })
  afterAll(() => fx?.close())

  it('tells two requests with one title apart by their subtitle fields', async () => {
    const leave = { leaveType: 'annual', reason: 'Family' }
    const first = await submitted('leaveRequest', {
      ...leave,
      startDate: '2026-07-06',
      endDate: '2026-07-07',
    })
    const second = await submitted('leaveRequest', {
      ...leave,
      startDate: '2026-08-10',
      endDate: '2026-08-14',
    })
    const claim = await submitted('expenseClaim', {
      title: 'Taxi',
      category: 'travel',
      amount: { amount: 88.5, currency: 'CNY' },
      incurredOn: '2026-07-01',
    })
    // No manager: the approvals fall to the administrator, whose pending box lists them.
    const inbox = await send('GET', '/api/inbox?box=pending')
    expect(inbox.status, JSON.stringify(inbox.body)).toBe(200)
    const items = inbox.body.items as Json[]
    const of = (id: string) => items.find((i) => i.recordId === id)!
    expect(of(first).title).toBe(of(second).title)
    expect(of(first).subtitle).toMatchObject({ startDate: '2026-07-06', endDate: '2026-07-07' })
    expect(of(second).subtitle).toMatchObject({ startDate: '2026-08-10', endDate: '2026-08-14' })
    expect(of(claim).subtitle).toEqual({
      number: expect.stringMatching(/\S/),
      incurredOn: '2026-07-01',
    })
  })
})
