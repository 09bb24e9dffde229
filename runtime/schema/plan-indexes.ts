import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import {
  buildCreateIndex,
  buildDropIndex,
  buildIndexSpecs,
  indexMethod,
  type IndexSpec,
} from './ddl'
import { APP_SCHEMA, columnName, fieldId, tableName } from './naming'
import type { Step } from './plan'

/** The implied indexes before and after, keyed by what they index (not by name). */
interface IndexDiff {
  before: Map<string, IndexSpec>
  after: Map<string, IndexSpec>
}

// Method first: a btree and a trigram index on one column are two indexes.
const key = (s: IndexSpec, columns = s.columns) =>
  `${indexMethod(s)}:${s.unique}:${s.normalized ?? false}:${columns.join(',')}`

/**
 * Compares the indexes `old` and `next` imply. With `existing` (the index names the database
 * has), only indexes that exist count as before: an implied index the database lacks is created.
 */
function diffIndexes(old: Entity, next: Entity, existing?: ReadonlySet<string>): IndexDiff {
  // Map old column names through renames, so an index on a renamed column is renamed, not rebuilt.
  const renamed = new Map<string, string>()
  for (const f of next.fields) {
    const prev = old.fields.find((p) => fieldId(p) === fieldId(f))
    if (prev && prev.name !== f.name) renamed.set(columnName(prev), columnName(f))
  }
  const before = new Map(
    buildIndexSpecs(old)
      .filter((s) => !existing || existing.has(s.name))
      .map((s) => [
        key(
          s,
          s.columns.map((c) => renamed.get(c) ?? c),
        ),
        s,
      ]),
  )
  const after = new Map(buildIndexSpecs(next).map((s) => [key(s), s]))
  return { before, after }
}

/**
 * The drops of indexes `next` no longer implies. Planned before the column changes: an index
 * must not be rebuilt by a type change that it cannot hold (a trigram index on a column that
 * stops being text would make the change fail).
 */
export function planIndexDrops(
  old: Entity,
  next: Entity,
  step: Step,
  existing?: ReadonlySet<string>,
): void {
  const { before, after } = diffIndexes(old, next, existing)
  const table = tableName(next)
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

/**
 * The new indexes and renames (an index on a renamed column keeps its data) from `old` to
 * `next`, planned after the column changes. With `existing`, only indexes that exist are renamed,
 * and an implied index the database lacks is created again.
 */
export function planIndexChanges(
  old: Entity,
  next: Entity,
  step: Step,
  existing?: ReadonlySet<string>,
): void {
  const { before, after } = diffIndexes(old, next, existing)
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
}
