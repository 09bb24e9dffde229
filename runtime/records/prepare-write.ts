import type { Entity } from '../../metadata/entity'
import type { Form, FormField } from '../../metadata/form'
import type { Locale } from '../../metadata/labels'
import { toLabel } from '../../metadata/labels'
import { SYSTEM_USER, type Ctx } from '../context'
import { ValidationError, type Issue } from '../errors'
import { evaluateFormState } from '../forms'
import type { EntityPlan } from './entity-plan'
import { computeFormulas } from './formulas'
import { applyLatest } from './latest-from'
import { applyFills, lookupData, type Lookups } from './lookups'
import { isEmptyValue, isSystemKey, type RecordData } from './record-data'
import { keyPath } from './record-validator'
import { evaluateRule, isTruthy } from './rule-engine'
import { sameRows, sameValue } from './same-value'
import { initialRollups } from './rollup-values'
import { applyStamps } from './stamps'
import { omitNames, takeTrustedValues } from './trusted-values'
import { cleanChildRows, defaultValue, normalizeValues, type WriteMoment } from './write-values'

/** A write that passed every check: the full record to store and what the client changed. */
export interface PreparedWrite {
  /** The record after the write (old + patch + defaults + formulas), child rows included. */
  record: RecordData
  /** Names of fields whose value differs from the old record (all set fields on create). */
  changed: string[]
}

/**
 * Runs the checks of a create (`old` null) or update over the client's input: unknown and
 * read-only keys, defaults, required, types (ajv), formulas, validation rules, form rules.
 * Collects every problem and throws one ValidationError; nothing has been written yet.
 * `found` holds the records references point at (see lookups.ts) for fillFrom and formulas.
 * `trusted`: values the engine writes (a flow's state, inputs, effects), read-only fields included.
 */
export function prepareWrite(
  ctx: Ctx,
  plan: EntityPlan,
  input: RecordData,
  old: RecordData | null,
  found?: Lookups,
  trusted?: RecordData,
): PreparedWrite {
  const now = ctx.clock.now()
  // The system user (CLI, seeds) is nobody's owner: a `currentUser` default or stamp stays empty.
  const writer = ctx.user && ctx.user.id !== SYSTEM_USER.id ? ctx.user.id : null
  const at: WriteMoment = { now, userId: writer }
  const issues: Issue[] = []
  const values = pickWritable(plan, input, old, issues)
  const provided = new Set(Object.keys(values))
  applyFills(plan, values, old, found)
  if (!old) applyDefaults(plan, values, at, true)
  for (const child of plan.childTables) {
    const rows = values[child.field.name]
    if (!Array.isArray(rows)) continue
    values[child.field.name] = cleanChildRows(child.plan, rows, at)
    for (const row of values[child.field.name] as RecordData[])
      if (row && typeof row === 'object') applyFills(child.plan, row, null, found)
  }
  const held = trusted ? takeTrustedValues(plan, values, trusted, issues) : []
  issues.push(...requiredIssues(plan, values, old === null, ''))
  for (const child of plan.childTables) {
    const rows = values[child.field.name]
    if (!Array.isArray(rows)) continue
    rows.forEach((row, i) => {
      // A row that is not an object is flagged by the schema below.
      if (!row || typeof row !== 'object' || Array.isArray(row)) return
      issues.push(
        ...requiredIssues(child.plan, row as RecordData, true, `${child.field.name}[${i}].`),
      )
    })
  }
  const flagged = new Set(issues.map((i) => i.path))
  for (const issue of plan.validate(omitNames(values, held)))
    if (!flagged.has(issue.path)) issues.push(issue)
  if (issues.length) throw new ValidationError('The record is not valid', issues)

  normalizeValues(plan, values)
  // Read-only fields are not in the client schema; their defaults are trusted metadata.
  if (!old) applyDefaults(plan, values, at, false)
  const record: RecordData = { ...(old ?? {}), ...values }
  if (!old) Object.assign(record, initialRollups(plan))
  applyStamps(plan, record, old, provided, at)
  if (plan.latest.length) applyLatest(plan, record, null, found)
  const locale = (ctx.user?.locale ?? 'en') as Locale
  for (const child of plan.childTables) {
    const rows = values[child.field.name]
    if (!Array.isArray(rows)) continue
    rows.forEach((row, i) => {
      applyDefaults(child.plan, row as RecordData, at, false)
      if (child.plan.latest.length) applyLatest(child.plan, row as RecordData, record, found)
      const refs = lookupData(child.plan, row as RecordData, found)
      computeFormulas(child.plan.formulas, row as RecordData, now, refs)
      issues.push(
        ...ruleIssues(child.plan, row as RecordData, now, locale, `${child.field.name}[${i}].`),
      )
    })
  }
  computeFormulas(plan.formulas, record, now, lookupData(plan, record, found))
  issues.push(...ruleIssues(plan, record, now, locale, ''))
  if (plan.hasFormRules) issues.push(...formRuleIssues(ctx, plan, record, old, provided, now))
  if (issues.length) throw new ValidationError('The record is not valid', issues)
  return { record, changed: changedFields(plan, record, old) }
}

/** Keeps the writable fields of the input; flags unknown and read-only keys (round-trips pass). */
function pickWritable(
  plan: EntityPlan,
  input: RecordData,
  old: RecordData | null,
  issues: Issue[],
): RecordData {
  const values: RecordData = {}
  for (const key of Object.keys(input)) {
    const value = input[key]
    if (value === undefined) continue
    const field = plan.fieldsByName.get(key)
    const unchanged = old ? sameValue(old[key], value) : value === null
    if (isSystemKey(key)) {
      // `version` is the expected version (read by the caller); echoed system keys are fine.
      if (key !== 'version' && !unchanged) issues.push({ path: key, message: 'is read-only' })
    } else if (!field) {
      issues.push({ path: keyPath(key), message: 'is not a field of this entity' })
    } else if (field.readOnly || field.type === 'autoNumber' || field.type === 'formula') {
      if (!unchanged) issues.push({ path: key, message: 'is read-only' })
    } else {
      values[key] = value
    }
  }
  return values
}

function applyDefaults(
  plan: EntityPlan,
  values: RecordData,
  at: WriteMoment,
  writable: boolean,
): void {
  for (const { field, value } of plan.defaults) {
    if (Boolean(field.readOnly) === writable) continue
    if (values[field.name] === undefined) values[field.name] = defaultValue(field, value, at)
  }
}

/** Required fields: all of them on create, the ones being set on update. */
function requiredIssues(
  plan: EntityPlan,
  values: RecordData,
  all: boolean,
  prefix: string,
): Issue[] {
  const issues: Issue[] = []
  for (const field of plan.requiredFields) {
    const value = values[field.name]
    if ((all || value !== undefined) && isEmptyValue(value)) {
      issues.push({ path: prefix + field.name, message: 'is required' })
    }
  }
  return issues
}

/** The entity's validation rules (json-logic that must hold). A rule that throws fails. */
function ruleIssues(
  plan: EntityPlan,
  record: RecordData,
  now: Date,
  locale: Locale,
  prefix: string,
): Issue[] {
  const issues: Issue[] = []
  for (const rule of plan.entity.validations ?? []) {
    let ok = false
    try {
      ok = isTruthy(evaluateRule(rule.rule, record, { now }))
    } catch {
      ok = false
    }
    if (!ok)
      issues.push({
        path: prefix + (rule.field ?? rule.id),
        message: toLabel(rule.message, locale, rule.id),
      })
  }
  return issues
}

/** The entity and form `formRuleIssues` evaluates: see `toFormChecks`. */
interface FormChecks {
  entity: Entity
  form: Form | undefined
}

const formChecks = new WeakMap<EntityPlan, FormChecks | null>()

/**
 * The entity with only the fields whose form state can refuse a write — required (by metadata
 * or by a form rule) or read-only by a form rule — and the form with only their first placement
 * and no visibility rule. A field read-only by metadata never reaches the check (`pickWritable`
 * keeps it out of `provided`), and no other field's state can refuse anything, so their rules
 * need not run on every write. Null when no field is left.
 */
function toFormChecks(plan: EntityPlan): FormChecks | null {
  if (formChecks.has(plan)) return formChecks.get(plan)!
  const placed = new Map<string, FormField>()
  const tab = plan.form?.tabs[0]
  for (const t of plan.form?.tabs ?? [])
    for (const section of t.sections)
      for (const f of section.fields) if (!placed.has(f.field)) placed.set(f.field, f)
  const ruled = (name: string) =>
    placed.get(name)?.required !== undefined || placed.get(name)?.readOnly !== undefined
  const fields = plan.entity.fields.filter(
    (f) => (f.required || ruled(f.name)) && f.type !== 'formula' && f.type !== 'autoNumber',
  )
  const kept = fields.flatMap((f) => {
    const at = placed.get(f.name)
    return at ? [{ field: at.field, required: at.required, readOnly: at.readOnly }] : []
  })
  const form =
    plan.form && tab
      ? { ...plan.form, tabs: [{ ...tab, sections: [{ ...tab.sections[0], fields: kept }] }] }
      : undefined
  const checks = fields.length ? { entity: { ...plan.entity, fields }, form } : null
  formChecks.set(plan, checks)
  return checks
}

/** The default form's rules, enforced like the form would: required by rule, read-only by rule. */
function formRuleIssues(
  ctx: Ctx,
  plan: EntityPlan,
  record: RecordData,
  old: RecordData | null,
  provided: Set<string>,
  now: Date,
): Issue[] {
  const checks = toFormChecks(plan)
  if (!checks) return []
  const { entity, form } = checks
  const state = evaluateFormState(entity, form, record, ctx.user, { now, stored: old })
  const issues: Issue[] = []
  for (const field of entity.fields) {
    const s = state[field.name]
    if (!s || field.type === 'formula' || field.type === 'autoNumber') continue
    if (s.required && isEmptyValue(record[field.name])) {
      issues.push({ path: field.name, message: 'is required' })
    } else if (s.readOnly && provided.has(field.name)) {
      if (!sameValue(old?.[field.name] ?? null, record[field.name]))
        issues.push({ path: field.name, message: 'is read-only' })
    }
  }
  return issues
}

function changedFields(plan: EntityPlan, record: RecordData, old: RecordData | null): string[] {
  const changed: string[] = []
  for (const field of plan.entity.fields) {
    const after = record[field.name]
    if (after === undefined) continue
    const before = old ? old[field.name] : null
    const same = field.type === 'childTable' ? sameRows(before, after) : sameValue(before, after)
    if (!same) changed.push(field.name)
  }
  return changed
}
