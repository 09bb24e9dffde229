import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { freePort } from '../../test/support/free-port'
import { startS3Server, type S3Server } from '../../test/support/s3-server'
import type { Logger } from '../context'
import { ServiceUnavailableError } from '../errors'
import { describeFileStoreConformance, readAll } from './file-store-conformance'
import { newStorageKey } from './file-store'
import type { S3Settings } from './s3-client'
import { createS3FileStore } from './s3-file-store'

let server: S3Server
const realFetch = globalThis.fetch
beforeAll(async () => {
  server = await startS3Server()
})
afterAll(() => server?.close())

/** A logger that keeps what it is told at error level. */
function recordingLog(): Logger & { errors: Record<string, unknown>[] } {
  const errors: Record<string, unknown>[] = []
  const ignore = () => {}
  return {
    errors,
    info: ignore,
    warn: ignore,
    debug: ignore,
    error: (obj) => void errors.push(obj as Record<string, unknown>),
  }
}

const storeWith = (settings: Partial<S3Settings> = {}, partBytes?: number) =>
  createS3FileStore({ ...server.settings, ...settings }, { log: recordingLog(), partBytes })

async function* bytes(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text)
}

describeFileStoreConformance('S3 (one PUT an upload)', () => storeWith())
describeFileStoreConformance('S3 (multipart, 16 KiB parts)', () => storeWith({}, 16 * 1024))
describeFileStoreConformance('S3 (under a key prefix)', () => storeWith({ prefix: 'a/b/' }))

describe('the S3 file store', () => {
  it('keeps a prefixed store’s objects apart from the bucket’s root', async () => {
    const prefixed = storeWith({ prefix: 'trellis/files/' })
    const key = newStorageKey()
    await prefixed.put(key, bytes('under the prefix'))
    expect(await storeWith().get(key)).toBeNull()
    expect((await readAll((await prefixed.get(key))!)).toString()).toBe('under the prefix')
  })

  it('stores an empty file, one of exactly one part and one chunk of many parts', async () => {
    const store = storeWith({}, 4)
    const empty = newStorageKey()
    await store.put(empty, (async function* () {})())
    expect((await readAll((await store.get(empty))!)).length).toBe(0)
    const four = newStorageKey()
    await store.put(four, bytes('four'))
    expect((await readAll((await store.get(four))!)).toString()).toBe('four')
    const many = newStorageKey()
    await store.put(many, bytes('one chunk of many parts'))
    expect((await readAll((await store.get(many))!)).toString()).toBe('one chunk of many parts')
  })

  it('leaves no object when the bytes fail after some parts went up', async () => {
    const store = storeWith({}, 16 * 1024)
    const key = newStorageKey()
    async function* failing(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 5; i++) yield Buffer.alloc(10_000, i)
      throw new Error('the client went away')
    }
    await expect(store.put(key, failing())).rejects.toThrow('went away')
    expect(await store.get(key)).toBeNull()
  })

  it('streams an upload: one part a request, each sent before the rest of the file is read', async () => {
    const store = storeWith({}, 256 * 1024)
    let yielded = 0
    async function* source(): AsyncIterable<Uint8Array> {
      while (yielded < 16) yield Buffer.alloc(64 * 1024, ++yielded)
    }
    // The real requests go through to the server; the spy only notes what each one carried.
    const seen: { query: string; size: number; yielded: number }[] = []
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    fetchSpy.mockImplementation(async (url, init) => {
      const size = (init?.body as Uint8Array | undefined)?.length ?? 0
      seen.push({ query: new URL(String(url)).search, size, yielded })
      return realFetch(url, init)
    })
    const key = newStorageKey()
    try {
      await store.put(key, source())
    } finally {
      fetchSpy.mockRestore()
    }
    const parts = seen.filter((r) => r.query.startsWith('?partNumber='))
    expect(parts.map((r) => r.size)).toEqual([262_144, 262_144, 262_144, 262_144])
    // Part n went up when at most n + 1 parts' chunks (and one more) had been read.
    parts.forEach((r, n) => expect(r.yielded).toBeLessThanOrEqual((n + 1) * 4 + 1))
    expect((await readAll((await store.get(key))!)).length).toBe(16 * 64 * 1024)
  })

  it('frees an answer nobody reads: the bytes are still there for the next reader', async () => {
    const store = storeWith()
    const key = newStorageKey()
    await store.put(key, bytes('x'.repeat(100_000)))
    const unread = (await store.get(key))!
    await unread[Symbol.asyncIterator]().return?.()
    expect((await readAll((await store.get(key))!)).length).toBe(100_000)
  })

  it('answers 503 and logs the store’s reason when it refuses the access key', async () => {
    const log = recordingLog()
    const secretAccessKey = 'never-log-this-secret'
    const refused = { ...server.settings, accessKeyId: 'NOT-A-KEY', secretAccessKey }
    const store = createS3FileStore(refused, { log })
    const key = newStorageKey()
    await expect(store.put(key, bytes('x'))).rejects.toBeInstanceOf(ServiceUnavailableError)
    await expect(store.get(key)).rejects.toThrow('File storage is not available right now')
    await expect(store.delete(key)).rejects.toBeInstanceOf(ServiceUnavailableError)
    expect(log.errors).toHaveLength(3)
    expect(log.errors[0]).toMatchObject({
      fileStore: 's3',
      status: 403,
      code: 'InvalidAccessKeyId',
      setting: 'TRELLIS_S3_ACCESS_KEY_ID',
    })
    expect(JSON.stringify(log.errors)).not.toContain(secretAccessKey)
  })

  it('answers 503 for a bucket that is not there and a store that does not answer', async () => {
    const log = recordingLog()
    const noBucket = createS3FileStore({ ...server.settings, bucket: 'missing' }, { log })
    await expect(noBucket.get(newStorageKey())).rejects.toBeInstanceOf(ServiceUnavailableError)
    expect(log.errors[0]).toMatchObject({
      status: 404,
      code: 'NoSuchBucket',
      setting: 'TRELLIS_S3_BUCKET',
    })
    const closed = createS3FileStore(
      { ...server.settings, endpoint: `http://127.0.0.1:${await freePort()}` },
      { log },
    )
    await expect(closed.put(newStorageKey(), bytes('x'))).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    )
    expect(log.errors[1]).toMatchObject({ code: 'unreachable', message: 'ECONNREFUSED' })
  })
})
