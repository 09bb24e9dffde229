import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { silentLogger } from '../../runtime/context'
import { sweepDeletedRecordFiles } from '../../runtime/files'
import { deleteRecord } from '../../runtime/records'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { testTargets } from '../support/databases'
import { openFilesFixture, PDF, PNG, type FilesFixture } from './files-fixture'

type Json = Record<string, any>

/*
 * Files of deleted records leave the store: the sweep removes the rows and bytes of every file a
 * deleted record (or its child rows) held, and nothing of records still there or of a delete
 * that did not happen. An app built without a file store answers 503 to an upload.
 */
describe.each(testTargets())('files of deleted records on $name', (target) => {
  let f: FilesFixture

  beforeAll(async () => {
    f = await openFilesFixture(target)
  })
  afterAll(() => f?.close())

  const upload = async (field: string, name: string, bytes: Buffer, type: string) => {
    const res = await f.upload(f.rep1, `entity=customer&field=${field}`, { name, type, bytes })
    expect(res.status).toBe(201)
    return ((await res.json()) as Json).id as string
  }
  /** A customer of rep1 holding two documents and a visit with a photo; its file ids. */
  const customerWithFiles = async (name: string) => {
    const docs = [
      await upload('documents', 'a.pdf', PDF, 'application/pdf'),
      await upload('documents', 'b.pdf', PDF, 'application/pdf'),
    ]
    const photo = await upload('visits.photo', 'visit.png', PNG, 'image/png')
    const res = await f.call('POST', '/api/data/customer', f.rep1, {
      name,
      documents: docs.map((id) => ({ id })),
      visits: [{ place: 'Shanghai', photo: { id: photo } }],
    })
    expect(res.status).toBe(201)
    const record = (await res.json()) as Json
    return { id: record.id as string, version: record.version as number, files: [...docs, photo] }
  }
  const keysOf = async (ids: string[]) =>
    (
      await f.db.query<{ storage_key: string }>(
        sql`select storage_key from files where id::text in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      )
    ).map((r) => r.storage_key)
  const sweep = () => sweepDeletedRecordFiles({ db: f.db, log: silentLogger }, f.store)
  /** Deletes as the admin; answers the error's status, 204 when it went. */
  const del = async (id: string, version: number) => {
    try {
      await deleteRecord(await f.ctxOf('admin'), 'customer', id, version)
      return { status: 204 }
    } catch (err) {
      return { status: (err as { status?: number }).status ?? 500 }
    }
  }

  it('removes the rows and bytes of every file a deleted record and its rows held', async () => {
    const gone = await customerWithFiles('Deleted Co')
    const kept = await customerWithFiles('Kept Co')
    const goneKeys = await keysOf(gone.files)
    expect(goneKeys).toHaveLength(3)
    for (const key of goneKeys) expect(await f.store.get(key)).not.toBeNull()

    expect((await del(gone.id, gone.version)).status).toBe(204)
    // Until the sweep the file answers 404 like any id without a readable record.
    expect((await f.call('GET', `/api/files/${gone.files[0]}`, f.admin)).status).toBe(404)
    expect(await sweep()).toBe(3)
    expect(await keysOf(gone.files)).toEqual([])
    for (const key of goneKeys) expect(await f.store.get(key)).toBeNull()

    // The other record's files are untouched and still download.
    expect(await keysOf(kept.files)).toHaveLength(3)
    const download = await f.call('GET', `/api/files/${kept.files[0]}`, f.rep1)
    expect(download.status).toBe(200)
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true)
    expect(await sweep()).toBe(0)
  })

  it('keeps the files of a record whose delete was refused', async () => {
    const record = await customerWithFiles('Stale Co')
    expect((await del(record.id, record.version + 5)).status).toBe(409)
    expect(await sweep()).toBe(0)
    expect(await keysOf(record.files)).toHaveLength(3)
  })

  it('answers 503 to an upload on an app built without a file store, and stores nothing', async () => {
    const bare = buildApp({
      db: f.db,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(f.db),
    })
    const [{ n: before }] = await f.db.query<{ n: number }>(
      sql`select count(*)::int as n from files`,
    )
    const form = new FormData()
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'a.pdf')
    const res = await bare.request('/api/files?entity=customer&field=documents', {
      method: 'POST',
      headers: { authorization: `Bearer ${f.rep1}` },
      body: form,
    })
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({
      error: { code: 'service_unavailable', details: [{ path: 'file' }] },
    })
    const [{ n: after }] = await f.db.query<{ n: number }>(
      sql`select count(*)::int as n from files`,
    )
    expect(after).toBe(before)
  })
})
