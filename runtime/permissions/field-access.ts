import type { FieldAccess } from '../../metadata/role'
import type { Ctx } from '../context'
import type { MetadataSet } from '../registry'
import { resolveAccess } from './resolve-access'

const everythingWritable = new WeakMap<MetadataSet, Map<string, ReadonlyMap<string, FieldAccess>>>()
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
 * Access per field of the entity for the caller: the widest over the roles that grant it.
 * Without a grant (records reached only through shares or a parent) nothing is hidden.
 * System keys (id, version, createdAt, …) are always readable and never writable.
 */
export function fieldAccess(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
): ReadonlyMap<string, FieldAccess> {
  const access = resolveAccess(ctx)
  if (access.unrestricted) return allWritable(ctx.meta, entityId)
  return access.grants.get(entityId)?.fields ?? allWritable(ctx.meta, entityId)
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
