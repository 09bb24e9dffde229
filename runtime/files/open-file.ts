import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { NotFoundError } from '../errors'
import { hiddenFields } from '../permissions'
import { getRecord } from '../records'
import type { FileInfo } from './upload-file'
import { requireStore } from './upload-file'
import { noSuchFile } from './upload-refusal-texts'

/** A file the caller may read, with its bytes. */
export interface OpenedFile extends FileInfo {
  sha256: string
  bytes: AsyncIterable<Uint8Array>
}

interface FileRow {
  id: string
  owner_id: string
  name: string
  type: string
  size: string | number
  sha256: string
  storage_key: string
  entity: string | null
  record_id: string | null
  field: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * A file with the permissions of the record it belongs to: whoever may read the record and the
 * field holding it may read it; a pending upload only its uploader. Everything else, and a file
 * whose bytes are gone, answers the same 404.
 * @example const file = await openFile(ctx, id) // { id, name, type, size, sha256, bytes }
 */
export async function openFile(ctx: Ctx, id: string): Promise<OpenedFile> {
  if (!UUID.test(id)) throw noSuchFile(ctx, id)
  const [row] = await ctx.db.query<FileRow>(
    sql`select id::text as id, owner_id::text as owner_id, name, type, size, sha256, storage_key,
      entity, record_id::text as record_id, field from files where id = ${id}::uuid`,
  )
  if (!row || !(await mayRead(ctx, row))) throw noSuchFile(ctx, id)
  const bytes = await requireStore(ctx).get(row.storage_key)
  if (!bytes) {
    ctx.log.warn({ fileId: id }, 'file row without bytes in the store')
    throw noSuchFile(ctx, id)
  }
  const { name, type, sha256 } = row
  return { id: row.id, name, type, size: Number(row.size), sha256, bytes }
}

async function mayRead(ctx: Ctx, row: FileRow): Promise<boolean> {
  if (!row.record_id) return row.owner_id === ctx.user?.id
  const entity = row.entity!
  if (!ctx.meta.entities.has(entity)) return false
  try {
    await getRecord(ctx, entity, row.record_id)
  } catch (err) {
    if (err instanceof NotFoundError) return false
    throw err
  }
  const top = (row.field ?? '').split('.')[0]
  return !hiddenFields(ctx, entity)?.has(top)
}
