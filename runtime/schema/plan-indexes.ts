import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import {
  buildCreateIndex,
  buildDropIndex,
  buildIndexSpecs,
  indexMethod,
  type IndexSpec,
} from './ddl'
import { APP_SCHEMA, columnName, fieldId, hasColumn, tableName } from './naming'
import type { Step } from './plan'

/** What the database has, for index planning; absent: the applied metadata is the truth. */
export interface IndexState {
  /** Valid indexes of schema `app`. */
  valid: ReadonlySet<string>
  /** Leftovers of failed concurrent builds: dropped before their index is built again. */
  invalid: ReadonlySet<string>
  /** Whether pg_trgm's operator class exists; without it no trigram index is planned. */
  trigram: boolean
}

/** The implied indexes before and after, keyed by what they index (not by name). */
interface IndexDiff {
  before: Map<string, IndexSpec>
  after: Map<string, IndexSpec>
}

// Method first: a btree and a trigram index on one column are two indexes.
const key = (s: IndexSpec, columns = s.columns) =>
  `${indexMethod(s)}:${s.unique}:${s.normalized ?? false}:${columns.join(',')}`

/**
 * Compares the indexes `old` and `next` imply. With `state`, only indexes that exist count as
 * before: an implied index the database lacks is created. Without pg_trgm, trigram indexes are
 * left out on both sides: none is planned, and one that somehow exists is left alone.
 */
function diffIndexes(old: Entity, next: Entity, state?: IndexState): IndexDiff {
  // Map old column names through renames, so an index on a renamed column is renamed, not rebuilt.
  const renamed = new Map<string, string>()
  for (const f of next.fields) {
    const prev = old.fields.find((p) => fieldId(p) === fieldId(f))
    if (prev && prev.name !== f.name) renamed.set(columnName(prev), columnName(f))
  }
  const abilities = { trigram: state?.trigram ?? true }
  const before = new Map(
    buildIndexSpecs(old, abilities)
      .filter((s) => !state || state.valid.has(s.name))
      .map((s) => [
        key(
          s,
          s.columns.map((c) => renamed.get(c) ?? c),
        ),
        s,
      ]),
  )
  const after = new Map(buildIndexSpecs(next, abilities).map((s) => [key(s), s]))
  return { before, after }
}

/** The one metadata field an index is about (`code` for `customer_code_key`), if just one. */
export function indexField(entity: Entity, spec: IndexSpec): string | undefined {
  const fields = entity.fields.filter((f) => hasColumn(f) && spec.columns.includes(columnName(f)))
  return fields.length === 1 ? fields[0].name : undefined
}

/** Creates a spec's index; an invalid leftover of the same name goes first (else: no-op). */
export function planCreateIndex(
  entity: Entity,
  spec: IndexSpec,
  step: Step,
  state?: IndexState,
): void {
  const create = buildCreateIndex(entity, spec)
  const statements = state?.invalid.has(spec.name) ? [buildDropIndex(spec.name), create] : [create]
  const description = `${spec.unique ? 'unique ' : ''}index ${spec.name}`
  step('createIndex', indexField(entity, spec), description, false, ...statements)
}

/**
 * The drops of indexes `next` no longer implies. Planned before the column changes: an index
 * must not be rebuilt by a type change that it cannot hold (a trigram index on a column that
 * stops being text would make the change fail).
 */
export function planIndexDrops(old: Entity, next: Entity, step: Step, state?: IndexState): void {
  const { before, after } = diffIndexes(old, next, state)
  const table = tableName(next)
  for (const [k, spec] of before) {
    if (!after.has(k))
      step(
        'dropIndex',
        indexField(old, spec),
        `drop index ${spec.name} of ${table}`,
        false,
        buildDropIndex(spec.name),
      )
  }
}

/**
 * The new indexes and renames (an index on a renamed column keeps its data) from `old` to
 * `next`, planned after the column changes. With `state`, only indexes that exist are renamed,
 * and an implied index the database lacks is created again.
 */
export function planIndexChanges(old: Entity, next: Entity, step: Step, state?: IndexState): void {
  const { before, after } = diffIndexes(old, next, state)
  for (const [k, spec] of after) {
    const prev = before.get(k)
    if (!prev) planCreateIndex(next, spec, step, state)
    else if (prev.name !== spec.name) {
      const rename = sql`alter index ${sql.identifier(APP_SCHEMA)}.${sql.identifier(prev.name)} rename to ${sql.identifier(spec.name)}`
      const statements = state?.invalid.has(spec.name)
        ? [buildDropIndex(spec.name), rename]
        : [rename]
      const description = `rename index ${prev.name} to ${spec.name}`
      step('createIndex', indexField(next, spec), description, false, ...statements)
    }
  }
}
