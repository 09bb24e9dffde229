import { createHash } from 'node:crypto'
import type { Ctx } from '../context'
import { toFileName } from './file-names'
import { toFileType } from './file-types'
import { recordFile } from './upload-file'

/** A file the runtime makes itself (a printed PDF), whole in memory. */
export interface StoreFileInput {
  name: string
  type: string
  bytes: Uint8Array
  /** The entity and attachment field it is meant for; absent: any attachment field. */
  entity?: string
  field?: string
}

/**
 * Stores bytes the runtime made as a pending file of `ctx.user` and answers its id. Put
 * `{ id }` in an attachment field of a record write by the same user to attach it; unattached
 * files are swept after a day. No upload limits apply: the caller is trusted code.
 * @example
 * const id = await storeFile(ctx, { name: 'Q-2026-0001.pdf', type: 'application/pdf', bytes: pdf })
 * await updateRecord(ctx, 'quote', quoteId, { printouts: [...old, { id }] }, version)
 */
export async function storeFile(ctx: Ctx, input: StoreFileInput): Promise<string> {
  const name = toFileName(input.name)
  const bytes = Buffer.from(input.bytes)
  const file = {
    name,
    type: toFileType(input.type, name),
    entity: input.entity ?? null,
    field: input.entity ? (input.field ?? null) : null,
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const saved = await recordFile(
    ctx,
    file,
    async function* () {
      yield bytes
    },
    () => ({ size: bytes.length, sha256 }),
  )
  return saved.id
}
