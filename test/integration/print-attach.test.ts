import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { MetadataBundle } from '../../runtime/registry'
import { systemClock } from '../../runtime/clock'
import { createMemoryFileStore, type FileStore } from '../../runtime/files'
import { createUser } from '../../runtime/identity'
import { createMetadataCache } from '../../runtime/registry'
import { createChromiumPrinter, type PdfPrinter } from '../../runtime/templates'
import { buildApp, type AppDeps } from '../../server/app'
import { CHROMIUM_PATH } from '../browser/support/chromium'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

type Json = Record<string, any>

const label = (en: string) => ({ en, 'zh-CN': `${en}（中）`, ko: en })
const baseQuote = FIXTURE_BUNDLE.entities.find((e) => e.id === 'quote')!

/** The fixture's quote with a folder of printouts, an image-only field and a locked note. */
const quote: Entity = {
  ...baseQuote,
  fields: [
    ...baseQuote.fields,
    { name: 'printouts', type: 'attachments', label: label('Printouts') },
    { name: 'photo', type: 'attachment', label: label('Photo'), accept: ['image/*'] },
    { name: 'signed', type: 'attachment', label: label('Signed copy') },
  ],
}

/** Clerks print every quote but update only their own and never `signed`; viewers only print. */
const BUNDLE: MetadataBundle = {
  ...FIXTURE_BUNDLE,
  entities: FIXTURE_BUNDLE.entities.map((e) => (e.id === 'quote' ? quote : e)),
  roles: [
    {
      id: 'clerk',
      label: label('Clerk'),
      grants: [
        { entity: 'customer', scopes: { read: 'all' } },
        {
          entity: 'quote',
          scopes: { read: 'all', create: 'all', update: 'own', print: 'all' },
          fields: { signed: 'read' },
        },
      ],
    },
    {
      id: 'viewer',
      label: label('Viewer'),
      grants: [{ entity: 'quote', scopes: { read: 'all', print: 'all' } }],
    },
  ],
  templates: [
    {
      id: 'quote-slip',
      label: { en: 'Quote slip', 'zh-CN': '报价单' },
      entity: 'quote',
      body: { en: '<h1>Quote {{record.title}}</h1>', 'zh-CN': '<h1>报价 {{record.title}}</h1>' },
    },
  ],
}

/*
 * "Print and attach": the PDF a template prints is kept on the record through storeFile and an
 * ordinary update, inside the record's permissions (print to print, update to keep), and a
 * refused write keeps no file.
 */
describe.each(testTargets())('keeping a printed PDF on its record on $name', (target) => {
  let fx: AppFixture
  let printer: PdfPrinter
  let store: FileStore
  let app: ReturnType<typeof buildApp>
  let viewerToken: string
  let adminQuote: string
  let clerkQuote: string

  const appWith = (deps: Partial<AppDeps>) =>
    buildApp({
      db: fx.db,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(fx.db),
      ...deps,
    })
  const keep = (id: string, token: string, body?: Json, on = app) =>
    on.request(`/api/data/quote/${id}/print/quote-slip`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const read = async (id: string) =>
    (await (await fx.call('GET', `/api/data/quote/${id}`, { token: fx.adminToken })).json()) as Json
  const fileCount = async () =>
    Number((await fx.db.query<{ n: number }>(sql`select count(*)::int as n from files`))[0].n)
  const created = async (token: string, title: string) => {
    const res = await fx.call('POST', '/api/data/quote', { token, body: { title } })
    expect(res.status).toBe(201)
    return ((await res.json()) as Json).id as string
  }

  beforeAll(async () => {
    fx = await openAppFixture(target, { bundle: BUNDLE })
    printer = createChromiumPrinter({ executablePath: CHROMIUM_PATH })
    store = createMemoryFileStore()
    app = appWith({ files: store, printer })
    const viewer = await createUser(
      { db: fx.db },
      { username: 'viewer', password: 'viewer-password-1', displayName: 'Viewer' },
    )
    await fx.db.query(
      sql`insert into user_roles (user_id, role_id) values (${viewer.id}, 'viewer')`,
    )
    const login = await fx.call('POST', '/api/auth/login', {
      body: { username: 'viewer', password: 'viewer-password-1' },
    })
    viewerToken = ((await login.json()) as Json).token
    adminQuote = await created(fx.adminToken, 'Q-2026-0001')
    clerkQuote = await created(fx.clerkToken, 'Q-2026-0002')
  }, 60_000)
  afterAll(async () => {
    await printer?.close()
    await fx?.close()
  })

  it('prints the PDF and adds it to the printouts, one more each time, readable as the record', async () => {
    const first = await keep(adminQuote, fx.adminToken, { lang: 'zh-CN' })
    expect(first.status).toBe(201)
    const kept = (await first.json()) as Json
    expect(kept).toMatchObject({
      field: 'printouts',
      version: 2,
      file: { name: '报价单 Q-2026-0001.pdf', type: 'application/pdf' },
    })
    expect(kept.file.size).toBeGreaterThan(500)
    const download = await app.request(`/api/files/${kept.file.id}`, {
      headers: { authorization: `Bearer ${fx.clerkToken}` },
    })
    expect(download.status).toBe(200)
    const bytes = new Uint8Array(await download.arrayBuffer())
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-')
    expect(bytes.length).toBe(kept.file.size)

    const second = (await (await keep(adminQuote, fx.adminToken)).json()) as Json
    expect(second.file.name).toBe('Quote slip Q-2026-0001.pdf')
    const record = await read(adminQuote)
    expect(record.version).toBe(3)
    expect(record.printouts.map((f: Json) => f.id)).toEqual([kept.file.id, second.file.id])
  }, 60_000)

  it('keeps the PDF in a named attachment field, replacing what a single field held', async () => {
    const one = (await (await keep(clerkQuote, fx.adminToken, { field: 'signed' })).json()) as Json
    const two = (await (await keep(clerkQuote, fx.adminToken, { field: 'signed' })).json()) as Json
    expect(two.field).toBe('signed')
    const record = await read(clerkQuote)
    expect(record.signed.id).toBe(two.file.id)
    expect(record.signed.id).not.toBe(one.file.id)
  }, 60_000)

  it('refuses, keeping no file, a caller who may print but not update the record', async () => {
    const before = await fileCount()
    const viewer = await keep(adminQuote, viewerToken)
    expect(viewer.status).toBe(403)
    expect(JSON.stringify(await viewer.json())).toContain("'update'")
    // The clerk updates only their own quotes: the PDF printed for the admin's one is dropped.
    const notOwn = await keep(adminQuote, fx.clerkToken)
    expect([403, 404]).toContain(notOwn.status)
    expect(await fileCount()).toBe(before)
    expect((await read(adminQuote)).version).toBe(3)
    // A field the clerk only reads: 403 naming it, before anything is printed.
    const readOnly = await keep(clerkQuote, fx.clerkToken, { field: 'signed' })
    expect(readOnly.status).toBe(403)
    expect(JSON.stringify(await readOnly.json())).toContain('signed')
    expect(await fileCount()).toBe(before)
    // Their own quote they may keep a print on.
    expect((await keep(clerkQuote, fx.clerkToken)).status).toBe(201)
  }, 60_000)

  it('answers 4xx naming the field or member for what cannot hold a PDF, 404 for no record', async () => {
    const photo = await keep(adminQuote, fx.adminToken, { field: 'photo' })
    expect(photo.status).toBe(422)
    expect(await photo.json()).toMatchObject({ error: { details: [{ path: 'field' }] } })
    const title = await keep(adminQuote, fx.adminToken, { field: 'title' })
    expect(title.status).toBe(422)
    const member = await keep(adminQuote, fx.adminToken, { copies: 2 })
    expect(member.status).toBe(400)
    expect(await member.json()).toMatchObject({ error: { details: [{ path: 'copies' }] } })
    const lang = await keep(adminQuote, fx.adminToken, { lang: 'fr' })
    expect(lang.status).toBe(400)
    const missing = await keep('00000000-0000-4000-8000-000000000001', fx.adminToken)
    expect(missing.status).toBe(404)
  })

  it('answers 503 when the server keeps no files or prints no PDF', async () => {
    const before = await fileCount()
    const noFiles = await keep(adminQuote, fx.adminToken, undefined, appWith({ printer }))
    expect(noFiles.status).toBe(503)
    const noPrinter = await keep(adminQuote, fx.adminToken, undefined, appWith({ files: store }))
    expect(noPrinter.status).toBe(503)
    expect(await noPrinter.json()).toMatchObject({ error: { code: 'service_unavailable' } })
    expect(await fileCount()).toBe(before)
  })
})
