import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import type { Db } from '../db'
import { DEFAULT_AUTO_NUMBER_PATTERN, parseAutoNumberPattern } from '../records/auto-number'
import { constraintName } from './ddl'
import { APP_SCHEMA, columnName, fieldId, tableName } from './naming'

/*
 * Auto-numbers without date tokens (`CUS-{#####}`) draw from a PostgreSQL sequence per field, so
 * concurrent creates do not queue on one counter row. Numbers never repeat; a create that rolls
 * back leaves a gap (sequences are not transactional). Patterns with {YYYY}/{YY}/{MM}/{DD} reset
 * per period and keep their counter rows in `auto_numbers`.
 *
 * The counter row of period '' is the hand-over point: a new sequence starts after it, and a
 * dropped sequence (field removed or made periodic) writes its last value back into it first.
 * Servers still running an older release keep using the counter row: upgrade them together.
 */

/** Whether a field's numbers come from a sequence: an auto-number without date tokens. */
export function isSequentialAutoNumber(field: Field): boolean {
  if (field.type !== 'autoNumber') return false
  return !parseAutoNumberPattern(field.pattern ?? DEFAULT_AUTO_NUMBER_PATTERN).periodic
}

/** The sequence of an auto-number field (in `app`), derived from table + column. */
export function autoNumberSequenceName(entity: Pick<Entity, 'id'>, field: Pick<Field, 'name'>) {
  return constraintName(tableName(entity), [columnName(field)], 'seq')
}

/** The sequence as `regclass` input text (`"app"."customer_code_seq"`), bound as a parameter. */
export function autoNumberSequenceRef(entity: Pick<Entity, 'id'>, field: Pick<Field, 'name'>) {
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`
  return `${quote(APP_SCHEMA)}.${quote(autoNumberSequenceName(entity, field))}`
}

/** One sequence an entity set implies. */
interface SequenceOf {
  name: string
  entity: string
  field: string
}

function sequencesOf(entities: Entity[]): Map<string, SequenceOf> {
  const found = new Map<string, SequenceOf>()
  for (const entity of entities)
    for (const field of entity.fields.filter(isSequentialAutoNumber)) {
      const name = autoNumberSequenceName(entity, field)
      found.set(name, { name, entity: entity.id, field: fieldId(field) })
    }
  return found
}

const seqRef = (name: string) => sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(name)}`
const seqRegclass = (name: string) =>
  sql`format('%I.%I', ${APP_SCHEMA}::text, ${name}::text)::regclass`

/** CREATE SEQUENCE, started after the field's counter row so no number is issued twice. */
function createStatements(seq: SequenceOf): SQL[] {
  return [
    sql`create sequence if not exists ${seqRef(seq.name)}`,
    sql`select setval(${seqRegclass(seq.name)}, value) from auto_numbers
      where entity = ${seq.entity} and field = ${seq.field} and period = '' and value > 0`,
  ]
}

/** Saves the sequence's last value into the counter row, then drops it. */
function dropStatements(seq: SequenceOf): SQL[] {
  return [
    sql`insert into auto_numbers (entity, field, period, value)
      select ${seq.entity}::text, ${seq.field}::text, '', last_value::int from ${seqRef(seq.name)} where is_called
      on conflict (entity, field, period) do update set value = greatest(auto_numbers.value, excluded.value)`,
    sql`drop sequence if exists ${seqRef(seq.name)}`,
  ]
}

/** One sequence step of a schema plan. */
export interface SequenceStep {
  kind: 'createSequence' | 'renameSequence' | 'dropSequence'
  entity: string
  description: string
  statements: SQL[]
}

/**
 * The steps that give `next` exactly the auto-number sequences it needs. `existing` names the
 * sequences the database has (default: those `applied` implies); missing ones are created even
 * when the metadata did not change, which is how an instance from before sequences gets them.
 * A field renamed keeps its sequence (renamed); sequences the metadata never had are left alone.
 */
export function planSequenceSteps(
  applied: Entity[],
  next: Entity[],
  existing?: Iterable<string>,
): SequenceStep[] {
  const before = sequencesOf(applied)
  const after = sequencesOf(next)
  const have = new Set(existing ?? before.keys())
  const key = (s: SequenceOf) => `${s.entity}\u0000${s.field}`
  const wanted = new Map([...after.values()].map((s) => [key(s), s]))
  const steps: SequenceStep[] = []
  const renamedTo = new Set<string>()
  for (const old of before.values()) {
    if (!have.has(old.name) || after.has(old.name)) continue
    const target = wanted.get(key(old))
    if (target && !have.has(target.name) && !renamedTo.has(target.name)) {
      renamedTo.add(target.name)
      steps.push({
        kind: 'renameSequence',
        entity: old.entity,
        description: `rename auto-number sequence ${old.name} to ${target.name}`,
        statements: [
          sql`alter sequence ${seqRef(old.name)} rename to ${sql.identifier(target.name)}`,
        ],
      })
      continue
    }
    steps.push({
      kind: 'dropSequence',
      entity: old.entity,
      description: `drop auto-number sequence ${old.name} (its last value kept as the counter)`,
      statements: dropStatements(old),
    })
  }
  for (const seq of after.values()) {
    if (have.has(seq.name) || renamedTo.has(seq.name)) continue
    steps.push({
      kind: 'createSequence',
      entity: seq.entity,
      description: `create auto-number sequence ${seq.name}`,
      statements: createStatements(seq),
    })
  }
  return steps
}

/** The names of the sequences in schema `app`. */
export async function listAppSequences(db: Db): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${APP_SCHEMA} and c.relkind = 'S'`,
  )
  return rows.map((r) => r.name)
}
