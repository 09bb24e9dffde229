import { createHash } from 'node:crypto'
import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import { columnType, wantsIndex } from './column-types'
import { dedupExpression, isNormalizedMatch, isTextLike } from './dedup-expression'
import {
  APP_SCHEMA,
  CHILD_COLUMNS,
  SYSTEM_COLUMNS,
  columnName,
  currencyColumnName,
  hasColumn,
  tableName,
} from './naming'

/** `app.<table>` as an identifier pair. */
export function tableRef(entity: Pick<Entity, 'id'>): SQL {
  return sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(entity))}`
}

/** PostgreSQL caps identifiers at 63 bytes; long names keep a hash so they stay unique. */
export function constraintName(table: string, parts: string[], suffix: string): string {
  const name = `${table}_${parts.join('_')}_${suffix}`
  if (name.length <= 63) return name
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8)
  return `${name.slice(0, 50)}_${hash}_${suffix.slice(0, 3)}`
}

/** The column definitions of one field (money has two). */
export function fieldColumnDefs(field: Field, withNotNull: boolean): SQL[] {
  const notNull = withNotNull && field.required ? sql` not null` : sql``
  const defs = [sql`${sql.identifier(columnName(field))} ${sql.raw(columnType(field))}${notNull}`]
  if (field.type === 'money') defs.push(sql`${sql.identifier(currencyColumnName(field))} text`)
  return defs
}

/** CREATE TABLE for a new entity, without foreign keys (added after every table exists). */
export function buildCreateTable(entity: Entity): SQL {
  const cols: SQL[] = [
    sql`${sql.identifier(SYSTEM_COLUMNS.id)} uuid primary key default trellis_uuid7()`,
    sql`${sql.identifier(SYSTEM_COLUMNS.version)} integer not null default 1`,
    sql`${sql.identifier(SYSTEM_COLUMNS.createdAt)} timestamptz not null default now()`,
    sql`${sql.identifier(SYSTEM_COLUMNS.updatedAt)} timestamptz not null default now()`,
    sql`${sql.identifier(SYSTEM_COLUMNS.createdBy)} uuid`,
    sql`${sql.identifier(SYSTEM_COLUMNS.updatedBy)} uuid`,
  ]
  if (entity.childOf) {
    cols.push(sql`${sql.identifier(CHILD_COLUMNS.parentId)} uuid not null`)
    cols.push(sql`${sql.identifier(CHILD_COLUMNS.position)} integer not null default 0`)
  }
  for (const field of entity.fields)
    if (hasColumn(field)) cols.push(...fieldColumnDefs(field, true))
  return sql`create table ${tableRef(entity)} (${sql.join(cols, sql`, `)})`
}

/** The FK target of a field, or null when it has none. */
export function foreignKeyTarget(field: Field): SQL | null {
  if (field.type === 'reference' && field.entity) return tableRef({ id: field.entity })
  if (field.type === 'user') return sql`public.users`
  if (field.type === 'department') return sql`public.departments`
  return null
}

/** ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY for a reference, user or department field. */
export function buildAddForeignKey(entity: Entity, field: Field): SQL | null {
  const target = foreignKeyTarget(field)
  if (!target) return null
  const name = constraintName(tableName(entity), [columnName(field)], 'fkey')
  return sql`alter table ${tableRef(entity)} add constraint ${sql.identifier(name)} foreign key (${sql.identifier(columnName(field))}) references ${target} (id)`
}

/** The parent link of a child entity's table. */
export function buildParentForeignKey(entity: Entity): SQL {
  const name = constraintName(tableName(entity), [CHILD_COLUMNS.parentId], 'fkey')
  return sql`alter table ${tableRef(entity)} add constraint ${sql.identifier(name)} foreign key (${sql.identifier(CHILD_COLUMNS.parentId)}) references ${tableRef({ id: entity.childOf! })} (id) on delete cascade`
}

export interface IndexSpec {
  name: string
  columns: string[]
  unique: boolean
  /** Per column: index its normalised form (de-duplication lookups). */
  normalized?: boolean[]
  /**
   * `trgm`: a GIN index of the columns' trigrams (`gin_trgm_ops`, pg_trgm), which serves search's
   * `ILIKE '%text%'`; absent: a btree.
   */
  method?: 'trgm'
}

/** The spec's access method, for comparing specs: a btree and a trigram index differ. */
export function indexMethod(spec: Pick<IndexSpec, 'method'>): 'btree' | 'trgm' {
  return spec.method ?? 'btree'
}

/** What the database can build: `trigram` false when pg_trgm's operator class is missing. */
export interface IndexAbilities {
  trigram?: boolean
}

/**
 * Every index an entity's metadata implies: keyset sort, references, owner (with the default
 * sort's columns), search, declared, and the trigrams of the text search matches (left out when
 * `trigram` is false: search then scans, slower but right).
 */
export function buildIndexSpecs(
  entity: Entity,
  { trigram = true }: IndexAbilities = {},
  /** Told of a spec left out because another index took its name (`a_b` + `c` vs `a` + `b_c`). */
  onNameTaken?: (kept: IndexSpec, left: IndexSpec) => void,
): IndexSpec[] {
  const table = tableName(entity)
  const specs: IndexSpec[] = []
  // One index per name: the same index implied twice is kept once; a different one is reported.
  const push = (spec: IndexSpec) => {
    const kept = specs.find((s) => s.name === spec.name)
    if (!kept) specs.push(spec)
    else if (onNameTaken && !sameIndex(kept, spec)) onNameTaken(kept, spec)
  }
  const add = (columns: string[], unique: boolean) =>
    push({ name: constraintName(table, columns, unique ? 'key' : 'idx'), columns, unique })
  add([SYSTEM_COLUMNS.createdAt, SYSTEM_COLUMNS.id], false)
  if (entity.childOf) add([CHILD_COLUMNS.parentId, CHILD_COLUMNS.position], false)
  // The 'own' permission scopes compare created_by when the entity has no owner field.
  else if (!entity.ownerField) add([SYSTEM_COLUMNS.createdBy, SYSTEM_COLUMNS.id], false)
  const search = entity.searchFields ?? []
  for (const field of entity.fields) {
    if (!hasColumn(field)) continue
    if (field.unique) add([columnName(field)], true)
    // The owner's index also serves the default sort (-createdAt): a list narrowed to one owner
    // reads an ordered index range however few rows that owner has.
    else if (field.name === entity.ownerField)
      add([columnName(field), SYSTEM_COLUMNS.createdAt, SYSTEM_COLUMNS.id], false)
    else if (wantsIndex(field, search, entity.ownerField))
      add([columnName(field), SYSTEM_COLUMNS.id], false)
  }
  if (entity.titleField) {
    const title = entity.fields.find((f) => f.name === entity.titleField)
    if (title && hasColumn(title) && !title.unique)
      add([columnName(title), SYSTEM_COLUMNS.id], false)
  }
  // De-duplication lookups run on every write: each rule gets an index matching its comparison.
  // Not unique: existing duplicates must not make an apply fail; the write path checks.
  for (const rule of entity.dedup ?? []) {
    const fields = rule.fields.map((name) => entity.fields.find((f) => f.name === name)!)
    const columns = fields.map(columnName)
    const normalized = fields.map((f) => isNormalizedMatch(rule, f))
    const name = constraintName(table, columns, normalized.some(Boolean) ? 'dedup' : 'idx')
    push({ name, columns, unique: false, normalized })
  }
  for (const index of entity.indexes ?? []) {
    const columns = index.fields.map((name) => columnName({ name }))
    add(index.unique ? columns : [...columns], index.unique === true)
  }
  if (trigram) specs.push(...trigramSpecs(entity))
  return specs
}

/** Whether two specs build the same index (columns, uniqueness, normalisation, method). */
function sameIndex(a: IndexSpec, b: IndexSpec): boolean {
  const normalized = (s: IndexSpec) => s.columns.map((_, i) => s.normalized?.[i] ?? false).join()
  return (
    a.columns.join() === b.columns.join() &&
    a.unique === b.unique &&
    normalized(a) === normalized(b) &&
    indexMethod(a) === indexMethod(b)
  )
}

/**
 * A trigram index per text-like field search matches (the title and `searchFields`), so a
 * substring search reads the index instead of the table. Child rows are not searched: none.
 */
function trigramSpecs(entity: Entity): IndexSpec[] {
  if (entity.childOf) return []
  const names = new Set([entity.titleField, ...(entity.searchFields ?? [])])
  return entity.fields
    .filter((f) => names.has(f.name) && hasColumn(f) && isTextLike(f))
    .map((f) => ({
      name: constraintName(tableName(entity), [columnName(f)], 'trgm'),
      columns: [columnName(f)],
      unique: false,
      method: 'trgm' as const,
    }))
}

/**
 * CREATE [UNIQUE] INDEX for a spec (a trigram spec: `using gin (… gin_trgm_ops)`). `concurrently`
 * builds without blocking writes, outside any transaction.
 */
export function buildCreateIndex(
  entity: Entity,
  spec: IndexSpec,
  { concurrently = false } = {},
): SQL {
  const name = sql.identifier(spec.name)
  const how = concurrently ? sql`concurrently ` : sql``
  if (spec.method === 'trgm') {
    const cols = sql.join(
      spec.columns.map((c) => sql`${sql.identifier(c)} gin_trgm_ops`),
      sql`, `,
    )
    return sql`create index ${how}if not exists ${name} on ${tableRef(entity)} using gin (${cols})`
  }
  const cols = sql.join(
    spec.columns.map((c, i) =>
      spec.normalized?.[i]
        ? sql`(${dedupExpression(sql`${sql.identifier(c)}`)})`
        : sql.identifier(c),
    ),
    sql`, `,
  )
  const unique = spec.unique ? sql`unique ` : sql``
  return sql`create ${unique}index ${how}if not exists ${name} on ${tableRef(entity)} (${cols})`
}

/** DROP INDEX by name (in `app`); `concurrently` outside any transaction. */
export function buildDropIndex(name: string, { concurrently = false } = {}): SQL {
  const how = concurrently ? sql`concurrently ` : sql``
  return sql`drop index ${how}if exists ${sql.identifier(APP_SCHEMA)}.${sql.identifier(name)}`
}
