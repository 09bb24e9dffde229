import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock } from '../../runtime/clock'
import { DEFAULT_UPLOAD_TYPES, sweepPendingFiles } from '../../runtime/files'
import { silentLogger } from '../../runtime/context'
import { testTargets } from '../support/databases'
import { openFilesFixture, PDF, PNG, type FilesFixture } from './files-fixture'

// Limits, names and headers are the server's and the store's: one database is enough.
const pglite = testTargets()[0]

const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T
const details = async (res: Response) =>
  ((await json(res)).error as { details: { path: string; message: string }[] }).details

describe('upload limits, names and headers', () => {
  let f: FilesFixture
  beforeAll(async () => {
    f = await openFilesFixture(pglite, {
      uploads: {
        maxBytes: 4000,
        types: [...DEFAULT_UPLOAD_TYPES, 'image/svg+xml', 'text/html'],
      },
    })
  })
  afterAll(() => f?.close())

  const logo = (file: { name: string; type?: string; bytes: Uint8Array | string }) =>
    f.upload(f.rep1, 'entity=customer&field=logo', file)
  const documents = (file: { name: string; type?: string; bytes: Uint8Array | string }) =>
    f.upload(f.rep1, 'entity=customer&field=documents', file)

  it('answers 413 naming the field past its own limit and past the instance limit', async () => {
    const big = await logo({ name: 'big.png', bytes: Buffer.concat([PNG, Buffer.alloc(2000)]) })
    expect(big.status).toBe(413)
    expect(await details(big)).toEqual([{ path: 'logo', message: 'is larger than 2000 bytes' }])
    const huge = await documents({ name: 'a.txt', bytes: 'x'.repeat(4001) })
    expect(huge.status).toBe(413)
    expect(await details(huge)).toEqual([
      { path: 'documents', message: 'is larger than 4000 bytes' },
    ])
    expect((await documents({ name: 'a.txt', bytes: 'x'.repeat(4000) })).status).toBe(201)
    const rows = await f.db.query<{ n: number }>(sql`select count(*)::int as n from files`)
    expect(rows[0].n).toBe(1)
  })

  it('answers 415 naming the field for a type it does not accept or bytes that do not fit', async () => {
    const text = await logo({ name: 'notes.txt', type: 'text/plain', bytes: 'hello' })
    expect(text.status).toBe(415)
    expect(await details(text)).toEqual([
      { path: 'logo', message: 'does not accept text/plain files' },
    ])
    const exe = await documents({ name: 'setup.exe', bytes: 'MZ...' })
    expect(exe.status).toBe(415)
    expect(await details(exe)).toEqual([
      { path: 'documents', message: 'does not accept application/octet-stream files' },
    ])
    const fake = await logo({ name: 'x.png', bytes: '<html><script>alert(1)</script></html>' })
    expect(fake.status).toBe(415)
    expect(await details(fake)).toEqual([{ path: 'logo', message: 'the content is not image/png' }])
  })

  it('names the parameter or part that is wrong, never a 500', async () => {
    const cases: [string, RequestInit, number, string][] = [
      // An unknown entity: the record routes' 404; a child entity: no attachment field to name.
      ['entity=nope&field=documents', {}, 404, 'entity'],
      ['entity=customer&field=name', {}, 422, 'field'],
      ['entity=customer&field=visits.place', {}, 422, 'field'],
      ['entity=visit&field=photo', {}, 422, 'entity'],
      ['entity=customer', {}, 422, 'field'],
      ['entity=customer&field=documents&path=/etc', {}, 400, 'path'],
      ['entity=customer&field=documents', { body: 'x' }, 415, 'body'],
    ]
    for (const [query, init, status, path] of cases) {
      const form = new FormData()
      form.append('file', new Blob([PDF]), 'a.pdf')
      const res = await f.app.request(`/api/files?${query}`, {
        method: 'POST',
        body: form,
        ...init,
        headers: {
          authorization: `Bearer ${f.rep1}`,
          ...(init.body ? { 'content-type': 'text/plain' } : {}),
        },
      })
      expect([query, res.status]).toEqual([query, status])
      expect((await details(res))[0].path).toBe(path)
    }
    const empty = new FormData()
    empty.append('note', 'no file here')
    const none = await f.app.request('/api/files?entity=customer&field=documents', {
      method: 'POST',
      body: empty,
      headers: { authorization: `Bearer ${f.rep1}` },
    })
    expect(none.status).toBe(422)
    expect((await details(none))[0].path).toBe('file')
    const zero = await documents({ name: 'empty.pdf', type: 'application/pdf', bytes: '' })
    expect(zero.status).toBe(422)
    const guest = await f.upload(f.guest, 'entity=customer&field=documents', {
      name: 'a.pdf',
      bytes: PDF,
    })
    expect(guest.status).toBe(403)
  })

  it('keeps attack names to a harmless last part and stores under random keys', async () => {
    const names: [string, string][] = [
      ['../../etc/passwd.txt', 'passwd.txt'],
      ['/etc/shadow.txt', 'shadow.txt'],
      ['C:\\Windows\\win.txt', 'win.txt'],
      ['..', 'file'],
      ['a\u202eb.txt', 'ab.txt'],
      ['客户资料 견적서.txt', '客户资料 견적서.txt'],
      [`${'长'.repeat(300)}.txt`, '长'.repeat(255)],
    ]
    for (const [name, kept] of names) {
      const res = await documents({ name, type: 'text/plain', bytes: 'data' })
      expect([name, res.status]).toEqual([name, 201])
      expect((await json<{ name: string }>(res)).name).toBe(kept)
    }
    // A NUL in the part's header makes the multipart malformed: refused, naming the body.
    const nul = await documents({ name: 'a\u0000.txt', type: 'text/plain', bytes: 'data' })
    expect(nul.status).toBe(422)
    expect(await details(nul)).toEqual([
      { path: 'body', message: 'is not valid multipart/form-data' },
    ])
    const keys = await f.db.query<{ storage_key: string }>(sql`select storage_key from files`)
    for (const { storage_key } of keys) expect(storage_key).toMatch(/^[0-9a-f]{32}$/)
  })

  it('serves HTML and SVG as downloads only and previews nothing but raster images', async () => {
    const html = await json<{ id: string }>(
      await documents({ name: 'page.html', type: 'text/html', bytes: '<script>alert(1)</script>' }),
    )
    const svg = await json<{ id: string }>(
      await documents({ name: 'logo.svg', type: 'image/svg+xml', bytes: '<svg onload="x()"/>' }),
    )
    for (const { id } of [html, svg]) {
      const download = await f.call('GET', `/api/files/${id}`, f.rep1)
      expect(download.status).toBe(200)
      expect(download.headers.get('content-type')).toBe('application/octet-stream')
      expect(download.headers.get('content-disposition')).toMatch(/^attachment; /)
      expect(download.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
      const preview = await f.call('GET', `/api/files/${id}/preview`, f.rep1)
      expect(preview.status).toBe(415)
    }
  })

  it('hides a file in a field the caller may not read though the record is theirs', async () => {
    const admin = await f.ctxOf('admin')
    const rep1 = await f.ctxOf('rep1')
    const pdf = await f.upload(f.admin, 'entity=customer&field=secret', {
      name: 's.pdf',
      bytes: PDF,
    })
    const { id } = await json<{ id: string }>(pdf)
    const created = await f.call('POST', '/api/data/customer', f.admin, {
      name: 'Secretive',
      owner: rep1.user!.id,
      secret: { id },
    })
    expect(created.status).toBe(201)
    const record = await json(created)
    expect((await f.call('GET', `/api/data/customer/${record.id}`, f.rep1)).status).toBe(200)
    expect((await f.call('GET', `/api/files/${id}`, f.rep1)).status).toBe(404)
    expect((await f.call('GET', `/api/files/${id}`, f.admin)).status).toBe(200)
    expect(admin.user!.isAdmin).toBe(true)
  })

  it('sweeps uploads never attached after a day, bytes and row, and keeps attached ones', async () => {
    const pending = await json<{ id: string }>(
      await documents({ name: 'left.pdf', type: 'application/pdf', bytes: PDF }),
    )
    const kept = await json<{ id: string }>(
      await documents({ name: 'kept.pdf', type: 'application/pdf', bytes: PDF }),
    )
    await f.call('POST', '/api/data/customer', f.rep1, { name: 'Kept', documents: [kept] })
    const [{ storage_key }] = await f.db.query<{ storage_key: string }>(
      sql`select storage_key from files where id = ${pending.id}::uuid`,
    )
    const ctx = { db: f.db, log: silentLogger }
    const soon = fixedClock(new Date(Date.now() + 60 * 60 * 1000))
    expect(await sweepPendingFiles({ ...ctx, clock: soon }, f.store)).toBe(0)
    const later = fixedClock(new Date(Date.now() + 25 * 60 * 60 * 1000))
    expect(await sweepPendingFiles({ ...ctx, clock: later }, f.store)).toBeGreaterThan(0)
    expect(await f.store.get(storage_key)).toBeNull()
    expect((await f.call('GET', `/api/files/${pending.id}`, f.rep1)).status).toBe(404)
    expect((await f.call('GET', `/api/files/${kept.id}`, f.rep1)).status).toBe(200)
  })
})
