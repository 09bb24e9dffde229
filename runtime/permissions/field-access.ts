import type { FieldAccess } from '../../metadata/role'
import type { Ctx } from '../context'
import type { MetadataSet } from '../registry'
import { hideFormulasOverHidden } from './formula-access'
import { FIELD_ACCESS_RANK, resolveAccess } from './resolve-access'

const everythingWritable = new WeakMap<MetadataSet, Map<string, ReadonlyMap<string, FieldAccess>>>()
const withoutGrant = new WeakMap<MetadataSet, Map<string, ReadonlyMap<string, FieldAccess>>>()
const hiddenCache = new WeakMap<ReadonlyMap<string, FieldAccess>, ReadonlySet<string> | null>()

/** Every field of the entity writable: administrators, and entities no role restricts. */
function allWritable(meta: MetadataSet, entityId: string): ReadonlyMap<string, FieldAccess> {
  let perMeta = everythingWritable.get(meta)
  if (!perMeta) everythingWritable.set(meta, (perMeta = new Map()))
  let map = perMeta.get(entityId)
  if (!map) {
    const fields = meta.entities.get(entityId)?.fields ?? []
    map = new Map(fields.map((f) => [f.name, 'write' as const]))
    perMeta.set(entityId, map)
  }
  return map
}

/**
 * Access per field for a caller no role speaks for on the entity, who reaches its records only
 * through a share or their parent: each field as narrow as the narrowest rule any role gives it
 * (a field some role may not read stays hidden, one some role may only read is read-only), and
 * formulas over hidden fields hidden. With no rule anywhere, every field is writable.
 */
function ungrantedAccess(meta: MetadataSet, entityId: string): ReadonlyMap<string, FieldAccess> {
  let perMeta = withoutGrant.get(meta)
  if (!perMeta) withoutGrant.set(meta, (perMeta = new Map()))
  let map = perMeta.get(entityId)
  if (!map) {
    const narrowest = new Map(allWritable(meta, entityId))
    for (const role of meta.roles.values()) {
      for (const grant of role.grants) {
        if (grant.entity !== entityId) continue
        for (const [name, access] of Object.entries(grant.fields ?? {})) {
          const before = narrowest.get(name)
          if (before !== undefined && FIELD_ACCESS_RANK[access] < FIELD_ACCESS_RANK[before])
            narrowest.set(name, access)
        }
      }
    }
    // Kept first without the formula step: a child that led back here would find it, not loop.
    perMeta.set(entityId, narrowest)
    const hiddenOf = (id: string) =>
      new Set([...ungrantedAccess(meta, id)].filter(([, a]) => a === 'none').map(([name]) => name))
    const entity = meta.entities.get(entityId)
    map = entity ? hideFormulasOverHidden(entity, narrowest, hiddenOf) : narrowest
    perMeta.set(entityId, map)
  }
  return map
}

/**
 * Access per field of the entity for the caller: the widest over the roles that grant it.
 * Without a grant (records reached only through shares or a parent), the narrowest any role
 * gives (`ungrantedAccess`): sharing a record never uncovers a field roles keep hidden.
 * System keys (id, version, createdAt, …) are always readable and never writable.
 */
export function fieldAccess(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
): ReadonlyMap<string, FieldAccess> {
  const access = resolveAccess(ctx)
  if (access.unrestricted) return allWritable(ctx.meta, entityId)
  return access.grants.get(entityId)?.fields ?? ungrantedAccess(ctx.meta, entityId)
}

/** The fields the caller may not read, or null when every field is readable (cached). */
export function hiddenFields(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
): ReadonlySet<string> | null {
  const fields = fieldAccess(ctx, entityId)
  let hidden = hiddenCache.get(fields)
  if (hidden === undefined) {
    const names = [...fields].filter(([, a]) => a === 'none').map(([name]) => name)
    hidden = names.length ? new Set(names) : null
    hiddenCache.set(fields, hidden)
  }
  return hidden
}

/** The record without its hidden fields (the same object when nothing is hidden). */
export function stripHidden<T extends Record<string, unknown>>(
  hidden: ReadonlySet<string> | null,
  record: T,
): T {
  if (!hidden) return record
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(record)) if (!hidden.has(key)) out[key] = record[key]
  return out as T
}
