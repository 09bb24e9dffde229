import type { EntityPlan } from './entity-plan'
import type { RecordData } from './record-data'
import type { Changes } from './write-statements'

/** `{ field: { before, after } }` for the changed fields of a write. */
export function toChanges(changed: string[], record: RecordData, old: RecordData | null): Changes {
  const changes: Changes = {}
  for (const name of changed)
    changes[name] = { before: old ? (old[name] ?? null) : null, after: record[name] ?? null }
  return changes
}

/** The changed fields that have columns (child tables are written apart). */
export function storedChanges(plan: EntityPlan, changed: string[]): string[] {
  return changed.filter((name) => plan.storedByName.has(name))
}
