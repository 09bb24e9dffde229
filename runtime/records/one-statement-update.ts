import { sql, type SQL } from 'drizzle-orm'
import { ValidationError, type Issue } from '../errors'
import { apiJson } from './api-json'
import type { EntityPlan, StoredField } from './entity-plan'
import { freeze } from './frozen-sql'
import { isEmptyValue, type RecordData } from './record-data'
import { feedsRollups } from './rollups'
import { normalizeValues } from './write-values'
import { cachedTemplate, auditAndOutbox, fieldValues, type WriteStamp } from './write-statements'

const join = (parts: SQL[], sep = sql`, `) => sql.join(parts, sep)

/**
 * Whether an update can skip reading the record first: nothing computed or checked over the
 * merged record (formulas, validation rules, form rules, dedup on the patched fields), no child
 * rows, and only plain writable fields in the patch (echoed read-only values need the old record).
 */
export function canUpdateInOneStatement(plan: EntityPlan, id: string, patch: RecordData): boolean {
  if (plan.formulas.length || plan.entity.validations?.length || plan.hasFormRules) return false
  // Stamps, fills, latestFrom and roll-ups of the records this one refers to need the old record.
  if (plan.stamps.length || plan.fills.length || plan.latest.length || feedsRollups(plan))
    return false
  let fields = 0
  for (const key of Object.keys(patch)) {
    if (key === 'version' || (key === 'id' && patch.id === id) || patch[key] === undefined) continue
    const stored = plan.storedByName.get(key)
    const field = stored?.field
    if (!field || field.readOnly || field.type === 'autoNumber' || field.type === 'formula')
      return false
    if (plan.entity.dedup?.some((rule) => rule.fields.includes(key))) return false
    fields++
  }
  return fields > 0
}

/** The patch's values after the checks that need no old record (required, types); throws 422. */
export function checkPatch(plan: EntityPlan, id: string, patch: RecordData): RecordData {
  const values: RecordData = {}
  const issues: Issue[] = []
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'version' || key === 'id' || value === undefined) continue
    values[key] = value
    if (plan.storedByName.get(key)!.field.required && isEmptyValue(value))
      issues.push({ path: key, message: 'is required' })
  }
  const flagged = new Set(issues.map((i) => i.path))
  for (const issue of plan.validate(values)) if (!flagged.has(issue.path)) issues.push(issue)
  if (issues.length) throw new ValidationError('The record is not valid', issues)
  normalizeValues(plan, values)
  return values
}

const diffs = new WeakMap<StoredField, SQL>()

/** `case when o.col is distinct from u.col then {before, after} end`, frozen per field. */
function diffExpression(stored: StoredField): SQL {
  let found = diffs.get(stored)
  if (!found) {
    const o = sql`o`
    const u = sql`u`
    const distinct = join(
      stored.idents.map((c) => sql`${o}.${c} is distinct from ${u}.${c}`),
      sql` or `,
    )
    found = freeze(
      sql`case when ${distinct} then jsonb_build_object('before', ${apiJson(stored, o)}, 'after', ${apiJson(stored, u)}) end`,
    )
    diffs.set(stored, found)
  }
  return found
}

/**
 * The whole update in one statement: the old values (same snapshot), the guarded update, the
 * changed fields computed in SQL, audit and outbox. A concurrent writer bumps the version, so the
 * update then matches no row and nothing else is written. One template per set of patched fields.
 */
export function buildOneStatementUpdate(
  plan: EntityPlan,
  stamp: WriteStamp,
  id: string,
  expectedVersion: number,
  values: RecordData,
): SQL {
  const fields = Object.keys(values).map((name) => plan.storedByName.get(name)!)
  const template = cachedTemplate(plan, `patch:${fields.map((s) => s.name).join(',')}`, (v) => {
    const sets: SQL[] = []
    let slot = 6
    for (const stored of fields)
      for (const ident of stored.idents) sets.push(sql`${ident} = ${v(slot++)}`)
    sets.push(sql`version = version + 1`, sql`updated_at = ${v(3)}`, sql`updated_by = ${v(1)}`)
    const oldCols = join(fields.flatMap((s) => s.idents))
    const diffList = join(fields.map((s) => sql`(${s.name}::text, ${diffExpression(s)})`))
    const changes = sql`(select coalesce(jsonb_object_agg(d.k, d.v), '{}'::jsonb) from (values ${diffList}) d(k, v) where d.v is not null)`
    return sql`with old as (select ${oldCols} from ${plan.table} where id = ${v(4)}),
      upd as (update ${plan.table} set ${join(sets)} where id = ${v(4)} and version = ${v(5)} returning ${plan.selectList}),
      ch as (select u.id, u.version, ${changes} as changes from old o, upd u),
      ${auditAndOutbox(plan, v, 'updated', sql`ch`, sql`s.changes`)}
      select * from upd`
  })
  const params = [
    stamp.entity,
    stamp.userId,
    stamp.requestId,
    stamp.now.toISOString(),
    id,
    expectedVersion,
  ]
  return template.bind(fieldValues(fields, values, params))
}
