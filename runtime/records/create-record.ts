import type { Ctx } from '../context'
import { BadRequestError, ValidationError, type Issue } from '../errors'
import { toChanges } from './changes'
import { entityPlan } from './entity-plan'
import { dedupLockKeys } from './dedup-lock'
import { insertUnderDedupLocks, writeUnderDedupLocks } from './dedup-write'
import { findDuplicates } from './find-duplicates'
import { startStateOf } from './flow-lock'
import { scopePredicate } from '../permissions'
import { loadLookups, needsLookups } from './lookups'
import { prepareWrite } from './prepare-write'
import { feedsRollups, refreshRollups } from './rollups'
import { assertReadableReferences } from './reference-access'
import { attachFiles, resolveFiles } from './record-files'
import {
  ROW_ALIAS,
  assertCanAttempt,
  assertInCreateScope,
  assertWritableInput,
  stripRecord,
  withDefaultOwner,
} from './record-access'
import type { RecordData } from './record-data'
import { replaceChildRows } from './write-children'
import { toWriteError } from './write-errors'
import { buildInsert, writeStamp } from './write-statements'

/** 422 for a body that is not a JSON object. */
export function assertObject(input: unknown): asserts input is Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError('The body must be a JSON object', [
      { path: '', message: 'must be an object' },
    ])
  }
}

/**
 * Creates a record: validation, defaults, formulas, rules, de-duplication, then one statement
 * (auto-numbers + insert + audit + outbox); child rows join it in one transaction.
 * @example await createRecord(ctx, 'quote', { customer: id, lines: [{ product: 'A', quantity: 2 }] })
 */
export async function createRecord(
  ctx: Ctx,
  entityId: string,
  input: Record<string, unknown>,
): Promise<{ record: RecordData; warnings: Issue[] }> {
  const plan = entityPlan(ctx.meta, entityId)
  if (plan.entity.childOf) {
    throw new BadRequestError(
      `'${entityId}' rows are saved with their parent '${plan.entity.childOf}'`,
      [{ path: 'entity', message: 'is a child table' }],
    )
  }
  assertObject(input)
  // Under a flow the state is the engine's: the initial one, checked before any right.
  const start = startStateOf(ctx, plan, input)
  if (start) input = start.input
  assertCanAttempt(ctx, entityId, 'create')
  assertWritableInput(ctx, plan, input, null)
  // Null for unrestricted callers: no transaction, no check, exactly the admin's statement.
  const scope = scopePredicate(ctx, entityId, 'create', { alias: ROW_ALIAS })
  // Searched with the owner the record gets (a leave request's applicant is its writer).
  const owned = withDefaultOwner(ctx, plan, input)
  const found = needsLookups(plan) ? await loadLookups(ctx, plan, [owned]) : undefined
  const { record, changed } = prepareWrite(ctx, plan, owned, null, found, start?.state)
  const rollups = feedsRollups(plan)
  await assertReadableReferences(ctx, plan, record, null, changed)
  const files = await resolveFiles(ctx, plan, record, null)
  // A block rule the record fills is checked under its lock, in the insert's transaction.
  const locks = dedupLockKeys(plan, record)
  let warnings =
    plan.entity.dedup?.length && !locks.length ? await findDuplicates(ctx, plan, record, null) : []
  const stamp = writeStamp(ctx, plan)
  const changes = toChanges(changed, record, null)
  try {
    // Nothing else joins the insert: one statement, its guard (locks and probe) and check in it.
    if (!plan.childTables.length && !scope && !rollups && !files.length) {
      const inserted = locks.length
        ? await insertUnderDedupLocks(ctx, plan, record, locks, stamp, changes)
        : { rows: await ctx.db.query(buildInsert(plan, stamp, record, changes)), warnings }
      return {
        record: stripRecord(ctx, plan, plan.toRecord(inserted.rows[0])),
        warnings: inserted.warnings,
      }
    }
    const statement = buildInsert(plan, stamp, record, changes)
    const saved = await ctx.db.transaction(async (tx) => {
      const inserted = locks.length
        ? await writeUnderDedupLocks({ ...ctx, db: tx }, plan, record, null, locks, statement)
        : { rows: await tx.query(statement), warnings }
      warnings = inserted.warnings
      const row = plan.toRecord(inserted.rows[0])
      for (const child of plan.childTables) {
        const rows = (record[child.field.name] as RecordData[] | null | undefined) ?? []
        row[child.field.name] = await replaceChildRows(
          tx,
          child,
          stamp,
          row.id as string,
          rows,
          true,
        )
      }
      // In the insert's transaction: a row outside the create scope rolls everything back.
      if (scope) await assertInCreateScope({ ...ctx, db: tx }, plan, row.id as string, scope)
      // Roll-ups of the records this one counts toward, in the same transaction.
      if (rollups) await refreshRollups({ ...ctx, db: tx }, plan, [row])
      if (files.length) await attachFiles({ ...ctx, db: tx }, plan, row.id as string, files)
      return row
    })
    return { record: stripRecord(ctx, plan, saved), warnings }
  } catch (err) {
    throw toWriteError(plan, err)
  }
}
