import { sql, type SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import type { Entity } from '../../metadata/entity'
import { planSequenceSteps } from './auto-number-sequences'
import { planCreateIndex, planIndexChanges, planIndexDrops, type IndexState } from './plan-indexes'
import {
  buildAddForeignKey,
  buildCreateTable,
  buildIndexSpecs,
  buildParentForeignKey,
  fieldColumnDefs,
  tableRef,
} from './ddl'
import { columnName, currencyColumnName, fieldId, hasColumn, tableName } from './naming'
import { planFieldChanges } from './plan-fields'

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

/** One step with the statements that carry it out, so a failing statement names its step. */
export interface ExecutableStep {
  view: PlanStepView
  statements: SQL[]
}

/** A plan plus, step by step, the statements that carry it out. */
export interface ExecutablePlan {
  plan: SchemaPlan
  steps: ExecutableStep[]
}

const dialect = new PgDialect()

/** The sequences and indexes schema `app` really has (listExistingObjects). */
export interface ExistingObjects {
  sequences: Iterable<string>
  /** Valid indexes only: a failed concurrent build leaves an invalid one, which counts as missing. */
  indexes: Iterable<string>
  /** Those invalid leftovers, dropped before their index is built again. */
  invalidIndexes?: Iterable<string>
  /** Whether pg_trgm's `gin_trgm_ops` exists: without it no trigram index is planned. */
  trigram: boolean
}

/** The index part of `existing`, as planning reads it. */
function toIndexState(existing: ExistingObjects): IndexState {
  return {
    valid: new Set(existing.indexes),
    invalid: new Set(existing.invalidIndexes ?? []),
    trigram: existing.trigram,
  }
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
  const indexes = existing && toIndexState(existing)
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
    const step: Step = (kind, field, description, destructive, ...statements) =>
      push({ kind, entity: entity.id, field, description, destructive }, ...statements)
    for (const spec of buildIndexSpecs(entity, { trigram: existing?.trigram }))
      planCreateIndex(entity, spec, step)
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
  const executable = steps.map((s) => ({
    view: { ...s.view, sql: s.statements.map((q) => dialect.sqlToQuery(q).sql).join(';\n') },
    statements: s.statements,
  }))
  const views = executable.map((s) => s.view)
  return {
    plan: { steps: views, destructive: views.some((s) => s.destructive) },
    steps: executable,
  }
}

type Push = (view: Omit<PlanStepView, 'sql'>, ...statements: SQL[]) => void

function planEntityChanges(
  old: Entity,
  next: Entity,
  push: Push,
  indexes: IndexState | undefined,
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
