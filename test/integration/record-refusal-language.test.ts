import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSeedBundle } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { signInSalesReps } from '../support/sales-reps'
import { testTargets } from '../support/databases'

type Json = Record<string, unknown>
type ErrorBody = { code: string; message: string; details: { path: string; message: string }[] }

/*
 * A record write's version refusals (none sent, a stale one) and the 404 of an entity the
 * metadata does not have read in the caller's saved language, naming the entity by its label;
 * `details[].path` stays the machine name the client sent. The shipped modules over HTTP.
 */
describe.each(testTargets())('record refusals in the caller language on $name', (target) => {
  let fx: AppFixture
  type Lang = 'en' | 'zh-CN' | 'ko'
  const tokens = {} as Record<Lang, string>
  const owners = {} as Record<Lang, string>

  /** One request as `token`; `version` goes as If-Match, as the workspace sends it. */
  async function send(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    version?: number,
  ) {
    const ifMatch = version === undefined ? undefined : { 'if-match': `"${version}"` }
    const res = await fx.call(method, path, { token, body, headers: ifMatch })
    return { status: res.status, body: (await res.json()) as Json }
  }
  /** A refusal's error, with all its words in one line (the message, then each detail's). */
  function refusal(body: Json) {
    const error = body.error as ErrorBody
    const words = [error.message, ...error.details.map((d) => d.message)].join(' | ')
    return { ...error, paths: error.details.map((d) => d.path), words }
  }

  beforeAll(async () => {
    fx = await openAppFixture(target, { bundle: loadSeedBundle() })
    const names: Record<Lang, string> = { en: 'repEn', 'zh-CN': 'repZh', ko: 'repKo' }
    const reps = await signInSalesReps(fx, Object.values(names))
    for (const [lang, name] of Object.entries(names) as [Lang, string][]) {
      tokens[lang] = reps.tokens[name]
      owners[lang] = reps.ids[name]
      // Each saves their language as the workspace's switcher does.
      const saved = await send('PATCH', '/api/auth/me', tokens[lang], { locale: lang })
      expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    }
  })
  afterAll(() => fx?.close())

  // The contact's label in each language, and what the text must (not) hold.
  const cases: [Lang, string, RegExp][] = [
    ['zh-CN', '联系人', /^[^A-Za-z]*$/],
    ['ko', '연락처', /^[^A-Za-z]*$/],
    ['en', 'contact', /changed by someone else/],
  ]

  let made = 0
  /** A contact of the caller's own customer, edited once by them: at version 2. */
  async function editedContact(lang: Lang) {
    made += 1
    const customer = await send('POST', '/api/data/customer', fx.adminToken, {
      name: `Versioned ${lang} ${made}`,
      owner: owners[lang],
    })
    expect(customer.status, JSON.stringify(customer.body)).toBe(201)
    const contact = await send('POST', '/api/data/contact', tokens[lang], {
      name: 'Kim',
      customer: customer.body.id,
    })
    expect(contact.status, JSON.stringify(contact.body)).toBe(201)
    const id = contact.body.id as string
    const path = `/api/data/contact/${id}`
    const edited = await send('PATCH', path, tokens[lang], { jobTitle: 'Buyer' }, 1)
    expect(edited.status, JSON.stringify(edited.body)).toBe(200)
    return id
  }

  it.each(cases)('refuses a stale version with 409 for a %s caller', async (lang, label, words) => {
    const id = await editedContact(lang)
    for (const res of [
      await send('PATCH', `/api/data/contact/${id}`, tokens[lang], { jobTitle: 'Owner' }, 1),
      await send('DELETE', `/api/data/contact/${id}`, tokens[lang], undefined, 1),
    ]) {
      expect(res.status, JSON.stringify(res.body)).toBe(409)
      const error = refusal(res.body)
      expect(error.paths).toEqual(['version'])
      expect(res.body.error).toMatchObject({ currentVersion: 2 })
      expect(error.message).toContain(label)
      expect(error.details[0].message).toContain('2')
      expect(error.words).toMatch(words)
    }
  })

  it.each(cases)('refuses a write without a version with 422 for a %s caller', async (lang) => {
    const id = await editedContact(lang)
    const res = await send('PATCH', `/api/data/contact/${id}`, tokens[lang], { jobTitle: 'Owner' })
    expect(res.status, JSON.stringify(res.body)).toBe(422)
    const error = refusal(res.body)
    expect(error.paths).toEqual(['version'])
    const text = error.words.replace(/If-Match|version/g, '')
    if (lang === 'en') expect(text).toMatch(/required/)
    else expect(text).not.toMatch(/[A-Za-z]/)
  })

  it.each(cases)('answers an unknown entity with 404 for a %s caller', async (lang) => {
    const byRoute = [
      ['GET', '/api/data/offer'],
      ['GET', `/api/data/offer/${owners[lang]}/transitions`],
      ['POST', '/api/data/offer/bulk/share'],
    ]
    for (const [method, path] of byRoute) {
      const body = method === 'POST' ? { ids: [owners[lang]], userId: owners.en } : undefined
      const res = await send(method, path, tokens[lang], body)
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(404)
      const error = refusal(res.body)
      expect(error.paths).toEqual(['entity'])
      const text = error.words
      // The name the caller sent, quoted; the rest in the caller's words.
      expect(error.message).toContain('offer')
      if (lang === 'en') expect(text).toMatch(/Unknown entity 'offer'/)
      else expect(text.replaceAll('offer', '')).not.toMatch(/[A-Za-z]/)
    }
  })
})
