import { createHash, randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors'
import { ValidationError } from '../errors'
import { canAttempt } from '../permissions'
import { newStorageKey, type FileStore } from './file-store'
import { toFileName } from './file-names'
import { fitsSignature, SIGNATURE_BYTES, toFileType } from './file-types'
import type { UploadTarget } from './upload-limits'
import { mayNotUpload, noFileStore, uploadWords } from './upload-refusal-texts'

/** A stored file as the API answers it (and as attachment fields hold it). */
export interface FileInfo {
  id: string
  name: string
  type: string
  size: number
}

/** What an upload brings: the client's name and type, and the bytes as they arrive. */
export interface UploadInput {
  name: string | undefined
  type: string | undefined
  bytes: AsyncIterable<Uint8Array>
}

/**
 * The store of `ctx`, or 503 where this process keeps no files (an app built without one), in
 * the caller's language.
 */
export function requireStore(ctx: Ctx): FileStore {
  if (!ctx.files) throw noFileStore(ctx)
  return ctx.files
}

/**
 * Streams an upload into the file store and records it as the caller's pending file for
 * `target`: refused with 415 when its type (declared, or from its extension) is not accepted or
 * its first bytes do not fit it, 413 past the size limit, both naming the field. The caller must
 * be able to create or update records of the entity. A write of a record attaches it later.
 * @example await uploadFile(ctx, target, { name: 'contract.pdf', type: 'application/pdf', bytes })
 */
export async function uploadFile(
  ctx: Ctx,
  target: UploadTarget,
  input: UploadInput,
): Promise<FileInfo> {
  requireStore(ctx)
  if (!canAttempt(ctx, target.entity, 'create') && !canAttempt(ctx, target.entity, 'update'))
    throw mayNotUpload(ctx, target.entity)
  const name = toFileName(input.name)
  const type = toFileType(input.type, name)
  const w = uploadWords(ctx, target.entity)
  const refuse = (message: string) =>
    new UnsupportedMediaTypeError(w('notAccepted'), [{ path: target.field, message }])
  if (!target.accepts(type)) throw refuse(w('typeNotAccepted', { type }))
  const hash = createHash('sha256')
  let size = 0
  let head = Buffer.alloc(0)
  async function* counted(): AsyncIterable<Uint8Array> {
    for await (const chunk of input.bytes) {
      size += chunk.length
      if (size > target.maxBytes)
        throw new PayloadTooLargeError(w('tooLarge'), [
          { path: target.field, message: w('tooLargeField', { max: String(target.maxBytes) }) },
        ])
      if (head.length < SIGNATURE_BYTES) {
        head = Buffer.concat([head, chunk]).subarray(0, SIGNATURE_BYTES)
        if (head.length === SIGNATURE_BYTES && !fitsSignature(type, head))
          throw refuse(w('contentNot', { type }))
      }
      hash.update(chunk)
      yield chunk
    }
    if (!size)
      throw new ValidationError(w('empty'), [{ path: target.field, message: w('emptyField') }])
    if (!fitsSignature(type, head)) throw refuse(w('contentNot', { type }))
  }
  return recordFile(
    ctx,
    { name, type, entity: target.entity, field: target.field },
    counted,
    () => ({
      size,
      sha256: hash.digest('hex'),
    }),
  )
}

/**
 * Puts the bytes in the store, then the row in `files`; a failure on the way leaves neither.
 * `measured` is read once the bytes are stored.
 */
export async function recordFile(
  ctx: Ctx,
  file: { name: string; type: string; entity: string | null; field: string | null },
  bytes: () => AsyncIterable<Uint8Array>,
  measured: () => { size: number; sha256: string },
): Promise<FileInfo> {
  const store = requireStore(ctx)
  const id = randomUUID()
  const key = newStorageKey()
  await store.put(key, bytes())
  const { size, sha256 } = measured()
  try {
    await ctx.db.query(
      sql`insert into files (id, owner_id, name, type, size, sha256, storage_key, entity, field,
        created_at)
        values (${id}::uuid, ${ctx.user?.id ?? null}::uuid, ${file.name}, ${file.type}, ${size},
          ${sha256}, ${key}, ${file.entity}, ${file.field},
          ${ctx.clock.now().toISOString()}::timestamptz)`,
    )
  } catch (err) {
    await store.delete(key)
    throw err
  }
  return { id, name: file.name, type: file.type, size }
}
