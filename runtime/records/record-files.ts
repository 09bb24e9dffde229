import { sql } from 'drizzle-orm'
import type { Field } from '../../metadata/field'
import type { Ctx } from '../context'
import { ValidationError } from '../errors'
import type { EntityPlan } from './entity-plan'
import { isUuid, type RecordData } from './record-data'

/** What an attachment field stores for one file: its id, and what the files table says of it. */
export interface StoredFile {
  id: string
  name: string
  type: string
  size: number
}

/** One file a write puts on the record: where in the body, which field (`lines.receipt`). */
interface FileUse {
  path: string
  field: string
  id: string
}

/**
 * The answer for a file the caller may not attach: word for word the answer for an id that
 * does not exist, so a 422 tells nothing about other people's uploads.
 */
function fileNotFound(path: string): ValidationError {
  return new ValidationError('An attached file does not exist', [
    { path, message: 'refers to a file that does not exist' },
  ])
}

const isFileField = (field: Field) => field.type === 'attachment' || field.type === 'attachments'

/** Whether a patch sets an attachment field (the update then takes the path that reads first). */
export function patchesFiles(plan: EntityPlan, patch: RecordData): boolean {
  return Object.keys(patch).some((key) => {
    const field = plan.fieldsByName.get(key)
    return field !== undefined && isFileField(field)
  })
}

/** The file ids a value holds, with their paths (`documents[1]`), skipping malformed items. */
function idsOf(field: Field, value: unknown, path: string): { path: string; id: string }[] {
  const items = field.type === 'attachments' ? (Array.isArray(value) ? value : []) : [value]
  return items.flatMap((item, i) => {
    const id = (item as { id?: unknown } | null)?.id
    const at = field.type === 'attachments' ? `${path}[${i}]` : path
    return isUuid(id) ? [{ path: `${at}.id`, id: id.toLowerCase() }] : []
  })
}

/** Every file the record holds in attachment fields, its child rows' included. */
function fileUses(plan: EntityPlan, record: RecordData | null): FileUse[] {
  if (!record) return []
  const uses: FileUse[] = []
  for (const { field } of plan.stored)
    if (isFileField(field))
      for (const use of idsOf(field, record[field.name], field.name))
        uses.push({ ...use, field: field.name })
  for (const child of plan.childTables) {
    const rows = record[child.field.name]
    if (!Array.isArray(rows)) continue
    for (const { field } of child.plan.stored) {
      if (!isFileField(field)) continue
      rows.forEach((row: RecordData | null, i) => {
        for (const use of idsOf(
          field,
          row?.[field.name],
          `${child.field.name}[${i}].${field.name}`,
        ))
          uses.push({ ...use, field: `${child.field.name}.${field.name}` })
      })
    }
  }
  return uses
}

/**
 * Checks the files a write puts on a record and stores what the files table says of each (name,
 * type, size: never what the client sent). A file the record held before is kept as it was; a
 * new one must be the caller's own upload, for this entity and field, not yet attached anywhere:
 * anything else answers 422 exactly as an unknown id. Answers the files to attach.
 * @example const uses = await resolveFiles(ctx, plan, record, old)
 */
export async function resolveFiles(
  ctx: Ctx,
  plan: EntityPlan,
  record: RecordData,
  old: RecordData | null,
): Promise<FileUse[]> {
  const held = new Map<string, StoredFile>()
  for (const use of fileUses(plan, old)) held.set(use.id, findStored(old!, use.path))
  const uses = fileUses(plan, record)
  const added = uses.filter((u) => !held.has(u.id))
  const seen = new Set<string>()
  for (const use of uses) {
    if (seen.has(use.id)) throw fileNotFound(use.path)
    seen.add(use.id)
  }
  const found = new Map<string, StoredFile>(held)
  if (added.length) {
    const rows = await pendingFiles(ctx, plan, added)
    for (const use of added) {
      const row = rows.get(use.id)
      if (!row || (row.field !== null && row.field !== use.field)) throw fileNotFound(use.path)
      found.set(use.id, { id: row.id, name: row.name, type: row.type, size: Number(row.size) })
    }
  }
  for (const use of uses) replaceAt(record, use.path, found.get(use.id)!)
  return added
}

/** The caller's pending uploads among `uses`, for this entity (or stored by the runtime). */
async function pendingFiles(ctx: Ctx, plan: EntityPlan, uses: FileUse[]) {
  const ids = sql.join(
    uses.map((u) => sql`${u.id}::uuid`),
    sql`, `,
  )
  const rows = await ctx.db.query<StoredFile & { field: string | null }>(
    sql`select id::text as id, name, type, size, field from files
      where id in (${ids}) and record_id is null and owner_id = ${ctx.user?.id ?? null}::uuid
        and (entity is null or entity = ${plan.entity.id})`,
  )
  return new Map(rows.map((r) => [r.id, r]))
}

/**
 * Marks the files of a write as the record's, in its transaction. An upload attached by another
 * write since `resolveFiles` read it makes the statement miss: 422, the write rolls back.
 */
export async function attachFiles(
  ctx: Ctx,
  plan: EntityPlan,
  recordId: string,
  uses: FileUse[],
): Promise<void> {
  for (const use of uses) {
    const rows = await ctx.db.query(
      sql`update files set entity = ${plan.entity.id}, record_id = ${recordId}::uuid,
        field = ${use.field}, attached_at = ${ctx.clock.now().toISOString()}::timestamptz
        where id = ${use.id}::uuid and record_id is null returning id`,
    )
    if (!rows.length) throw fileNotFound(use.path)
  }
}

/** The value at a `documents[1].id`-style path's parent, as stored. */
function findStored(record: RecordData, idPath: string): StoredFile {
  return walk(record, idPath.replace(/\.id$/, '')).get() as StoredFile
}

function replaceAt(record: RecordData, idPath: string, value: StoredFile): void {
  walk(record, idPath.replace(/\.id$/, '')).set({ ...value })
}

/** Getter and setter of the value at a path such as `lines[0].receipt[2]`. */
function walk(root: RecordData, path: string) {
  const keys = path.split(/\.|\[|\]\.?/).filter((k) => k !== '')
  const last = keys.pop()!
  let at: Record<string, unknown> = root
  for (const key of keys) at = at[key] as Record<string, unknown>
  return { get: () => at[last], set: (value: unknown) => (at[last] = value) }
}
