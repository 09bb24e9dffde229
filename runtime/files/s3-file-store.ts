import type { Logger } from '../context'
import { assertStorageKey, type FileStore } from './file-store'
import {
  createS3Client,
  readFailure,
  readXmlTag,
  type S3Client,
  type S3Failure,
  type S3Settings,
} from './s3-client'

/** Bytes held in memory per upload: one part of a multipart upload (S3's least is 5 MiB). */
export const S3_PART_BYTES = 8 * 1024 * 1024

/**
 * Splits a stream into parts of `size` bytes (the last one shorter, maybe empty), telling which
 * part is the last: at most one part and one chunk are held at a time, copied once.
 */
async function* toParts(
  bytes: AsyncIterable<Uint8Array>,
  size: number,
): AsyncGenerator<{ body: Buffer; last: boolean }> {
  let chunks: Uint8Array[] = []
  let length = 0
  const cut = () => {
    const all = Buffer.concat(chunks, length)
    chunks = [all.subarray(size)]
    length -= size
    return all.subarray(0, size)
  }
  for await (const chunk of bytes) {
    // A full part followed by more bytes is not the last one.
    while (length >= size) yield { body: cut(), last: false }
    chunks.push(chunk)
    length += chunk.length
  }
  while (length > size) yield { body: cut(), last: false }
  yield { body: Buffer.concat(chunks, length), last: true }
}

/** A response body read on demand; `return()` cancels it, so an unread answer frees its socket. */
function toChunks(body: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  const reader = body?.getReader()
  const done = { done: true as const, value: undefined }
  return {
    [Symbol.asyncIterator]: () => ({
      async next() {
        const read = await reader?.read()
        return !read || read.done ? done : { done: false as const, value: read.value }
      },
      async return() {
        await reader?.cancel()
        return done
      },
    }),
  }
}

/** Sends `request` and throws the operator's 503 unless the answer is a success. */
async function expectOk(client: S3Client, request: Parameters<S3Client['send']>[0]) {
  const res = await client.send(request)
  if (!res.ok) throw client.refused(request, await readFailure(res))
  return res
}

/** Ends a multipart upload with its parts' ETags; S3 may answer 200 and put a failure in the body. */
async function completeParts(client: S3Client, key: string, ofUpload: string, etags: string[]) {
  const list = etags.map(
    (etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`,
  )
  const body = Buffer.from(`<CompleteMultipartUpload>${list.join('')}</CompleteMultipartUpload>`)
  const request = { method: 'POST' as const, key, query: ofUpload, body }
  const text = await (await expectOk(client, request)).text()
  if (text.includes('<Error>'))
    throw client.refused(request, {
      status: 200,
      code: readXmlTag(text, 'Code') ?? 'Error',
      message: readXmlTag(text, 'Message') ?? '',
    })
}

/** A multipart upload of `first` and the parts after it; aborted (as far as the store lets) on failure. */
async function putInParts(
  client: S3Client,
  key: string,
  first: Buffer,
  rest: AsyncIterator<{ body: Buffer }>,
): Promise<void> {
  const created = await expectOk(client, { method: 'POST', key, query: 'uploads' })
  const uploadId = readXmlTag(await created.text(), 'UploadId') ?? ''
  const ofUpload = `uploadId=${encodeURIComponent(uploadId)}`
  const etags: string[] = []
  const upload = async (body: Buffer) => {
    const query = `partNumber=${etags.length + 1}&${ofUpload}`
    const res = await expectOk(client, { method: 'PUT', key, query, body })
    await res.body?.cancel()
    etags.push(res.headers.get('etag') ?? '')
  }
  try {
    await upload(first)
    for (let part = await rest.next(); !part.done; part = await rest.next())
      await upload(part.value.body)
    await completeParts(client, key, ofUpload, etags)
  } catch (err) {
    // Best effort: a store that keeps the parts anyway needs a lifecycle rule (docs/files.md).
    const abort = client.send({ method: 'DELETE', key, query: ofUpload })
    await abort.then(
      (res) => res.body?.cancel(),
      () => {},
    )
    throw err
  }
}

/** No object under the key (a missing bucket is the operator's problem, not a missing file). */
const isMissing = (failure: S3Failure) => failure.status === 404 && failure.code === 'NoSuchKey'

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * Files in an S3-compatible bucket (AWS, MinIO, Ceph, R2…), signed with SigV4 over fetch. An
 * upload is streamed in parts of `partBytes` (one PUT when it fits in one part), so no whole file
 * is held; an object exists only once all its bytes are there. A refusal of the store (bad
 * credentials, no bucket, unreachable) is logged and answers 503.
 * @example const store = createS3FileStore(config.s3, { log })
 */
export function createS3FileStore(
  settings: S3Settings,
  options: { log: Logger; partBytes?: number },
): FileStore {
  const client = createS3Client(settings, options.log)
  const partBytes = options.partBytes ?? S3_PART_BYTES
  return {
    async put(key, bytes) {
      assertStorageKey(key)
      const parts = toParts(bytes, partBytes)
      const first = await parts.next()
      if (first.done) return
      if (first.value.last) {
        const res = await expectOk(client, { method: 'PUT', key, body: first.value.body })
        await res.body?.cancel()
      } else await putInParts(client, key, first.value.body, parts)
    },
    async get(key) {
      assertStorageKey(key)
      const request = { method: 'GET' as const, key }
      const res = await client.send(request)
      if (res.ok) return toChunks(res.body)
      const failure = await readFailure(res)
      if (isMissing(failure)) return null
      throw client.refused(request, failure)
    },
    async delete(key) {
      assertStorageKey(key)
      const request = { method: 'DELETE' as const, key }
      const res = await client.send(request)
      if (res.ok) return void (await res.body?.cancel())
      const failure = await readFailure(res)
      if (!isMissing(failure)) throw client.refused(request, failure)
    },
  }
}
