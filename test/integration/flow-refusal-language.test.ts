import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSeedBundle } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { signInSalesReps } from '../support/sales-reps'
import { testTargets } from '../support/databases'

type Json = Record<string, unknown>
type ErrorBody = { code: string; message: string; details: { path: string; message: string }[] }

/*
 * A flow's refusals of a record write read in the caller's language (x-trellis-locale, as the
 * workspace sends it) and name the flow, its states and the entity by their labels, never by
 * their ids: the shipped quote approval over HTTP.
 */
describe.each(testTargets())('flow refusals in the caller language on $name', (target) => {
  let fx: AppFixture
  let rep = ''
  let customer = ''

  async function send(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; locale?: string; version?: number } = {},
  ) {
    const headers: Record<string, string> = {}
    if (opts.locale) headers['x-trellis-locale'] = opts.locale
    if (opts.version !== undefined) headers['if-match'] = `"${opts.version}"`
    const res = await fx.call(method, path, {
      token: opts.token ?? fx.adminToken,
      body: opts.body,
      headers,
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json }
  }
  const errorOf = (body: Json) => body.error as ErrorBody
  const allText = (e: ErrorBody) => [e.message, ...e.details.map((d) => d.message)].join(' | ')

  beforeAll(async () => {
    fx = await openAppFixture(target, { bundle: loadSeedBundle() })
    const reps = await signInSalesReps(fx, ['repA'])
    rep = reps.tokens.repA
    const made = await send('POST', '/api/data/customer', {
      body: { name: 'Xenon Ltd', owner: reps.ids.repA },
    })
    customer = made.body.id as string
  })
  afterAll(() => fx?.close())

  const quote = { title: 'Q', quoteDate: '2026-07-01', status: 'converted' }

  it('words a new record in another state by the labels of the state and the flow', async () => {
    const cases: [string, string[]][] = [
      ['en', ['Draft', 'Quote approval', 'quote']],
      ['zh-CN', ['草稿', '报价审批', '报价']],
      ['ko', ['작성 중', '견적 승인']],
    ]
    for (const [locale, words] of cases) {
      const res = await send('POST', '/api/data/quote', {
        token: rep,
        locale,
        body: { ...quote, customer },
      })
      expect(res.status).toBe(422)
      const error = errorOf(res.body)
      expect(error.details.map((d) => d.path)).toEqual(['status'])
      const text = allText(error)
      for (const word of words) expect(text, locale).toContain(word)
      // Neither the flow's id nor the state's id, nor English in another language.
      expect(text).not.toMatch(/quoteApproval|'draft'/)
      if (locale !== 'en') expect(text).not.toMatch(/initial|transitions|left out/)
    }
  })

  it('words a state lock, a delete lock and a running approval in the caller language', async () => {
    const made = await send('POST', '/api/data/quote', { body: { ...quote, customer } })
    const id = made.body.id as string
    const locked = await send('PATCH', `/api/data/quote/${id}`, {
      locale: 'zh-CN',
      version: 1,
      body: { title: 'Q2' },
    })
    expect(locked.status).toBe(403)
    expect(allText(errorOf(locked.body))).toContain('已转订单')
    expect(allText(errorOf(locked.body))).not.toContain('converted')

    const deleted = await send('DELETE', `/api/data/quote/${id}`, { locale: 'ko', version: 1 })
    expect(deleted.status).toBe(409)
    expect(errorOf(deleted.body).code).toBe('STATE_LOCKED')
    expect(deleted.body.error).toMatchObject({ state: 'converted' })
    expect(allText(errorOf(deleted.body))).not.toMatch(/converted|cannot/)

    const draft = await send('POST', '/api/data/quote', {
      body: { title: 'Big discount', quoteDate: '2026-07-01', customer, discount: 20 },
    })
    const draftId = draft.body.id as string
    const submitted = await send('POST', `/api/data/quote/${draftId}/transitions/submit`, {
      body: { version: 1 },
    })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
    const running = await send('DELETE', `/api/data/quote/${draftId}`, {
      locale: 'zh-CN',
      version: Number((submitted.body.record as Json | undefined)?.version ?? 2),
    })
    expect(running.status).toBe(409)
    expect(errorOf(running.body).code).toBe('APPROVAL_RUNNING')
    expect(errorOf(running.body).message).toContain('撤回')
    expect(errorOf(running.body).message).not.toMatch(/[a-z]{4}/)
  })
})
