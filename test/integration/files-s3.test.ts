import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { createS3FileStore, sweepDeletedRecordFiles, type FileStore } from '../../runtime/files'
import { readAll } from '../../runtime/files/file-store-conformance'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { testTargets } from '../support/databases'
import { startS3Server, type S3Server } from '../support/s3-server'
import { openFilesFixture, PDF, type FilesFixture } from './files-fixture'

type Json = Record<string, any>

/** The refused store's secret: it must show in no answer and no log line. */
const SECRET = 'never-show-this-secret-0123'

/*
 * Files in an S3-compatible bucket, through the API: an upload goes into the bucket (in parts),
 * downloads with its record's permissions, and the sweep removes the object once the record is
 * deleted. A bucket that refuses the server's key answers 503 with a plain message, the reason
 * goes to the log, and the sweep keeps the rows until the bucket takes the deletes.
 */
describe.each(testTargets())('files in an S3 bucket on $name', (target) => {
  let f: FilesFixture
  let s3: S3Server
  const lines: Json[] = []
  const log = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  )
  let store: FileStore
  let refusing: FileStore
  const apps = new Map<FileStore, ReturnType<typeof buildApp>>()
  /** The app of this database that keeps its files in `files` (one each). */
  const appWith = (files: FileStore) => {
    if (!apps.has(files))
      apps.set(
        files,
        buildApp({ db: f.db, clock: systemClock, log, metadata: createMetadataCache(f.db), files }),
      )
    return apps.get(files)!
  }

  beforeAll(async () => {
    f = await openFilesFixture(target)
    s3 = await startS3Server()
    // Small parts, so that an upload of a few hundred KB goes up as a multipart upload.
    store = createS3FileStore(s3.settings, { log, partBytes: 64 * 1024 })
    refusing = createS3FileStore(
      { ...s3.settings, accessKeyId: 'NOT-THIS-KEY', secretAccessKey: SECRET },
      { log },
    )
  })
  afterAll(async () => {
    await f?.close()
    await s3?.close()
  })

  const request = (
    files: FileStore,
    method: string,
    path: string,
    token: string,
    body?: FormData,
  ) =>
    Promise.resolve(
      appWith(files).request(path, { method, headers: { authorization: `Bearer ${token}` }, body }),
    )
  const upload = (files: FileStore, bytes: Buffer) => {
    const form = new FormData()
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'contract.pdf')
    return request(files, 'POST', '/api/files?entity=customer&field=documents', f.rep1, form)
  }
  const keyOf = async (id: string) =>
    (
      await f.db.query<{ storage_key: string }>(
        sql`select storage_key from files where id = ${id}::uuid`,
      )
    )[0]?.storage_key
  /** A customer of rep1 holding one uploaded document: its id, version and file id. */
  const customerWith = async (bytes: Buffer) => {
    const uploaded = await upload(store, bytes)
    expect(uploaded.status).toBe(201)
    const file = ((await uploaded.json()) as Json).id as string
    const res = await appWith(store).request('/api/data/customer', {
      method: 'POST',
      headers: { authorization: `Bearer ${f.rep1}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `S3 Co ${file}`, documents: [{ id: file }] }),
    })
    expect(res.status).toBe(201)
    const record = (await res.json()) as Json
    return { id: record.id as string, version: record.version as number, file }
  }
  const deleteAsAdmin = (id: string, version: number) =>
    appWith(store).request(`/api/data/customer/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${f.admin}`, 'if-match': `"${version}"` },
    })

  it('uploads into the bucket, downloads by permission, and sweeps the object of a deleted record', async () => {
    const bytes = Buffer.concat([PDF, randomBytes(300_000)])
    const record = await customerWith(bytes)
    const key = (await keyOf(record.file))!
    expect((await readAll((await store.get(key))!)).equals(bytes)).toBe(true)

    const download = await request(store, 'GET', `/api/files/${record.file}`, f.rep1)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/)
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true)
    // Another rep may not read the record, so not its file either.
    expect((await request(store, 'GET', `/api/files/${record.file}`, f.rep2)).status).toBe(404)

    expect((await deleteAsAdmin(record.id, record.version)).status).toBe(204)
    expect(await sweepDeletedRecordFiles({ db: f.db, log }, store)).toBe(1)
    expect(await keyOf(record.file)).toBeUndefined()
    expect(await store.get(key)).toBeNull()
  })

  it('answers a plain 503 when the bucket refuses the key, and logs why for the operator', async () => {
    const [{ n: before }] = await f.db.query<{ n: number }>(
      sql`select count(*)::int as n from files`,
    )
    lines.length = 0
    const res = await upload(refusing, PDF)
    expect(res.status).toBe(503)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({
      error: {
        code: 'service_unavailable',
        message: 'File storage is not available right now',
        details: [{ path: 'file', message: expect.stringContaining('its log says why') }],
      },
    })
    expect(text).not.toMatch(/InvalidAccessKeyId|NOT-THIS-KEY|S3RVER|\n\s+at /)
    expect(text).not.toContain(SECRET)
    const [{ n: after }] = await f.db.query<{ n: number }>(
      sql`select count(*)::int as n from files`,
    )
    expect(after).toBe(before)
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        fileStore: 's3',
        status: 403,
        code: 'InvalidAccessKeyId',
      }),
    )
    expect(JSON.stringify(lines)).not.toContain(SECRET)

    // A file already stored answers 503 too, not 404 and not 500.
    const record = await customerWith(PDF)
    expect((await request(refusing, 'GET', `/api/files/${record.file}`, f.rep1)).status).toBe(503)
  })

  it('keeps the rows of a deleted record’s files while the bucket refuses the deletes', async () => {
    const record = await customerWith(PDF)
    const key = (await keyOf(record.file))!
    expect((await deleteAsAdmin(record.id, record.version)).status).toBe(204)
    await expect(sweepDeletedRecordFiles({ db: f.db, log }, refusing)).rejects.toThrow(
      'File storage is not available',
    )
    expect(await keyOf(record.file)).toBe(key)
    expect(await store.get(key)).not.toBeNull()
    expect(await sweepDeletedRecordFiles({ db: f.db, log }, store)).toBeGreaterThanOrEqual(1)
    expect(await keyOf(record.file)).toBeUndefined()
    expect(await store.get(key)).toBeNull()
  })
})
