import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSeedBundle } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { signInSalesReps } from '../support/sales-reps'
import { testTargets } from '../support/databases'

type Json = Record<string, unknown>
type ErrorBody = { code: string; message: string; details: { path: string; message: string }[] }

/*
 * A record write's version refusals (none sent, a stale one, a malformed or disagreeing one),
 * the 404s of an entity the metadata does not have and of a record that is not there, and the
 * 403s of a right the caller lacks read in the caller's saved language, naming the entity by its
 * label; `details[].path` stays the machine name the client sent. The shipped modules over HTTP.
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
    version?: number | string,
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
  /** A customer the caller owns. */
  async function ownCustomer(lang: Lang) {
    made += 1
    const customer = await send('POST', '/api/data/customer', fx.adminToken, {
      name: `Versioned ${lang} ${made}`,
      owner: owners[lang],
    })
    expect(customer.status, JSON.stringify(customer.body)).toBe(201)
    return customer.body.id as string
  }
  /** A contact of the caller's own customer, edited once by them: at version 2. */
  async function editedContact(lang: Lang) {
    const customer = await ownCustomer(lang)
    const contact = await send('POST', '/api/data/contact', tokens[lang], { name: 'Kim', customer })
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
    const some = owners[lang]
    const byRoute: [string, string, Json?][] = [
      ['GET', '/api/data/offer'],
      ['GET', `/api/data/offer/${some}/transitions`],
      ['POST', '/api/data/offer/bulk/share', { ids: [some], userId: owners.en }],
      ['POST', '/api/data/offer/duplicates', { values: { name: 'Kim' } }],
      ['DELETE', `/api/data/offer/${some}/shares/${some}`],
      ['POST', `/api/data/offer/${some}/release`, { pool: 'open', reason: 'moved' }],
    ]
    for (const [method, path, body] of byRoute) {
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

  const customerLabel: Record<Lang, string> = { en: 'customer', 'zh-CN': '客户', ko: '고객' }
  const campaignLabel: Record<Lang, string> = { en: 'campaign', 'zh-CN': '市场活动', ko: '캠페인' }
  const MISSING = '00000000-0000-4000-8000-000000000000'
  /** English for an en caller; else no Latin letters once ids and the names sent are taken out. */
  function expectWords(lang: Lang, words: string, english: RegExp) {
    if (lang === 'en') expect(words).toMatch(english)
    const bare = words.replace(
      /[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|If-Match|version|nope/g,
      '',
    )
    if (lang !== 'en') expect(bare, words).not.toMatch(/[A-Za-z]/)
  }

  /** A refusal with `status` at `at`, naming the entity as `named`, in the caller's words. */
  function expectRefusal(
    lang: Lang,
    res: { status: number; body: Json },
    want: { status: number; at: string; named: string; english: RegExp },
  ) {
    expect(res.status, JSON.stringify(res.body)).toBe(want.status)
    const error = refusal(res.body)
    expect(error.paths).toEqual([want.at])
    expect(error.message).toContain(want.named)
    expectWords(lang, error.words, want.english)
  }

  it.each(cases)(
    'refuses a malformed or disagreeing version with 400 for a %s caller',
    async (lang, label) => {
      const path = `/api/data/contact/${await editedContact(lang)}`
      const malformed = await send('PATCH', path, tokens[lang], { jobTitle: 'Owner' }, 'two')
      const disagreeing = await send(
        'PATCH',
        path,
        tokens[lang],
        { jobTitle: 'Owner', version: 3 },
        2,
      )
      for (const [res, at, english] of [
        [malformed, 'If-Match', /^If-Match must be a version of the contact such as "3" \| not an/],
        [disagreeing, 'version', /of this contact disagree \| body says 3, If-Match says 2$/],
      ] as const) {
        expectRefusal(lang, res, { status: 400, at, named: label, english })
      }
    },
  )

  it.each(cases)(
    'answers a record that is not there with 404 for a %s caller',
    async (lang, label) => {
      const othersContact = await editedContact(lang === 'en' ? 'ko' : 'en')
      const byRoute: [string, RegExp][] = [
        [`/api/data/contact/${MISSING}`, /^No contact with id '0{8}-.*' \| no such record$/],
        [`/api/data/contact/${othersContact}`, /^No contact with id '.*' \| no such record$/],
        ['/api/data/contact/nope', /^No contact 'nope' \| not a record id$/],
        [`/api/data/contact/${MISSING}/shares`, /^No contact with id '.*' \| no such record$/],
        ['/api/data/contact/nope/shares', /^No contact with id 'nope' \| no such record$/],
      ]
      for (const [path, english] of byRoute) {
        const res = await send('GET', path, tokens[lang])
        expectRefusal(lang, res, { status: 404, at: 'id', named: label, english })
      }
    },
  )

  it.each(cases)(
    'refuses a right the caller lacks with 403 for a %s caller',
    async (lang, label) => {
      const customer = await ownCustomer(lang)
      const path = `/api/data/customer/${customer}`
      const deleted = await send('DELETE', path, tokens[lang], undefined, 1)
      const created = await send('POST', '/api/data/campaign', tokens[lang], { name: 'Fair' })
      const transfer = { ids: [customer], toUserId: owners[lang === 'en' ? 'ko' : 'en'] }
      const moved = await send('POST', '/api/data/customer/bulk/transfer', tokens[lang], transfer)
      // A contact another rep shares with the caller to read: in reach, but not theirs to change.
      const sharer = lang === 'en' ? 'ko' : 'en'
      const shared = await editedContact(sharer)
      const share = { userId: owners[lang], access: 'read' }
      const given = await send('POST', `/api/data/contact/${shared}/shares`, tokens[sharer], share)
      expect(given.status, JSON.stringify(given.body)).toBe(201)
      const patch = { jobTitle: 'Owner' }
      const changed = await send('PATCH', `/api/data/contact/${shared}`, tokens[lang], patch, 2)
      for (const [res, at, named, english] of [
        [deleted, 'id', customerLabel[lang], /^You may not delete this customer \| outside your/],
        [
          created,
          'entity',
          campaignLabel[lang],
          /^You may not create campaign records \| no right/,
        ],
        [moved, 'ids', customerLabel[lang], /^You may not transfer customer records \| no right/],
        [changed, 'id', label, /^You may not update this contact \| outside your 'update' scope$/],
      ] as const) {
        expectRefusal(lang, res, { status: 403, at, named, english })
      }
    },
  )
})
