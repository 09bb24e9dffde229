import type { Ctx } from '../context'
import type { Issue } from '../errors'
import { storedChanges, toChanges } from './changes'
import { assertObject } from './create-record'
import { entityPlan, type EntityPlan } from './entity-plan'
import {
  buildOneStatementUpdate,
  canUpdateInOneStatement,
  checkPatch,
} from './one-statement-update'
import { explainMissedWrite, requireExpectedVersion, staleVersion } from './expected-version'
import { dedupLockKeys } from './dedup-lock'
import { writeUnderDedupLocks } from './dedup-write'
import { findDuplicates } from './find-duplicates'
import { assertFlowAllowsPatch, flowGoverning, needsFlowCheck } from './flow-lock'
import { checkOwnerChange, patchedOwnerField } from './owner-change'
import { recordNotFound } from './record-refusal-texts'
import { scopePredicate } from '../permissions'
import { loadLookups, needsLookups } from './lookups'
import { prepareWrite } from './prepare-write'
import { feedsRollups, refreshRollups } from './rollups'
import { assertReadableReferences, patchesRestrictedReference } from './reference-access'
import { attachFiles, patchesFiles, resolveFiles } from './record-files'
import {
  ROW_ALIAS,
  assertWritableInput,
  assertWriteScope,
  needsFieldCheck,
  stripRecord,
} from './record-access'
import { readRecord } from './read-record'
import { isUuid, type RecordData } from './record-data'
import { assertInUpdateScope, mayLeaveUpdateScope } from './update-scope'
import { replaceChildRows } from './write-children'
import { toWriteError } from './write-errors'
import { buildUpdate, writeStamp } from './write-statements'

/**
 * Updates a record under optimistic locking: reads it, checks the patch over the merged record,
 * then one statement updates `where id and version`, writes audit and outbox. A concurrent writer
 * makes that statement miss: 409 with the current version, never a lost update.
 * @example await updateRecord(ctx, 'customer', id, { level: 'A' }, 3)
 */
export async function updateRecord(
  ctx: Ctx,
  entityId: string,
  id: string,
  patch: Record<string, unknown>,
  expectedVersion: number | undefined,
): Promise<{ record: RecordData; warnings: Issue[] }> {
  const plan = entityPlan(ctx.meta, entityId)
  if (!isUuid(id)) throw recordNotFound(ctx, entityId, id)
  assertObject(patch)
  const expected = requireExpectedVersion(ctx, entityId, expectedVersion, patch)
  // Null for unrestricted callers: their update is exactly what it was, with no extra query.
  const scope = scopePredicate(ctx, entityId, 'update', { alias: ROW_ALIAS })
  const checkFields = needsFieldCheck(ctx, plan, patch)
  const ownerPatched = patchedOwnerField(plan, patch) !== null
  const assign = ownerPatched ? scopePredicate(ctx, entityId, 'assign', { alias: ROW_ALIAS }) : null
  // Null for entities without a flow (and for the system): nothing more to check.
  const flow = flowGoverning(ctx, entityId)
  const checkFlow = needsFlowCheck(flow, patch)
  if (!scope && !checkFields && !assign && !checkFlow) {
    const saved = await applyUpdate(ctx, plan, id, patch, expected)
    return { ...saved, record: stripRecord(ctx, plan, saved.record) }
  }
  // The scope check locks the row, so its owner cannot change before the write commits.
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx }
    if (scope) await assertWriteScope(txCtx, plan, id, 'update', scope)
    // Handing the record over (assign) may take it out of the caller's scopes, as a transfer does.
    const handedOver =
      ownerPatched && (scope || assign)
        ? await checkOwnerChange(txCtx, plan, id, patch, assign)
        : false
    if (checkFields || checkFlow) {
      const old = await readRecord(txCtx, plan, id, false)
      if (!old) throw recordNotFound(ctx, entityId, id)
      if (checkFields) assertWritableInput(txCtx, plan, patch, old)
      if (checkFlow) {
        // The lock is judged on the version the write expects: a transition since is a 409.
        if (old.version !== expected) throw staleVersion(ctx, entityId, old.version as number)
        await assertFlowAllowsPatch(txCtx, flow!, plan, id, patch, old)
      }
    }
    const saved = await applyUpdate(txCtx, plan, id, patch, expected)
    // In the update's transaction: a row moved outside the update scope rolls everything back.
    if (scope && !handedOver && mayLeaveUpdateScope(ctx, plan, patch))
      await assertInUpdateScope(txCtx, plan, id, scope)
    return { ...saved, record: stripRecord(ctx, plan, saved.record) }
  })
}

/** The update itself, once the caller's rights are settled. */
async function applyUpdate(
  ctx: Ctx,
  plan: EntityPlan,
  id: string,
  patch: Record<string, unknown>,
  expected: number,
): Promise<{ record: RecordData; warnings: Issue[] }> {
  const entityId = plan.entity.id
  if (
    canUpdateInOneStatement(plan, id, patch) &&
    !patchesRestrictedReference(ctx, plan, patch) &&
    !patchesFiles(plan, patch)
  )
    return updateWithoutRead(ctx, plan, id, patch, expected)
  const old = await readRecord(ctx, plan, id, false)
  if (!old) throw recordNotFound(ctx, entityId, id)
  if (old.version !== expected) throw staleVersion(ctx, entityId, old.version as number)
  const found = needsLookups(plan)
    ? await loadLookups(ctx, plan, [{ ...old, ...patch }])
    : undefined
  const { record, changed } = prepareWrite(ctx, plan, patch, old, found)
  await assertReadableReferences(ctx, plan, record, old, changed)
  const files = await resolveFiles(ctx, plan, record, old)
  const dedupTouched = plan.entity.dedup?.some((rule) =>
    rule.fields.some((f) => changed.includes(f)),
  )
  // A block rule the patch touches is checked under its lock, in the update's transaction.
  const locks = dedupTouched ? dedupLockKeys(plan, record, changed) : []
  let warnings = dedupTouched && !locks.length ? await findDuplicates(ctx, plan, record, id) : []
  if (!changed.length) return { record: old, warnings }
  const stamp = writeStamp(ctx, plan)
  const statement = buildUpdate(
    plan,
    stamp,
    id,
    expected,
    record,
    storedChanges(plan, changed),
    toChanges(changed, record, old),
  )
  const children = plan.childTables.filter((c) => changed.includes(c.field.name))
  const rollups = feedsRollups(plan)
  let saved: RecordData | null
  try {
    // Without child rows or dedup locks the one statement is its own transaction: no BEGIN/COMMIT.
    const run = <T>(fn: (db: Ctx['db']) => Promise<T>) =>
      children.length || locks.length || rollups || files.length
        ? ctx.db.transaction(fn)
        : fn(ctx.db)
    saved = await run(async (tx) => {
      const updated = locks.length
        ? await writeUnderDedupLocks({ ...ctx, db: tx }, plan, record, id, locks, statement)
        : { rows: await tx.query(statement), warnings }
      warnings = updated.warnings
      const rows = updated.rows
      if (!rows.length) return null
      const row = plan.toRecord(rows[0])
      for (const child of plan.childTables) {
        const rows = children.includes(child)
          ? ((record[child.field.name] as RecordData[] | null) ?? [])
          : null
        row[child.field.name] = rows
          ? await replaceChildRows(tx, child, stamp, id, rows, false)
          : old[child.field.name]
      }
      // The record may have moved from one parent to another: both parents' roll-ups change.
      if (rollups) await refreshRollups({ ...ctx, db: tx }, plan, [old, row])
      if (files.length) await attachFiles({ ...ctx, db: tx }, plan, id, files)
      return row
    })
  } catch (err) {
    throw toWriteError(plan, err)
  }
  if (!saved) throw await explainMissedWrite(ctx, plan, id)
  return { record: saved, warnings }
}

/** The common case (plain fields, nothing computed): one round trip, see one-statement-update.ts. */
async function updateWithoutRead(
  ctx: Ctx,
  plan: EntityPlan,
  id: string,
  patch: RecordData,
  expected: number,
): Promise<{ record: RecordData; warnings: Issue[] }> {
  const values = checkPatch(plan, id, patch)
  let rows: Record<string, unknown>[]
  try {
    rows = await ctx.db.query(
      buildOneStatementUpdate(plan, writeStamp(ctx, plan), id, expected, values),
    )
  } catch (err) {
    throw toWriteError(plan, err)
  }
  if (!rows.length) throw await explainMissedWrite(ctx, plan, id)
  const record = plan.toRecord(rows[0])
  // Child rows are untouched by this path but belong to the record as the API shows it.
  if (plan.childTables.length) Object.assign(record, await readChildren(ctx, plan, id))
  return { record, warnings: [] }
}

async function readChildren(ctx: Ctx, plan: EntityPlan, id: string): Promise<RecordData> {
  const full = await readRecord(ctx, plan, id, false)
  const children: RecordData = {}
  for (const child of plan.childTables) children[child.field.name] = full?.[child.field.name] ?? []
  return children
}
