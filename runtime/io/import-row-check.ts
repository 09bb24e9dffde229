import type { Rule } from '../../metadata/rule'
import type { Ctx } from '../context'
import { TrellisError, type Issue } from '../errors'
import { checkRecordInput, getRecord, ruleVars, type EntityPlan, type RecordData } from '../records'
import { findByKey, unmatchedKeyIssue, type UpsertKey } from './import-key'
import type { ImportRow } from './import-rows'

/** Whether a row would create or update a record (null: inserting, no key). */
export type ImportAction = 'insert' | 'update' | null

/**
 * The problems the write of a row's values would meet, without writing: the key's match (one,
 * in the caller's import scope; an auto-number that finds nothing is refused), then the create's or the update's checks as `checkRecordInput`
 * makes them (the update scope, the 'assign' right, required fields, types, validation and form
 * rules, the scope the written record must fall in).
 */
export async function checkImportWrite(
  ctx: Ctx,
  plan: EntityPlan,
  key: UpsertKey | null,
  input: RecordData,
): Promise<{ issues: Issue[]; action: ImportAction }> {
  const found = key ? await findByKey(ctx, plan, key, input) : null
  if (found && found.length > 1)
    return {
      issues: [{ path: key!.fields[0], message: 'matches more than one record' }],
      action: 'insert',
    }
  if (found?.length)
    return { issues: await checkUpdate(ctx, plan.entity.id, found[0].id, input), action: 'update' }
  const unmatched = unmatchedKeyIssue(plan, key, input)
  if (unmatched) return { issues: [unmatched], action: null }
  const issues = await checkRecordInput(ctx, plan.entity.id, input, null)
  return { issues, action: key ? 'insert' : null }
}

/** An update's problems; a record the caller cannot read is not found, as the update says. */
async function checkUpdate(
  ctx: Ctx,
  entityId: string,
  id: string,
  input: RecordData,
): Promise<Issue[]> {
  try {
    return await checkRecordInput(ctx, entityId, input, await getRecord(ctx, entityId, id))
  } catch (err) {
    if (!(err instanceof TrellisError) || err.status >= 500) throw err
    return err.details.length ? err.details : [{ path: '', message: err.message }]
  }
}

/**
 * What else a row refused for its cells (a reference that found nothing, a number that is not
 * one, a repeated cell that differs) would be refused for once those cells are fixed: the
 * write's checks over the values that were read, so the error file names every problem of the
 * row at once. Said of a refused cell's field (`is required` for a reference that found
 * nothing), or by a validation rule that reads it (directly or through a formula), nothing is
 * added: the cell's own reason stands.
 * @example await otherRowIssues(ctx, plan, null, row) // [{ path: 'orderDate', message: 'is required' }]
 */
export async function otherRowIssues(
  ctx: Ctx,
  plan: EntityPlan,
  key: UpsertKey | null,
  row: ImportRow,
): Promise<{ issues: Issue[]; action: ImportAction }> {
  const { issues, action } = await checkImportWrite(ctx, plan, key, row.input)
  const hidden = hiddenPaths(plan, row.issues)
  const said = new Set(row.issues.map((i) => `${i.path}\u0000${i.message}`))
  return {
    issues: issues.filter((i) => !hidden.has(i.path) && !said.has(`${i.path}\u0000${i.message}`)),
    action,
  }
}

/** `lines[2].unitPrice.currency` → `['lines[2].', 'unitPrice']`. */
function splitPath(path: string): [string, string] {
  const m = /^([A-Za-z_]\w*\[\d+\]\.)?([^.[]+)/.exec(path)
  return m ? [m[1] ?? '', m[2]] : ['', path]
}

/**
 * The issue paths a refused cell answers for: its field's (and its line's field's), and those of
 * the validation rules that read the field or a formula computed from it.
 */
function hiddenPaths(plan: EntityPlan, refused: Issue[]): Set<string> {
  const hidden = new Set<string>()
  const byPrefix = new Map<string, Set<string>>()
  for (const issue of refused) {
    const [prefix, name] = splitPath(issue.path)
    hidden.add(prefix + name)
    const names = byPrefix.get(prefix) ?? new Set<string>()
    names.add(name)
    byPrefix.set(prefix, names)
  }
  for (const [prefix, names] of byPrefix) {
    const table = prefix ? prefix.slice(0, prefix.indexOf('[')) : ''
    const target = table ? plan.childTables.find((c) => c.field.name === table)?.plan : plan
    if (!target) continue
    // Formulas computed from a refused field are unknown too, and so are the ones they feed.
    for (let grew = true; grew;) {
      grew = false
      for (const f of target.formulas)
        if (!names.has(f.name) && [...ruleVars(f.formula as Rule)].some((v) => names.has(v))) {
          names.add(f.name)
          grew = true
        }
    }
    for (const rule of target.entity.validations ?? [])
      if ([...ruleVars(rule.rule as Rule)].some((v) => names.has(v)))
        hidden.add(prefix + (rule.field ?? rule.id))
  }
  return hidden
}
