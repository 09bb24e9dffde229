import { sql, type SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import { scopePredicate } from '../permissions'
import { storedChanges, toChanges } from './changes'
import { entityPlan, type EntityPlan } from './entity-plan'
import { explainMissedWrite, staleVersion } from './expected-version'
import { buildDuplicateQuery, type MatchRow } from './find-duplicates'
import { mayNotThis, recordNotFound } from './record-refusal-texts'
import { loadLookups, needsLookups } from './lookups'
import { prepareWrite } from './prepare-write'
import { ROW_ALIAS, assertWriteScope, stripRecord } from './record-access'
import { isUuid, type RecordData } from './record-data'
import { readRecord } from './read-record'
import { feedsRollups, refreshRollups } from './rollups'
import { toWriteError } from './write-errors'
import type { SlotFn, StatementTemplate } from './statement-template'
import {
  buildUpdateParts,
  cachedTemplate,
  updateStatement,
  writeStamp,
  type UpdateParts,
} from './write-statements'

/*
 * The writes a flow makes on its records, for the flow shell (runtime/flows): the row locked and
 * read inside the caller's transaction, then one update of the state, the inputs and the `set`
 * effects. The engine sets the state field, which no PATCH may, so the values are trusted
 * (read-only fields allowed) but still checked, and the version still moves.
 */

/**
 * Locks a record (`for update`, in the caller's transaction) and reads it. With `action`, the
 * caller's scope of that action must reach it: not readable → 404, out of scope → 403.
 * `expected`: the version the caller read; another → 409 with the current one.
 */
export async function lockRecordForFlow(
  ctx: Ctx,
  entityId: string,
  id: string,
  options: { action?: 'transition'; expected?: number } = {},
): Promise<RecordData> {
  const plan = entityPlan(ctx.meta, entityId)
  if (!isUuid(id)) throw recordNotFound(ctx, entityId, id)
  const scope = options.action
    ? scopePredicate(ctx, entityId, options.action, { alias: ROW_ALIAS })
    : null
  if (scope) await assertWriteScope(ctx, plan, id, 'transition', scope)
  else await lockRow(ctx, plan, id)
  const old = await readRecord(ctx, plan, id, false)
  if (!old) throw recordNotFound(ctx, entityId, id)
  if (options.expected !== undefined && old.version !== options.expected)
    throw staleVersion(ctx, entityId, old.version as number)
  return old
}

/**
 * For firing a transition: locks the record (`for update`) and reads it, with the caller's read
 * and `transition` scopes and the record's running approval (its instance data, not locked), in
 * one statement: not readable → 404, out of scope → 403, `expected` another version → 409. An
 * entity with child tables reads them in a second statement, after the lock (a writer that
 * held it changed them with the row). `also`: one more column the caller's transaction wants
 * from the same statement (answered as `also`).
 */
export async function lockRecordToFire(
  ctx: Ctx,
  entityId: string,
  id: string,
  expected?: number,
  also: SQL = sql`null`,
): Promise<{ record: RecordData; running: unknown; also: unknown }> {
  const plan = entityPlan(ctx.meta, entityId)
  if (!isUuid(id)) throw recordNotFound(ctx, entityId, id)
  const t = sql.identifier(ROW_ALIAS)
  const read = scopePredicate(ctx, entityId, 'read', { alias: ROW_ALIAS }) ?? sql`true`
  const fire = scopePredicate(ctx, entityId, 'transition', { alias: ROW_ALIAS }) ?? sql`true`
  const rows = await ctx.db.query(sql`
    select ${plan.selectList}, coalesce(${read}, false) as "__r", coalesce(${fire}, false) as "__w",
      (select i.data from flow_instances i where i.entity = ${entityId}
        and i.record_id = ${t}.id and i.status = 'running') as "__running", ${also} as "__also"
    from ${plan.table} ${t} where ${t}.id = ${id} for update of ${t}`)
  const row = rows[0]
  if (!row || !row.__r) throw recordNotFound(ctx, entityId, id)
  if (!row.__w) throw mayNotThis(ctx, entityId, 'transition')
  const record = plan.childTables.length
    ? await readRecord(ctx, plan, id, false)
    : plan.toRecord(row)
  if (!record) throw recordNotFound(ctx, entityId, id)
  if (expected !== undefined && record.version !== expected)
    throw staleVersion(ctx, entityId, record.version as number)
  const running = typeof row.__running === 'string' ? JSON.parse(row.__running) : row.__running
  return { record, running: running ?? null, also: row.__also }
}

async function lockRow(ctx: Ctx, plan: EntityPlan, id: string): Promise<void> {
  const rows = await ctx.db.query(sql`select id from ${plan.table} where id = ${id} for update`)
  if (!rows.length) throw recordNotFound(ctx, plan.entity.id, id)
}

/** A flow's write of engine values over a locked record, prepared (see `prepareFlowUpdate`). */
export interface FlowUpdate {
  /** The record as the write leaves it (version + 1); `old` itself when nothing changes. */
  record: RecordData
  /** Runs the write; answers the record as stored. */
  write(): Promise<RecordData>
  /** The same write for another statement of the caller's to carry; null when nothing changes. */
  carried: CarriedUpdate | null
  /** The `transition` event given was written in the update's own event (it changes something). */
  carriesTransition: boolean
}

/**
 * A flow's record update carried by another statement (the approval's write, so the transaction
 * sends one statement instead of two): the CTEs `upd` (answering the record's row), `aud` and
 * `ob` with their values, templates cached per entity plan, and what the statement's answer means.
 */
export interface CarriedUpdate extends UpdateParts {
  /** A template of the carrying statement, built once per `key` for the entity's plan. */
  template(key: string, build: (v: SlotFn) => SQL): StatementTemplate
  /** The record as stored, from the row `upd` answered (none, or a null id: the write missed). */
  finish(row: Record<string, unknown> | undefined): Promise<RecordData>
  /** The error the caller answers for a failure of the update's part of its statement. */
  toError(err: unknown): unknown
}

/**
 * Prepares the write of engine values (state, inputs, `set` effects) over the locked record
 * `old`: one statement with audit and outbox, guarded by its version. Answers the record the
 * write will leave, so statements that follow it in the same transaction (the approval's) can be
 * sent without waiting for it, or carry it (`carried`). `transition`: the flow's `transition`
 * event, written in the update's `updated` event when the write changes something
 * (`carriesTransition`; see buildUpdateParts). Runs in the caller's transaction.
 */
export async function prepareFlowUpdate(
  ctx: Ctx,
  entityId: string,
  old: RecordData,
  values: RecordData,
  transition?: Record<string, unknown>,
): Promise<FlowUpdate> {
  const unchanged = { record: old, write: async () => old, carried: null, carriesTransition: false }
  if (!Object.keys(values).length) return unchanged
  const plan = entityPlan(ctx.meta, entityId)
  const id = old.id as string
  const found = needsLookups(plan)
    ? await loadLookups(ctx, plan, [{ ...old, ...values }])
    : undefined
  const { record, changed } = prepareWrite(ctx, plan, {}, old, found, values)
  if (!changed.length) return unchanged
  const parts = buildUpdateParts(
    plan,
    writeStamp(ctx, plan),
    id,
    old.version as number,
    record,
    storedChanges(plan, changed),
    toChanges(changed, record, old),
    transition,
  )
  const finish = async (found: Record<string, unknown> | undefined) => {
    if (found?.id === undefined || found.id === null) throw await explainMissedWrite(ctx, plan, id)
    const row = plan.toRecord(found)
    for (const child of plan.childTables) row[child.field.name] = old[child.field.name] ?? []
    if (feedsRollups(plan)) await refreshRollups(ctx, plan, [old, row])
    return row
  }
  const toError = (err: unknown) => toWriteError(plan, err)
  const write = async () => {
    let rows: Record<string, unknown>[]
    try {
      rows = await ctx.db.query(updateStatement(plan, parts))
    } catch (err) {
      throw toError(err)
    }
    return finish(rows[0])
  }
  const carried: CarriedUpdate = {
    ...parts,
    template: (key, build) => cachedTemplate(plan, key, build),
    finish,
    toError,
  }
  return {
    record: { ...record, version: (old.version as number) + 1 },
    write,
    carried,
    carriesTransition: transition !== undefined,
  }
}

/**
 * The id of a record of `entityId` that one of its de-duplication rules finds for `values`
 * (a `create` effect with `reuse` takes it instead of creating), or null.
 */
export async function findReusableRecord(
  ctx: Ctx,
  entityId: string,
  values: RecordData,
): Promise<string | null> {
  const plan = entityPlan(ctx.meta, entityId)
  const query: SQL | null = buildDuplicateQuery(ctx, plan, values, null)
  if (!query) return null
  const rows = await ctx.db.query<MatchRow>(query)
  return rows.find((r) => r.readable)?.id ?? null
}

/**
 * A record as its flow reads it (every field: guards may read what the caller cannot), with
 * whether the caller's `transition` scope reaches it. Not readable by the caller → 404.
 */
export async function readForTransitions(
  ctx: Ctx,
  entityId: string,
  id: string,
): Promise<{ record: RecordData; inScope: boolean }> {
  const plan = entityPlan(ctx.meta, entityId)
  if (!isUuid(id)) throw recordNotFound(ctx, entityId, id)
  const t = sql.identifier(ROW_ALIAS)
  const read = scopePredicate(ctx, entityId, 'read', { alias: ROW_ALIAS }) ?? sql`true`
  const fire = scopePredicate(ctx, entityId, 'transition', { alias: ROW_ALIAS }) ?? sql`true`
  const [row] = await ctx.db.query<{ r: boolean; w: boolean }>(sql`
    select coalesce(${read}, false) as r, coalesce(${fire}, false) as w
    from ${plan.table} ${t} where ${t}.id = ${id}`)
  if (!row?.r) throw recordNotFound(ctx, entityId, id)
  const record = await readRecord(ctx, plan, id, false)
  if (!record) throw recordNotFound(ctx, entityId, id)
  return { record, inScope: row.w }
}

/** A record as the caller may see it (fields hidden from them removed). */
export function toCallerView(ctx: Ctx, entityId: string, record: RecordData): RecordData {
  return stripRecord(ctx, entityPlan(ctx.meta, entityId), record)
}
