import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ValidationError } from '../errors'
import { scopePredicate } from '../permissions'
import { entityPlan, type EntityPlan } from './entity-plan'
import { ROW_ALIAS } from './record-access'
import { isUuid, type RecordData } from './record-data'

/** One reference a write sets: where it sits in the body, the target entity and the id. */
interface ReferenceUse {
  path: string
  entity: string
  id: string
}

/**
 * The answer for a reference to a record the caller may not read: word for word the answer for
 * an id that does not exist (the foreign key's, see write-errors.ts), so a 422 tells nothing
 * about records outside the caller's reach.
 */
export function referenceNotFound(path: string): ValidationError {
  return new ValidationError('A referenced record does not exist', [
    { path, message: 'refers to a record that does not exist' },
  ])
}

/**
 * Whether a patch sets a reference whose target the caller reads only in part: then the update
 * needs the old record (to tell a new reference from one kept) and the check below.
 */
export function patchesRestrictedReference(ctx: Ctx, plan: EntityPlan, patch: RecordData): boolean {
  return Object.keys(patch).some((key) => {
    const field = plan.storedByName.get(key)?.field
    return field?.type === 'reference' && scopePredicate(ctx, field.entity!, 'read') !== null
  })
}

/**
 * 422 for a reference (on the record or in a child row) to a record the caller may not read,
 * exactly as for a missing id. Only references the write sets are checked: an update keeps a
 * reference it does not change (and a child row one the old rows held) even when its target
 * left the caller's reach since. Unrestricted callers (admins, the system) are left to the
 * foreign key alone. User and department fields are people and units, not records: not checked.
 * @example await assertReadableReferences(ctx, plan, record, old, changed)
 */
export async function assertReadableReferences(
  ctx: Ctx,
  plan: EntityPlan,
  record: RecordData,
  old: RecordData | null,
  changed: readonly string[],
): Promise<void> {
  const byEntity = new Map<string, ReferenceUse[]>()
  for (const use of referencesSet(plan, record, old, changed)) {
    const uses = byEntity.get(use.entity) ?? []
    byEntity.set(use.entity, [...uses, use])
  }
  for (const [entityId, uses] of byEntity) {
    const read = scopePredicate(ctx, entityId, 'read', { alias: ROW_ALIAS })
    if (!read) continue
    const target = entityPlan(ctx.meta, entityId)
    const ids = [...new Set(uses.map((u) => u.id.toLowerCase()))]
    const t = sql.identifier(ROW_ALIAS)
    const list = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )
    const rows = await ctx.db.query<{ id: string }>(
      sql`select ${t}.id::text as id from ${target.table} ${t}
        where ${t}.id in (${list}) and coalesce(${read}, false)`,
    )
    const readable = new Set(rows.map((r) => r.id))
    const denied = uses.find((u) => !readable.has(u.id.toLowerCase()))
    if (denied) throw referenceNotFound(denied.path)
  }
}

/** The references `record` sets that `old` did not hold (all of them on create). */
function referencesSet(
  plan: EntityPlan,
  record: RecordData,
  old: RecordData | null,
  changed: readonly string[],
): ReferenceUse[] {
  const uses: ReferenceUse[] = []
  for (const { field } of plan.stored) {
    if (field.type !== 'reference' || !field.entity) continue
    if (old && !changed.includes(field.name)) continue
    const id = record[field.name]
    if (isUuid(id)) uses.push({ path: field.name, entity: field.entity, id })
  }
  for (const child of plan.childTables) {
    const name = child.field.name
    if (old && !changed.includes(name)) continue
    const rows = (record[name] as RecordData[] | null | undefined) ?? []
    const oldRows = ((old?.[name] as RecordData[] | null | undefined) ?? []).filter(Boolean)
    for (const { field } of child.plan.stored) {
      if (field.type !== 'reference' || !field.entity) continue
      const kept = new Set(oldRows.map((r) => String(r[field.name]).toLowerCase()))
      rows.forEach((row, i) => {
        const id = row?.[field.name]
        if (isUuid(id) && !kept.has(id.toLowerCase()))
          uses.push({ path: `${name}[${i}].${field.name}`, entity: field.entity!, id })
      })
    }
  }
  return uses
}
