import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import { updateOrgUser } from '../../runtime/org'
import { loadPublishedMetadata } from '../../runtime/registry'
import { loadSeedBundle } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { signInSalesReps } from '../support/sales-reps'
import { testTargets } from '../support/databases'

type Json = Record<string, unknown>
type ErrorBody = { code: string; message: string; details: { path: string; message: string }[] }

/*
 * The engine's own refusals (a guard that does not hold, a missing required input, a rejection
 * without a comment, a task action by someone else, the shape of a fire or bulk request) read
 * in the caller's saved language and name the transition, the step and the field by their
 * labels, never their ids; `details[].path` stays the machine name the form puts the message
 * beside. The shipped modules over HTTP.
 */
describe.each(testTargets())('flow engine refusals in the caller language on $name', (target) => {
  let fx: AppFixture
  type Person = { id: string; token: string }
  type Lang = 'zh-CN' | 'ko'
  // A rep and a manager in each language; a quote one rep submits waits for the other language's
  // manager, so each language has a caller who is not the assignee and one who is.
  const users = {} as Record<Lang, Person>
  const bosses = {} as Record<Lang, Person>
  const other = (lang: Lang): Lang => (lang === 'ko' ? 'zh-CN' : 'ko')
  const customers: Record<string, string> = {}
  let engineer = ''

  async function send(method: string, path: string, token: string, body?: unknown) {
    const res = await fx.call(method, path, { token, body })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json }
  }
  const errorOf = (body: Json) => body.error as ErrorBody
  const allText = (e: ErrorBody) => [e.message, ...e.details.map((d) => d.message)].join(' | ')
  // English words of the old refusals; none may reach a zh-CN or ko caller.
  const ENGLISH = /required|transition|condition|cannot|assigned|comment|step|not yours/i

  beforeAll(async () => {
    fx = await openAppFixture(target, { bundle: loadSeedBundle() })
    const names = ['repA', 'repZh', 'repKo', 'bossZh', 'bossKo']
    const reps = await signInSalesReps(fx, names)
    const person = (name: string) => ({ id: reps.ids[name], token: reps.tokens[name] })
    engineer = reps.ids.repA
    Object.assign(users, { 'zh-CN': person('repZh'), ko: person('repKo') })
    Object.assign(bosses, { 'zh-CN': person('bossZh'), ko: person('bossKo') })
    const ctx = {
      db: fx.db,
      user: SYSTEM_USER,
      clock: fixedClock(new Date()),
      log: silentLogger,
      meta: await loadPublishedMetadata(fx.db),
    }
    const roles = ['salesRep', 'serviceManager']
    for (const lang of ['zh-CN', 'ko'] as const) {
      await updateOrgUser(ctx, bosses[lang].id, { locale: lang })
      const managerId = bosses[other(lang)].id
      await updateOrgUser(ctx, users[lang].id, { locale: lang, roles, managerId })
      const made = await send('POST', '/api/data/customer', fx.adminToken, {
        name: `Customer ${lang}`,
        owner: users[lang].id,
      })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      customers[lang] = made.body.id as string
    }
  })
  afterAll(() => fx?.close())

  const cases: [Lang, Record<string, string>][] = [
    ['zh-CN', { lose: '输单', lostReason: '输单原因', confirm: '确认接单', manager: '销售经理' }],
    ['ko', { lose: '실주', lostReason: '실주 사유', confirm: '일정 확인', manager: '영업 관리자' }],
  ]

  async function openDeal(lang: Lang) {
    const { token, id: owner } = users[lang]
    const made = await send('POST', '/api/data/opportunity', token, {
      name: 'Big deal',
      customer: customers[lang],
      owner,
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    return made.body
  }

  it.each(cases)('names a missing required input by its label for a %s caller', async (lang, l) => {
    const deal = await openDeal(lang)
    const lost = await send(
      'POST',
      `/api/data/opportunity/${deal.id}/transitions/lose`,
      users[lang].token,
      { version: deal.version, inputs: { competitor: 'Rival' } },
    )
    expect(lost.status).toBe(422)
    const error = errorOf(lost.body)
    expect(error.details.map((d) => d.path)).toEqual(['inputs.lostReason'])
    expect(error.message).toContain(l.lose)
    expect(error.details[0].message).toContain(l.lostReason)
    expect(allText(error)).not.toMatch(/lostReason|'lose'/)
    expect(allText(error)).not.toMatch(ENGLISH)
  })

  it.each(cases)(
    'names a transition whose guard fails by its label for a %s caller',
    async (lang, l) => {
      const ticket = await send('POST', '/api/data/ticket', fx.adminToken, {
        subject: 'Printer jams',
        customer: customers[lang],
        priority: 'normal',
        reportedAt: '2026-07-01T09:00:00.000Z',
      })
      expect(ticket.status, JSON.stringify(ticket.body)).toBe(201)
      const dispatch = await send('POST', '/api/data/dispatch', fx.adminToken, {
        ticket: ticket.body.id,
        status: 'dispatched',
        engineer,
        scheduledAt: '2026-07-02T09:00:00.000Z',
      })
      expect(dispatch.status, JSON.stringify(dispatch.body)).toBe(201)
      // The guard: only the dispatched engineer confirms; the caller manages, but is not them.
      const path = `/api/data/dispatch/${dispatch.body.id}/transitions/confirm`
      const res = await send('POST', path, users[lang].token, { version: dispatch.body.version })
      expect(res.status, JSON.stringify(res.body)).toBe(403)
      const error = errorOf(res.body)
      expect(error.message).toContain(l.confirm)
      expect(error.message).not.toMatch(/confirm/i)
      expect(error.message).not.toMatch(ENGLISH)
    },
  )

  async function quoteWaitingFor(submitter: Lang) {
    const { token } = users[submitter]
    const made = await send('POST', '/api/data/quote', token, {
      title: 'Big discount',
      quoteDate: '2026-07-01',
      customer: customers[submitter],
      discount: 20,
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const id = made.body.id as string
    const submitted = await send('POST', `/api/data/quote/${id}/transitions/submit`, token, {
      version: made.body.version,
    })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
    const approver = bosses[other(submitter)]
    const inbox = await send('GET', '/api/inbox?box=pending&limit=100', approver.token)
    const items = (inbox.body.items ?? inbox.body.data) as { recordId: string; taskId: string }[]
    const task = items.find((i) => i.recordId === id)?.taskId
    expect(task, JSON.stringify(inbox.body)).toBeTruthy()
    return String(task)
  }

  it.each(cases)('words a rejection without a comment for a %s approver', async (lang, l) => {
    const task = await quoteWaitingFor(other(lang))
    const res = await send('POST', `/api/tasks/${task}/reject`, bosses[lang].token, {
      comment: ' ',
    })
    expect(res.status, JSON.stringify(res.body)).toBe(422)
    const error = errorOf(res.body)
    expect(error.details.map((d) => d.path)).toEqual(['comment'])
    expect(error.message).toContain(l.manager)
    expect(allText(error)).not.toMatch(/manager/)
    expect(allText(error)).not.toMatch(ENGLISH)
  })

  it.each(cases)('words a bulk rejection without a comment for a %s approver', async (lang) => {
    const task = await quoteWaitingFor(other(lang))
    const res = await send('POST', '/api/tasks/bulk', bosses[lang].token, {
      action: 'reject',
      tasks: [task],
    })
    expect(res.status, JSON.stringify(res.body)).toBe(422)
    const error = errorOf(res.body)
    expect(error.details.map((d) => d.path)).toEqual(['comment'])
    expect(allText(error)).not.toMatch(ENGLISH)
    // Refused before any task is looked at: the task still waits for a decision.
    const inbox = await send('GET', '/api/inbox?box=pending&limit=100', bosses[lang].token)
    const items = (inbox.body.items ?? inbox.body.data) as { taskId: string }[]
    expect(items.map((i) => i.taskId)).toContain(task)
  })

  it.each(cases)('words inputs that are not an object for a %s caller', async (lang, l) => {
    const deal = await openDeal(lang)
    const path = `/api/data/opportunity/${deal.id}/transitions/lose`
    const res = await send('POST', path, users[lang].token, { version: deal.version, inputs: [] })
    expect(res.status, JSON.stringify(res.body)).toBe(422)
    const error = errorOf(res.body)
    expect(error.details.map((d) => d.path)).toEqual(['inputs'])
    expect(error.message).toContain(l.lose)
    expect(allText(error)).not.toMatch(/object|'lose'/)
    expect(allText(error)).not.toMatch(ENGLISH)
  })

  it.each(cases)('words a transition sent without a version for a %s caller', async (lang, l) => {
    const deal = await openDeal(lang)
    const path = `/api/data/opportunity/${deal.id}/transitions/lose`
    const res = await send('POST', path, users[lang].token, { inputs: { lostReason: 'Price' } })
    expect(res.status, JSON.stringify(res.body)).toBe(422)
    const error = errorOf(res.body)
    expect(error.details.map((d) => d.path)).toEqual(['version'])
    expect(error.message).toContain(l.lose)
    expect(allText(error)).not.toMatch(/record version|'lose'/)
    expect(allText(error)).not.toMatch(ENGLISH)
  })

  it.each(cases)('words a task action by someone else for a %s caller', async (lang, l) => {
    // The caller submitted the quote; the task is the other language's manager's.
    const task = await quoteWaitingFor(lang)
    const res = await send('POST', `/api/tasks/${task}/approve`, users[lang].token, {})
    expect(res.status, JSON.stringify(res.body)).toBe(403)
    const error = errorOf(res.body)
    expect(error.message).toContain(l.manager)
    expect(allText(error)).not.toMatch(/manager/)
    expect(allText(error)).not.toMatch(ENGLISH)
  })
})
