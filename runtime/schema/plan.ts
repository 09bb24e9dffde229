import { sql, type SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import { planSequenceSteps } from './auto-number-sequences'
import { planIndexChanges, planIndexDrops } from './plan-indexes'
import { columnType } from './column-types'
import {
  buildAddForeignKey,
  buildCreateIndex,
  buildCreateTable,
  buildIndexSpecs,
  buildParentForeignKey,
  constraintName,
  fieldColumnDefs,
  foreignKeyTarget,
  tableRef,
} from './ddl'
import { columnName, currencyColumnName, fieldId, hasColumn, tableName } from './naming'

export type StepKind =
  | 'createTable'
  | 'dropTable'
  | 'addColumn'
  | 'renameColumn'
  | 'alterColumnType'
  | 'setNotNull'
  | 'dropNotNull'
  | 'dropColumn'
  | 'createIndex'
  | 'dropIndex'
  | 'addForeignKey'
  | 'dropForeignKey'
  | 'createSequence'
  | 'renameSequence'
  | 'dropSequence'

/** One readable step of a plan, as the API and the CLI show it. */
export interface PlanStepView {
  kind: StepKind
  entity: string
  field?: string
  description: string
  destructive: boolean
  sql: string
}

/** A readable diff between the published schema and the next one. */
export interface SchemaPlan {
  steps: PlanStepView[]
  destructive: boolean
}

/** A plan plus the statements that carry it out. */
export interface ExecutablePlan {
  plan: SchemaPlan
  statements: SQL[]
}

const dialect = new PgDialect()

/** The sequences and indexes schema `app` really has (listExistingObjects). */
export interface ExistingObjects {
  sequences: Iterable<string>
  indexes: Iterable<string>
}

/**
 * Compares two sets of entities and returns the steps that turn one schema into the other. Pure.
 * `existing` (what schema `app` really has) lets the plan create the auto-number sequences and
 * the indexes the metadata implies but the database lacks — an instance from an older release,
 * or an index dropped by hand; without it the applied metadata is taken as the truth.
 */
export function buildSchemaPlan(
  applied: Entity[],
  next: Entity[],
  existing?: ExistingObjects,
): ExecutablePlan {
  const indexes = existing && new Set(existing.indexes)
  const steps: { view: Omit<PlanStepView, 'sql'>; statements: SQL[] }[] = []
  const push = (view: Omit<PlanStepView, 'sql'>, ...statements: SQL[]) =>
    steps.push({ view, statements })
  const before = new Map(applied.map((e) => [e.id, e]))
  const after = new Map(next.map((e) => [e.id, e]))
  const created = next.filter((e) => !before.has(e.id))

  // Tables first (parents before children does not matter: keys come after every table exists).
  for (const entity of created) {
    push(
      {
        kind: 'createTable',
        entity: entity.id,
        description: `create table for ${entity.id}`,
        destructive: false,
      },
      buildCreateTable(entity),
    )
  }
  for (const entity of next) {
    const old = before.get(entity.id)
    if (old) planEntityChanges(old, entity, push, indexes)
  }
  for (const entity of created) {
    if (entity.childOf)
      push(
        {
          kind: 'addForeignKey',
          entity: entity.id,
          description: `link ${entity.id} rows to their ${entity.childOf}`,
          destructive: false,
        },
        buildParentForeignKey(entity),
      )
    for (const field of entity.fields) {
      const fk = buildAddForeignKey(entity, field)
      if (fk)
        push(
          {
            kind: 'addForeignKey',
            entity: entity.id,
            field: field.name,
            description: `reference from ${entity.id}.${field.name}`,
            destructive: false,
          },
          fk,
        )
    }
    for (const spec of buildIndexSpecs(entity)) {
      push(
        {
          kind: 'createIndex',
          entity: entity.id,
          description: `index ${spec.name}`,
          destructive: false,
        },
        buildCreateIndex(entity, spec),
      )
    }
  }
  for (const old of applied) {
    if (after.has(old.id)) continue
    push(
      {
        kind: 'dropTable',
        entity: old.id,
        description: `drop table ${tableName(old)} and all its rows`,
        destructive: true,
      },
      sql`drop table ${tableRef(old)} cascade`,
    )
  }
  for (const step of planSequenceSteps(applied, next, existing?.sequences)) {
    const { statements, ...view } = step
    push({ ...view, destructive: false }, ...statements)
  }
  const views = steps.map((s) => ({
    ...s.view,
    sql: s.statements.map((q) => dialect.sqlToQuery(q).sql).join(';\n'),
  }))
  return {
    plan: { steps: views, destructive: views.some((s) => s.destructive) },
    statements: steps.flatMap((s) => s.statements),
  }
}

type Push = (view: Omit<PlanStepView, 'sql'>, ...statements: SQL[]) => void

function planEntityChanges(
  old: Entity,
  next: Entity,
  push: Push,
  indexes: ReadonlySet<string> | undefined,
): void {
  const table = tableRef(next)
  const oldFields = new Map(old.fields.filter(hasColumn).map((f) => [fieldId(f), f]))
  const nextIds = new Set<string>()
  const step = (
    kind: StepKind,
    field: string | undefined,
    description: string,
    destructive: boolean,
    ...statements: SQL[]
  ) => push({ kind, entity: next.id, field, description, destructive }, ...statements)

  planIndexDrops(old, next, step, indexes)
  for (const field of next.fields.filter(hasColumn)) {
    const id = fieldId(field)
    nextIds.add(id)
    const prev = oldFields.get(id)
    if (!prev) {
      // Added columns are nullable: NOT NULL on a populated table would need a rewrite; the API
      // enforces `required` for every new write.
      const defs = fieldColumnDefs(field, false).map((d) => sql`add column ${d}`)
      step(
        'addColumn',
        field.name,
        `add ${field.type} field ${field.name}`,
        false,
        sql`alter table ${table} ${sql.join(defs, sql`, `)}`,
      )
      const fk = buildAddForeignKey(next, field)
      if (fk)
        step('addForeignKey', field.name, `reference from ${next.id}.${field.name}`, false, fk)
      continue
    }
    planFieldChanges(next, prev, field, step)
  }
  for (const [id, prev] of oldFields) {
    if (nextIds.has(id)) continue
    const cols = [sql`drop column ${sql.identifier(columnName(prev))}`]
    if (prev.type === 'money')
      cols.push(sql`drop column ${sql.identifier(currencyColumnName(prev))}`)
    step(
      'dropColumn',
      prev.name,
      `drop field ${prev.name} and its data`,
      true,
      sql`alter table ${table} ${sql.join(cols, sql`, `)}`,
    )
  }
  planIndexChanges(old, next, step, indexes)
}

export type Step = (
  kind: StepKind,
  field: string | undefined,
  description: string,
  destructive: boolean,
  ...statements: SQL[]
) => void

function planFieldChanges(entity: Entity, prev: Field, field: Field, step: Step): void {
  const table = tableRef(entity)
  if (prev.name !== field.name) {
    const renames = [
      sql`alter table ${table} rename column ${sql.identifier(columnName(prev))} to ${sql.identifier(columnName(field))}`,
    ]
    if (prev.type === 'money' && field.type === 'money') {
      renames.push(
        sql`alter table ${table} rename column ${sql.identifier(currencyColumnName(prev))} to ${sql.identifier(currencyColumnName(field))}`,
      )
    }
    step(
      'renameColumn',
      field.name,
      `rename field ${prev.name} to ${field.name} (data kept)`,
      false,
      ...renames,
    )
  }
  const col = sql.identifier(columnName(field))
  const oldType = columnType(prev)
  const newType = columnType(field)
  if (oldType !== newType) {
    step(
      'alterColumnType',
      field.name,
      `change ${field.name} from ${oldType} to ${newType}; values that do not convert make the apply fail`,
      true,
      sql`alter table ${table} alter column ${col} type ${sql.raw(newType)} using ${col}::${sql.raw(newType)}`,
    )
  }
  if ((prev.type === 'money') !== (field.type === 'money')) {
    const cur = sql.identifier(currencyColumnName(field))
    if (field.type === 'money')
      step(
        'addColumn',
        field.name,
        `add currency of ${field.name}`,
        false,
        sql`alter table ${table} add column ${cur} text`,
      )
    else
      step(
        'dropColumn',
        field.name,
        `drop currency of ${field.name}`,
        true,
        sql`alter table ${table} drop column ${sql.identifier(currencyColumnName(prev))}`,
      )
  }
  if (!field.required && prev.required)
    step(
      'dropNotNull',
      field.name,
      `${field.name} becomes optional`,
      false,
      sql`alter table ${table} alter column ${col} drop not null`,
    )
  const oldFk = foreignKeyTarget(prev)
  const newFk = foreignKeyTarget(field)
  const fkChanged =
    prev.type !== field.type || prev.entity !== field.entity || prev.name !== field.name
  if (oldFk && fkChanged) {
    const name = constraintName(tableName(entity), [columnName(prev)], 'fkey')
    step(
      'dropForeignKey',
      field.name,
      `drop reference of ${prev.name}`,
      false,
      sql`alter table ${table} drop constraint if exists ${sql.identifier(name)}`,
    )
  }
  if (newFk && fkChanged) {
    const fk = buildAddForeignKey(entity, field)
    if (fk)
      step('addForeignKey', field.name, `reference from ${entity.id}.${field.name}`, false, fk)
  }
}
