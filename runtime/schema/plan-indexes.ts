import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import { buildCreateIndex, buildDropIndex, buildIndexSpecs } from './ddl'
import { APP_SCHEMA, columnName, fieldId, tableName } from './naming'
import type { Step } from './plan'

/**
 * The index steps from `old` to `next`: new indexes, renames (an index on a renamed column keeps
 * its data) and drops. With `existing` (the index names the database has), only indexes that
 * exist are renamed or dropped, and an implied index the database lacks is created again.
 */
export function planIndexChanges(
  old: Entity,
  next: Entity,
  step: Step,
  existing?: ReadonlySet<string>,
): void {
  // Map old column names through renames, so an index on a renamed column is renamed, not rebuilt.
  const renamed = new Map<string, string>()
  for (const f of next.fields) {
    const prev = old.fields.find((p) => fieldId(p) === fieldId(f))
    if (prev && prev.name !== f.name) renamed.set(columnName(prev), columnName(f))
  }
  const key = (columns: string[], unique: boolean, normalized?: boolean[]) =>
    `${unique}:${normalized ?? false}:${columns.join(',')}`
  const before = new Map(
    buildIndexSpecs(old)
      .filter((s) => !existing || existing.has(s.name))
      .map((s) => [
        key(
          s.columns.map((c) => renamed.get(c) ?? c),
          s.unique,
          s.normalized,
        ),
        s,
      ]),
  )
  const after = new Map(
    buildIndexSpecs(next).map((s) => [key(s.columns, s.unique, s.normalized), s]),
  )
  const table = tableName(next)
  for (const [k, spec] of after) {
    const prev = before.get(k)
    if (!prev) {
      step(
        'createIndex',
        undefined,
        `${spec.unique ? 'unique ' : ''}index ${spec.name}`,
        false,
        buildCreateIndex(next, spec),
      )
    } else if (prev.name !== spec.name) {
      step(
        'createIndex',
        undefined,
        `rename index ${prev.name} to ${spec.name}`,
        false,
        sql`alter index ${sql.identifier(APP_SCHEMA)}.${sql.identifier(prev.name)} rename to ${sql.identifier(spec.name)}`,
      )
    }
  }
  for (const [k, spec] of before) {
    if (!after.has(k))
      step(
        'dropIndex',
        undefined,
        `drop index ${spec.name} of ${table}`,
        false,
        buildDropIndex(spec.name),
      )
  }
}
