import type { MetadataBundle } from './metadata-set'
import { BUNDLE_KINDS, type BundleKind } from './published'

/** One definition a publish would add, change or remove. */
export interface DefinitionChange {
  kind: BundleKind
  id: string
  change: 'add' | 'change' | 'remove'
}

/** A definition's body as versions compare it: published version numbers are not part of it. */
export function toComparableBody(kind: BundleKind, def: { version?: unknown }): unknown {
  if (kind === 'package') return def
  const { version: _v, ...body } = def
  return body
}

/** JSON with sorted keys: jsonb does not keep key order, so equality must not depend on it. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  )
}

/**
 * The definitions that differ between two bundles, kind by kind, the way a publish records new
 * versions. Pure.
 * @example diffBundles(installed, merged) // [{ kind: 'entity', id: 'customer', change: 'change' }]
 */
export function diffBundles(before: MetadataBundle, after: MetadataBundle): DefinitionChange[] {
  const changes: DefinitionChange[] = []
  for (const [kind, key] of Object.entries(BUNDLE_KINDS) as [BundleKind, keyof MetadataBundle][]) {
    const body = (def: { version?: unknown }) => canonicalJson(toComparableBody(kind, def))
    const old = new Map(
      ((before[key] ?? []) as { id: string; version?: unknown }[]).map((d) => [d.id, body(d)]),
    )
    const seen = new Set<string>()
    for (const def of (after[key] ?? []) as { id: string; version?: unknown }[]) {
      seen.add(def.id)
      const prev = old.get(def.id)
      if (prev === undefined) changes.push({ kind, id: def.id, change: 'add' })
      else if (prev !== body(def)) changes.push({ kind, id: def.id, change: 'change' })
    }
    for (const id of old.keys()) if (!seen.has(id)) changes.push({ kind, id, change: 'remove' })
  }
  return changes
}
