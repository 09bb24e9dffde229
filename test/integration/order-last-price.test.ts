import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSeedBundle } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { signInSalesReps } from '../support/sales-reps'
import { testTargets } from '../support/databases'

type Json = Record<string, unknown>
type Line = Json & { lastPaidPrice: unknown; lastPaidOrder: unknown }

/*
 * The shipped order module over HTTP: a quote line shows the last price its customer paid for the
 * product (latestFrom, in the writer's read scope), an order's paid counts confirmed payments
 * only (a roll-up filter), and records in a state whose lock says delete: false stay (409).
 */
describe.each(testTargets())('the order module over HTTP on $name', (target) => {
  let fx: AppFixture
  const tokens: Record<'repA' | 'repB', string> = { repA: '', repB: '' }
  const ids: Record<string, string> = {}

  async function send(method: string, path: string, token: string, body?: unknown, v?: number) {
    const headers: Record<string, string> = v === undefined ? {} : { 'if-match': `"${v}"` }
    const res = await fx.call(method, path, { token, body, headers })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json }
  }
  const admin = (method: string, path: string, body?: unknown, v?: number) =>
    send(method, path, fx.adminToken, body, v)
  async function created(entity: string, body: Json, token = fx.adminToken) {
    const res = await send('POST', `/api/data/${entity}`, token, body)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }
  const line = (product: string, amount: number) => ({
    product,
    quantity: 1,
    unitPrice: { amount, currency: 'CNY' },
  })
  const order = (customer: string, orderDate: string, status: string, price: number) =>
    created('salesOrder', { customer, orderDate, status, lines: [line(ids.p1, price)] })

  beforeAll(async () => {
    fx = await openAppFixture(target, { bundle: loadSeedBundle() })
    const reps = await signInSalesReps(fx, ['repA', 'repB'])
    Object.assign(ids, reps.ids)
    Object.assign(tokens, reps.tokens)
    const product = (code: string, price: number) =>
      created('product', { code, name: code, price: { amount: price, currency: 'CNY' } })
    ids.p1 = (await product('P1', 120)).id as string
    ids.p2 = (await product('P2', 70)).id as string
    ids.x = (await created('customer', { name: 'Xenon Ltd', owner: ids.repA })).id as string
    ids.y = (await created('customer', { name: 'Yttrium Co', owner: ids.repB })).id as string
    ids.so1 = (await order(ids.x, '2026-01-10', 'completed', 100)).id as string
    ids.so2 = (await order(ids.x, '2026-03-01', 'confirmed', 90)).id as string
    await order(ids.x, '2026-04-01', 'cancelled', 50)
    await order(ids.x, '2026-05-01', 'draft', 40)
    ids.soY = (await order(ids.y, '2026-06-01', 'completed', 10)).id as string
  })
  afterAll(() => fx?.close())

  const quote = (customer: string, lines: unknown[], token = tokens.repA, owner = ids.repA) =>
    created('quote', { title: 'Q', customer, quoteDate: '2026-07-01', owner, lines }, token)

  it('shows on a new line the price the customer last paid on a sold order, with that order', async () => {
    const q = await quote(ids.x, [line(ids.p1, 95), line(ids.p2, 70)])
    const [p1, p2] = q.lines as Line[]
    // Newest sold order first: the cancelled and the draft order are newer but do not count.
    expect(p1.lastPaidPrice).toEqual({ amount: 90, currency: 'CNY' })
    expect(p1.lastPaidOrder).toBe(ids.so2)
    // Never sold to this customer (the other customer's order does not count).
    expect(p2.lastPaidPrice).toBeNull()
    expect(p2.lastPaidOrder).toBeNull()
  })

  it('takes the value again when the lines are saved, and ignores a value the writer sends', async () => {
    const q = await quote(ids.x, [line(ids.p2, 70)])
    ids.so6 = (await order(ids.x, '2026-06-20', 'shipped', 85)).id as string
    const saved = await send(
      'PATCH',
      `/api/data/quote/${q.id as string}`,
      tokens.repA,
      { lines: [{ ...line(ids.p1, 99), lastPaidPrice: { amount: 1, currency: 'CNY' } }] },
      q.version as number,
    )
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    const [p1] = saved.body.lines as Line[]
    expect(p1.lastPaidPrice).toEqual({ amount: 85, currency: 'CNY' })
    expect(p1.lastPaidOrder).toBe(ids.so6)
    const read = await send('GET', `/api/data/quote/${q.id as string}`, tokens.repA)
    expect((read.body.lines as Line[])[0].lastPaidPrice).toEqual({ amount: 85, currency: 'CNY' })
  })

  it('previews for a draft what a save would fill, in the caller’s read scope, writing nothing', async () => {
    const draft = { customer: ids.x, lines: [line(ids.p1, 1), line(ids.p2, 1), 'junk'] }
    const asRep = await send('POST', '/api/data/quote/preview', tokens.repA, draft)
    expect(asRep.status, JSON.stringify(asRep.body)).toBe(200)
    const lines = asRep.body.lines as (Line | null)[]
    // The shipped order of the test before is the newest sold one now.
    expect(lines[0]!.lastPaidPrice).toEqual({ amount: 85, currency: 'CNY' })
    expect(lines[0]!.lastPaidOrder).toBe(ids.so6)
    expect(lines[1]).toEqual({ lastPaidPrice: null, lastPaidOrder: null })
    expect(lines[2]).toBeNull()
    // repB may not read customer X's orders: nothing to preview for them.
    const asOther = await send('POST', '/api/data/quote/preview', tokens.repB, draft)
    expect((asOther.body.lines as Line[])[0].lastPaidPrice).toBeNull()
    expect((await send('POST', '/api/data/quoteLine/preview', tokens.repA, {})).status).toBe(400)
    expect((await send('POST', '/api/data/quote/preview', tokens.repA, [1])).status).toBe(400)
  })

  it('answers a malformed product or customer with a 422 naming it, not a failed search', async () => {
    const res = await send('POST', '/api/data/quote', tokens.repA, {
      title: 'Q',
      customer: 'nobody',
      quoteDate: '2026-07-01',
      lines: [{ ...line(ids.p1, 1), product: 'P-1' }],
    })
    expect(res.status).toBe(422)
    const paths = ((res.body.error as Json).details as { path: string }[]).map((d) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['customer', 'lines[0].product']))
  })

  it('searches in the writer’s read scope: a rep does not learn prices of orders they may not read', async () => {
    // The admin hands repA a quote of repB's customer: repA may edit it but not read Y's orders.
    const q = await quote(ids.y, [line(ids.p1, 20)], fx.adminToken, ids.repA)
    expect((q.lines as Line[])[0].lastPaidPrice).toEqual({ amount: 10, currency: 'CNY' })
    const byRep = await send(
      'PATCH',
      `/api/data/quote/${q.id as string}`,
      tokens.repA,
      { lines: [line(ids.p1, 21)] },
      q.version as number,
    )
    expect(byRep.status, JSON.stringify(byRep.body)).toBe(200)
    expect((byRep.body.lines as Line[])[0].lastPaidPrice).toBeNull()
    expect((byRep.body.lines as Line[])[0].lastPaidOrder).toBeNull()
    expect((await send('GET', `/api/data/salesOrder/${ids.soY}`, tokens.repA)).status).toBe(404)
  })

  it('counts only confirmed payments in the order’s paid, and its outstanding', async () => {
    const so = await created('salesOrder', {
      customer: ids.x,
      orderDate: '2026-07-02',
      lines: [line(ids.p1, 100)],
    })
    const pay = async (amount: number) =>
      created('payment', {
        customer: ids.x,
        salesOrder: so.id,
        amount: { amount, currency: 'CNY' },
      })
    const first = await pay(30)
    await pay(45)
    const path = `/api/data/salesOrder/${so.id as string}`
    expect((await admin('GET', path)).body.paid).toBe(0)
    const fired = await admin(
      'POST',
      `/api/data/payment/${first.id as string}/transitions/confirm`,
      {
        version: first.version,
      },
    )
    expect(fired.status, JSON.stringify(fired.body)).toBe(200)
    const after = (await admin('GET', path)).body
    expect(after.paid).toBe(30)
    expect(after.outstanding).toBe(Number(after.total) - 30)
  })

  it('refuses to delete a converted or accepted quote and a completed order, naming the state', async () => {
    for (const [entity, status] of [
      ['quote', 'converted'],
      ['quote', 'accepted'],
      ['salesOrder', 'completed'],
    ]) {
      const body =
        entity === 'quote'
          ? { title: 'Done deal', customer: ids.x, quoteDate: '2026-07-01', status }
          : { customer: ids.x, orderDate: '2026-07-01', status }
      const record = await created(entity, body)
      const can = await admin('GET', `/api/data/${entity}/${record.id as string}?can=true`)
      // The workspace offers no Delete for it.
      expect((can.body.can as Json).delete).toBe(false)
      expect((can.body.can as Json).update).toBe(true)
      // A stale version is told as such first: the lock is judged on the version the caller saw.
      const stale = await admin(
        'DELETE',
        `/api/data/${entity}/${record.id as string}`,
        undefined,
        7,
      )
      expect(stale.status).toBe(409)
      expect((stale.body.error as Json).code).not.toBe('STATE_LOCKED')
      const res = await admin('DELETE', `/api/data/${entity}/${record.id as string}`, undefined, 1)
      expect(res.status).toBe(409)
      const error = res.body.error as Json
      expect(error.code).toBe('STATE_LOCKED')
      expect(error.state).toBe(status)
      // Named by its label, not its id ('converted').
      expect(error.message).toContain('cannot be deleted')
      expect(error.message).not.toContain(`'${status}'`)
      expect((await admin('GET', `/api/data/${entity}/${record.id as string}`)).status).toBe(200)
    }
  })

  it('still deletes a draft quote and a cancelled order', async () => {
    const draft = await quote(ids.x, [])
    const can = await send('GET', `/api/data/quote/${draft.id as string}?can=true`, tokens.repA)
    expect((can.body.can as Json).delete).toBe(true)
    const res = await send(
      'DELETE',
      `/api/data/quote/${draft.id as string}`,
      tokens.repA,
      undefined,
      1,
    )
    expect(res.status).toBe(204)
    const cancelled = await created('salesOrder', {
      customer: ids.x,
      orderDate: '2026-07-01',
      status: 'cancelled',
    })
    expect(
      (await admin('DELETE', `/api/data/salesOrder/${cancelled.id as string}`, undefined, 1))
        .status,
    ).toBe(204)
  })
})
