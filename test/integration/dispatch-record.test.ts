import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSeedBundle } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

type Json = Record<string, unknown>

/*
 * The shipped dispatch over HTTP: it is numbered (its title, never a raw id), takes the ticket's
 * customer, and a comment typed on a transition stays in its history with who and when.
 */
describe.each(testTargets())('a dispatch of the service module on $name', (target) => {
  let fx: AppFixture
  const ids: Record<string, string> = {}

  async function send(method: string, path: string, body?: unknown) {
    const res = await fx.call(method, path, { token: fx.adminToken, body })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json }
  }
  async function created(entity: string, body: Json) {
    const res = await send('POST', `/api/data/${entity}`, body)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }

  beforeAll(async () => {
    fx = await openAppFixture(target, { bundle: loadSeedBundle() })
    ids.customer = (await created('customer', { name: 'Lakeside Finance' })).id as string
    const ticket = await created('ticket', {
      subject: 'Printer jams every morning',
      customer: ids.customer,
    })
    ids.ticket = ticket.id as string
  })
  afterAll(() => fx?.close())

  it('is numbered as its title and takes the customer of its ticket', async () => {
    const dispatch = await created('dispatch', { ticket: ids.ticket })
    expect(dispatch.number).toMatch(/^DP-\d{4}-\d{5}$/)
    expect(dispatch.customer).toBe(ids.customer)
    const entity = await send('GET', '/api/meta/entities/dispatch')
    expect(entity.body.titleField).toBe('number')
  })

  it('keeps a transition comment in the history with who and when', async () => {
    const dispatch = await created('dispatch', { ticket: ids.ticket })
    const id = dispatch.id as string
    const me = (await send('GET', '/api/auth/me')).body
    const userId = ((me.user as Json | undefined)?.id ?? me.id) as string
    const fired = await send('POST', `/api/data/dispatch/${id}/transitions/dispatch`, {
      version: 1,
      comment: 'Bring a spare fuser',
      inputs: { engineer: userId, scheduledAt: '2026-12-08T09:00:00Z' },
    })
    expect(fired.status, JSON.stringify(fired.body)).toBe(200)
    // No comment, no note.
    const confirmed = await send('POST', `/api/data/dispatch/${id}/transitions/confirm`, {
      version: 2,
    })
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200)
    const history = await send('GET', `/api/data/dispatch/${id}/history`)
    const entries = history.body.data as Json[]
    const notes = entries.filter((e) => e.action === 'transition')
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatchObject({
      userId,
      version: 2,
      changes: {
        $transition: { before: null, after: 'dispatch' },
        $comment: { before: null, after: 'Bring a spare fuser' },
      },
    })
    expect(Date.parse(notes[0].at as string)).not.toBeNaN()
    // The state's move is still the update's own entry.
    const moved = entries.find((e) => e.action === 'updated' && e.version === 2) as Json
    expect((moved.changes as Json).status).toEqual({ before: 'notDispatched', after: 'dispatched' })
  })
})
