import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import type { Form } from '../../metadata/form'
import type { Row } from '../db'
import type { Issue } from '../errors'
import { defaultForm, requireEntity, type MetadataSet } from '../registry'
import {
  APP_SCHEMA,
  SYSTEM_COLUMNS,
  columnName,
  currencyColumnName,
  hasColumn,
  tableName,
} from '../schema/naming'
import { autoNumberSequenceRef, isSequentialAutoNumber } from '../schema/auto-number-sequences'
import {
  DEFAULT_AUTO_NUMBER_PATTERN,
  parseAutoNumberPattern,
  type AutoNumberPattern,
} from './auto-number'
import { readMoney, toIsoDateTime, valueReader } from './field-values'
import { freeze, frozenIdentifier } from './frozen-sql'
import { orderFormulas } from './formulas'
import { lookupFields, rewriteLookups } from './lookups'
import type { RecordData } from './record-data'
import { buildRecordSchema, compileRecordValidator, createAjv } from './record-validator'

/** A field with a column (or two, for money), and how to read it from a row. */
export interface StoredField {
  field: Field
  name: string
  columns: string[]
  /** The columns as frozen quoted identifiers. */
  idents: SQL[]
  read(row: Row): unknown
}

export interface ChildTable {
  field: Field
  plan: EntityPlan
}

/**
 * Everything about an entity that the record functions need, computed once per published
 * metadata set: identifiers, the select list, converters, the compiled validator, the formula
 * order. Requests only look it up.
 */
export interface EntityPlan {
  entity: Entity
  meta: MetadataSet
  table: SQL
  stored: StoredField[]
  storedByName: Map<string, StoredField>
  fieldsByName: Map<string, Field>
  /** `id, version, created_at, …, <field columns>` — for child tables with `position` too. */
  selectList: SQL
  childTables: ChildTable[]
  validate(value: unknown): Issue[]
  /** Formula fields in dependency order, var paths through references read from `$ref`. */
  formulas: Field[]
  /** Roll-up fields (computed over related records, see rollups.ts). */
  rollups: Field[]
  /** Reference fields whose records formulas read or fillFrom copies (loaded before a write). */
  lookups: Field[]
  /** Fields filled from a picked reference (`fillFrom`). */
  fills: Field[]
  /** Read-only fields filled from the newest matching row of another entity (latest-from.ts). */
  latest: Field[]
  /** date / datetime / user fields stamped when their `setWhen` rule becomes true. */
  stamps: Field[]
  /** `sequence`: the field's sequence as regclass text; null for per-period counter rows. */
  autoNumbers: {
    field: Field
    pattern: AutoNumberPattern
    raw: string
    sequence: string | null
  }[]
  defaults: { field: Field; value: unknown }[]
  requiredFields: Field[]
  form: Form | undefined
  /** The form has visible/required/readOnly rules: only then are they evaluated per write. */
  hasFormRules: boolean
  titleColumn: string | null
  trackChanges: boolean
  toRecord(row: Row): RecordData
}

interface MetaCache {
  ajv: ReturnType<typeof createAjv>
  plans: Map<string, EntityPlan>
}

/** Keyed by the MetadataSet object: one is built per published version, so this is (version, entity). */
const cache = new WeakMap<MetadataSet, MetaCache>()

/** The plan of an entity (404 naming it when unknown), built on first use per metadata set. */
export function entityPlan(meta: MetadataSet, entityId: string): EntityPlan {
  let perMeta = cache.get(meta)
  if (!perMeta) {
    perMeta = { ajv: createAjv(), plans: new Map() }
    cache.set(meta, perMeta)
  }
  const found = perMeta.plans.get(entityId)
  if (found) return found
  const plan = buildEntityPlan(meta, requireEntity(meta, entityId), perMeta)
  perMeta.plans.set(entityId, plan)
  return plan
}

const SYSTEM_READERS: [string, string, (v: unknown) => unknown][] = [
  ['version', SYSTEM_COLUMNS.version, (v) => (v === null || v === undefined ? null : Number(v))],
  ['createdAt', SYSTEM_COLUMNS.createdAt, toIsoDateTime],
  ['updatedAt', SYSTEM_COLUMNS.updatedAt, toIsoDateTime],
  ['createdBy', SYSTEM_COLUMNS.createdBy, (v) => v ?? null],
  ['updatedBy', SYSTEM_COLUMNS.updatedBy, (v) => v ?? null],
]

function buildEntityPlan(meta: MetadataSet, entity: Entity, perMeta: MetaCache): EntityPlan {
  const stored = entity.fields.filter(hasColumn).map(toStoredField)
  const columns = [
    SYSTEM_COLUMNS.id,
    ...SYSTEM_READERS.map(([, column]) => column),
    ...(entity.childOf ? ['position'] : []),
    ...stored.flatMap((s) => s.columns),
  ]
  const childTables = entity.fields
    .filter((f) => f.type === 'childTable' && f.entity && meta.entities.has(f.entity))
    .map((field) => ({
      field,
      get plan() {
        return entityPlan(meta, field.entity as string)
      },
    }))
  const form = entity.childOf ? undefined : defaultForm(meta, entity.id)
  const title = entity.fields.find((f) => f.name === entity.titleField && hasColumn(f))
  const schema = buildRecordSchema(entity, (id) => meta.entities.get(id))
  return {
    entity,
    meta,
    table: freeze(sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(entity))}`),
    stored,
    storedByName: new Map(stored.map((s) => [s.name, s])),
    fieldsByName: new Map(entity.fields.map((f) => [f.name, f])),
    selectList: freeze(
      sql.join(
        columns.map((c) => sql.identifier(c)),
        sql`, `,
      ),
    ),
    childTables,
    validate: compileRecordValidator(perMeta.ajv, schema),
    formulas: orderFormulas(
      entity.fields.filter((f) => f.type === 'formula' && f.formula !== undefined),
    ).map((f) => ({ ...f, formula: rewriteLookups(entity, f.formula!) })),
    rollups: entity.fields.filter((f) => f.type === 'formula' && f.rollup !== undefined),
    lookups: lookupFields(entity),
    fills: entity.fields.filter((f) => f.fillFrom !== undefined),
    latest: entity.fields.filter((f) => f.latestFrom !== undefined && f.type !== 'formula'),
    stamps: entity.fields.filter((f) => f.setWhen !== undefined),
    autoNumbers: entity.fields
      .filter((f) => f.type === 'autoNumber')
      .map((field) => ({
        field,
        raw: field.pattern ?? DEFAULT_AUTO_NUMBER_PATTERN,
        pattern: parseAutoNumberPattern(field.pattern ?? DEFAULT_AUTO_NUMBER_PATTERN),
        sequence: isSequentialAutoNumber(field) ? autoNumberSequenceRef(entity, field) : null,
      })),
    defaults: entity.fields
      .filter(
        (f) =>
          f.default !== undefined &&
          f.default !== null &&
          f.type !== 'formula' &&
          f.type !== 'autoNumber',
      )
      .map((field) => ({ field, value: field.default })),
    requiredFields: entity.fields.filter(
      (f) => f.required && f.type !== 'formula' && f.type !== 'autoNumber',
    ),
    form,
    hasFormRules: hasRules(form),
    titleColumn: title ? columnName(title) : null,
    trackChanges: entity.trackChanges !== false,
    toRecord: buildToRecord(stored, !entity.childOf),
  }
}

function toStoredField(field: Field): StoredField {
  const column = columnName(field)
  if (field.type === 'money') {
    const currency = currencyColumnName(field)
    const read = (row: Row) => readMoney(row[column], row[currency])
    return {
      field,
      name: field.name,
      columns: [column, currency],
      idents: [frozenIdentifier(column), frozenIdentifier(currency)],
      read,
    }
  }
  const reader = valueReader(field)
  return {
    field,
    name: field.name,
    columns: [column],
    idents: [frozenIdentifier(column)],
    read: (row) => reader(row[column]),
  }
}

/**
 * Row (snake_case columns, any driver or json_agg) → API record: id, fields, then system keys.
 * Child rows carry only id and fields: they are replaced as a whole with their parent.
 * Each record starts as a copy of one with every key already in place: an object given more than
 * a dozen keys one by one turns into a slow dictionary, which every later read, copy or spread of
 * the record pays for (a spread of one costs several microseconds).
 */
function buildToRecord(stored: StoredField[], withSystemKeys: boolean): (row: Row) => RecordData {
  const keys: RecordData = { id: null }
  for (const s of stored) keys[s.name] = null
  if (withSystemKeys) for (const [key] of SYSTEM_READERS) keys[key] = null
  // A spread's copy has fast properties, whatever the source had.
  const shape = { ...keys }
  return (row) => {
    const record: RecordData = { ...shape }
    record.id = row.id
    for (const s of stored) record[s.name] = s.read(row)
    if (withSystemKeys)
      for (const [key, column, read] of SYSTEM_READERS) record[key] = read(row[column])
    return record
  }
}

function hasRules(form: Form | undefined): boolean {
  for (const tab of form?.tabs ?? []) {
    for (const section of tab.sections) {
      for (const f of section.fields) {
        if (f.visible !== undefined || f.required !== undefined || f.readOnly !== undefined)
          return true
      }
    }
  }
  return false
}
