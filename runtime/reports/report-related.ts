import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Field, FieldType } from '../../metadata/field'
import { VIA_AGGREGATES, type AggregateMeasure } from '../../metadata/report'
import { resolveReportPath } from '../../metadata/report-paths'
import { DefinitionError, ForbiddenError } from '../errors'
import { fieldWords, ruleFieldNames, userVars } from '../permissions'
import { compileFilter } from '../rules'
import { APP_SCHEMA, columnName, tableName } from '../schema'
import type { ReportEnv } from './report-env'
import { SOURCE_ALIAS } from './report-source'

/*
 * `via` measures: the records of another entity whose reference points at each source record
 * (the leads of a campaign), folded per source record by a correlated subquery in the caller's
 * read scope of that entity. The group then folds those per-record figures again (see
 * `viaAggregate`), so count, sum, min and max only.
 */

/** What a via measure reads per source record. */
export interface ViaInput {
  /** The per-record figure: `(select count(*) from … where link = s.id and scope and filter)`. */
  input: SQL
  /** The related entity and its field the measure folds (for labels, types and currency). */
  entity: Entity
  field?: Field
  /** The type the field's values behave as (a formula's is its result's). */
  type?: FieldType
}

function refuseHidden(env: ReportEnv, entity: Entity, name: string, at: string): never {
  const w = fieldWords(env.locale, env.entities)
  const hidden = { field: w.field(entity.id, name), entity: w.entity(entity.id) }
  const path = w.field(entity.id, name, `${entity.id}.${name}`)
  throw new ForbiddenError(w.text('mayNotReportOn', { field: path }), [
    { path: at, message: w.text('notReadableOf', hidden) },
  ])
}

/**
 * The per-source-record subquery of via measure `m` (the `i`-th), 403 when the link, the field
 * or a field its filter reads is hidden from the caller.
 * @example viaInput(env, leadsMeasure, 2).input // (select count(*) from app.lead v2 where …)
 */
export function viaInput(env: ReportEnv, m: AggregateMeasure, i: number): ViaInput {
  const [entityId, link] = m.via!.split('.')
  const entity = env.entities.get(entityId)
  const linkField = entity?.fields.find((f) => f.name === link)
  if (!entity || !linkField)
    throw new DefinitionError(`Measure '${m.id}': no reference '${m.via}'`, [
      { path: `measures[${i}].via`, message: `no reference '${m.via}'` },
    ])
  if (!VIA_AGGREGATES.includes(m.aggregate))
    throw new DefinitionError(`Measure '${m.id}': ${m.aggregate} cannot be folded twice`)
  const resolved =
    m.field === undefined ? undefined : resolveReportPath(entity, m.field, env.entities)
  const end = resolved && !('problem' in resolved) ? resolved : undefined
  if (m.field !== undefined && !end?.field)
    throw new DefinitionError(`Measure '${m.id}': no field '${m.field}' in '${entityId}'`)
  const field = end?.field
  const hidden = env.hiddenOf(entityId)
  if (hidden?.has(link)) refuseHidden(env, entity, link, `measures[${i}].via`)
  if (field && hidden?.has(field.name))
    refuseHidden(env, entity, field.name, `measures[${i}].field`)
  const alias = `v${i}x`
  const at = (name: string) => sql`${sql.identifier(alias)}.${sql.identifier(name)}`
  const where = [sql`${at(columnName(linkField))} = ${sql.identifier(SOURCE_ALIAS)}.id`]
  const scope = env.scopeOf(entityId, alias)
  if (scope) where.push(scope)
  if (m.filter !== undefined) {
    const read = [...ruleFieldNames(m.filter)].find((n) => hidden?.has(n))
    if (read) refuseHidden(env, entity, read, `measures[${i}].filter`)
    const path = `measures[${i}].filter`
    const rule = compileFilter(entity, m.filter, {
      alias,
      vars: { $user: userVars(env.user) },
      now: env.now,
      path,
    })
    where.push(sql`coalesce(${rule}, false)`)
  }
  const value = field ? at(columnName(field)) : undefined
  const fold =
    m.aggregate === 'count'
      ? value
        ? sql`count(${value})`
        : sql`count(*)`
      : sql`${sql.raw(m.aggregate === 'sum' ? 'sum' : m.aggregate === 'min' ? 'min' : 'max')}(${value})`
  const table = sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(entity))}`
  const input = sql`(select ${fold} from ${table} ${sql.identifier(alias)} where ${sql.join(where, sql` and `)})`
  return { input, entity, field, type: end?.type }
}

/** How a group folds the per-record figures of a via measure: counts add up, like sums. */
export function viaAggregate(aggregate: string, value: SQL, filter: SQL): SQL {
  if (aggregate === 'count') return sql`coalesce(sum(${value})${filter}, 0)`
  const fn = aggregate === 'sum' ? 'sum' : aggregate === 'min' ? 'min' : 'max'
  return sql`${sql.raw(fn)}(${value})${filter}`
}
