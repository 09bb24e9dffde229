import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeFile } from '../../runtime/files'
import { updateRecord } from '../../runtime/records'
import { testTargets } from '../support/databases'
import { openFilesFixture, PDF, PNG, type FilesFixture } from './files-fixture'

const MISSING = '00000000-0000-4000-8000-000000000001'

interface FileJson {
  id: string
  name: string
  type: string
  size: number
}

const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T

describe.each(testTargets())('files on $name', (target) => {
  let f: FilesFixture
  beforeAll(async () => {
    f = await openFilesFixture(target)
  })
  afterAll(() => f?.close())

  const uploadPdf = async (token: string, name = 'contract.pdf') => {
    const res = await f.upload(token, 'entity=customer&field=documents', {
      name,
      type: 'application/pdf',
      bytes: PDF,
    })
    expect(res.status).toBe(201)
    return json<FileJson>(res)
  }
  const createCustomer = (token: string, body: Record<string, unknown>) =>
    f.call('POST', '/api/data/customer', token, { name: 'Acme', ...body })

  it('uploads, attaches through the record write and downloads the same bytes', async () => {
    const file = await uploadPdf(f.rep1, '合同 2026.pdf')
    expect(file).toMatchObject({ name: '合同 2026.pdf', type: 'application/pdf', size: PDF.length })
    // Name and size the client echoes are not what is stored: the files table is.
    const res = await createCustomer(f.rep1, {
      documents: [{ id: file.id, name: 'renamed.exe', size: 1 }],
    })
    expect(res.status).toBe(201)
    const record = await json(res)
    expect(record.documents).toEqual([file])
    const [row] = await f.db.query<Record<string, unknown>>(
      sql`select entity, record_id::text as record_id, field, sha256 from files where id = ${file.id}`,
    )
    expect(row).toMatchObject({ entity: 'customer', record_id: record.id, field: 'documents' })
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/)

    const download = await f.call('GET', `/api/files/${file.id}`, f.rep1)
    expect(download.status).toBe(200)
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true)
    expect(download.headers.get('content-type')).toBe('application/pdf')
    expect(download.headers.get('x-content-type-options')).toBe('nosniff')
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="__ 2026.pdf"; filename*=UTF-8''%E5%90%88%E5%90%8C%202026.pdf`,
    )
  })

  it("answers 404 for a file of another rep's record and for another's pending upload", async () => {
    const file = await uploadPdf(f.rep1)
    const pending = await uploadPdf(f.rep1)
    const record = await json(await createCustomer(f.rep1, { documents: [{ id: file.id }] }))
    for (const id of [file.id, pending.id, MISSING]) {
      const res = await f.call('GET', `/api/files/${id}`, f.rep2)
      expect(res.status).toBe(404)
      expect(await json(res)).toEqual({
        error: {
          code: 'not_found',
          message: `No file with id '${id}'`,
          details: [{ path: 'id', message: 'no such file' }],
        },
      })
    }
    expect((await f.call('GET', `/api/files/${file.id}`, f.admin)).status).toBe(200)
    expect((await f.call('GET', `/api/data/customer/${record.id}`, f.rep2)).status).toBe(404)
  })

  it("answers another's upload, an attached file and an unknown id with the same 422", async () => {
    const theirs = await uploadPdf(f.rep2)
    const attached = await uploadPdf(f.rep1)
    await createCustomer(f.rep1, { documents: [{ id: attached.id }] })
    const bodies = []
    for (const id of [theirs.id, attached.id, MISSING]) {
      const res = await createCustomer(f.rep1, { documents: [{ id }] })
      expect(res.status).toBe(422)
      bodies.push(await json(res))
    }
    expect(bodies[0]).toEqual({
      error: {
        code: 'validation_failed',
        message: 'An attached file does not exist',
        details: [{ path: 'documents[0].id', message: 'refers to a file that does not exist' }],
      },
    })
    expect(bodies[1]).toEqual(bodies[0])
    expect(bodies[2]).toEqual(bodies[0])
    const logo = await f.upload(f.rep1, 'entity=customer&field=logo', { name: 'l.png', bytes: PNG })
    const { id } = await json<FileJson>(logo)
    // An upload for the logo field does not go into documents (its limits were the logo's).
    expect((await createCustomer(f.rep1, { documents: [{ id }] })).status).toBe(422)
  })

  it('keeps the files an update leaves and attaches the ones it adds', async () => {
    const first = await uploadPdf(f.rep1, 'first.pdf')
    const created = await json(await createCustomer(f.rep1, { documents: [{ id: first.id }] }))
    const second = await uploadPdf(f.rep1, 'second.pdf')
    const res = await f.call('PATCH', `/api/data/customer/${created.id}`, f.rep1, {
      version: created.version,
      documents: [{ id: first.id }, { id: second.id }],
    })
    expect(res.status).toBe(200)
    expect(((await json(res)).documents as FileJson[]).map((d) => d.name)).toEqual([
      'first.pdf',
      'second.pdf',
    ])
    const rows = await f.db.query<{ n: number }>(
      sql`select count(*)::int as n from files where record_id = ${created.id as string}::uuid`,
    )
    expect(rows[0].n).toBe(2)
  })

  it('attaches one upload to only one of two records written at once', async () => {
    const file = await uploadPdf(f.rep1)
    const answers = await Promise.all([
      createCustomer(f.rep1, { name: 'One', documents: [{ id: file.id }] }),
      createCustomer(f.rep1, { name: 'Two', documents: [{ id: file.id }] }),
    ])
    expect(answers.map((r) => r.status).sort()).toEqual([201, 422])
  })

  it('stores a file the runtime makes and attaches it to a child row through a write', async () => {
    const ctx = await f.ctxOf('rep1')
    const id = await storeFile(ctx, { name: 'visit.png', type: 'image/png', bytes: PNG })
    const created = await json(
      await createCustomer(f.rep1, { visits: [{ place: 'Seoul', photo: { id } }] }),
    )
    const visits = created.visits as { photo: FileJson }[]
    expect(visits[0].photo).toEqual({ id, name: 'visit.png', type: 'image/png', size: PNG.length })
    const [row] = await f.db.query<{ field: string }>(sql`select field from files where id = ${id}`)
    expect(row.field).toBe('visits.photo')
    const preview = await f.call('GET', `/api/files/${id}/preview`, f.rep1)
    expect(preview.status).toBe(200)
    expect(preview.headers.get('content-disposition')).toMatch(/^inline; /)
    expect(preview.headers.get('content-type')).toBe('image/png')
    expect((await f.call('GET', `/api/files/${id}/preview`, f.rep2)).status).toBe(404)
    // A second record cannot take it, by a direct write either.
    const other = await json(await createCustomer(f.rep1, { name: 'Other' }))
    await expect(
      updateRecord(ctx, 'customer', other.id as string, { logo: { id } }, other.version as number),
    ).rejects.toThrow('An attached file does not exist')
  })
})
