import { sql } from 'drizzle-orm'
import type { Flow } from '../../metadata/flow'
import { SYSTEM_USER, type Ctx } from '../context'
import { ConflictError, ForbiddenError, ValidationError, type Issue } from '../errors'
import { flowOf, initialState } from '../flows/flow-of'
import type { EntityPlan } from './entity-plan'
import { flowLockWords } from './flow-lock-texts'
import { isSystemKey, type RecordData } from './record-data'
import { sameRows, sameValue } from './same-value'

/*
 * The record side of a flow: its state field moves only through transitions, new records start
 * in the initial state, and a state's lock keeps fields read-only. The engine's own writes (the
 * system user: seeds, automation, the flow shell) are not checked.
 */

/** The flow that governs a person's write on the entity, or null (no flow, or the system). */
export function flowGoverning(ctx: Ctx, entityId: string): Flow | null {
  if (!ctx.user || ctx.user.id === SYSTEM_USER.id) return null
  return flowOf(ctx.meta, entityId) ?? null
}

/** Whether a patch must be checked against the flow: it names the state, or some state locks. */
export function needsFlowCheck(flow: Flow | null, patch: RecordData): boolean {
  if (!flow) return false
  return patch[flow.stateField] !== undefined || flow.states.some((s) => s.lock)
}

/**
 * A create under a flow: the input without the state field, and the state to write as an engine
 * value (the field may be read-only). A person's create starts in the initial state (naming
 * another is 422); the system's and an administrator's (seeds, demo data, a data migration) may
 * name any state. Null: no flow.
 */
export function startStateOf(
  ctx: Ctx,
  plan: EntityPlan,
  input: RecordData,
): { input: RecordData; state: RecordData } | null {
  const flow = flowOf(ctx.meta, plan.entity.id)
  if (!flow) return null
  const field = flow.stateField
  const initial = initialState(flow, plan.fieldsByName.get(field)?.default).id
  const given = input[field]
  const named = given !== undefined && given !== null
  const loader = !ctx.user || ctx.user.id === SYSTEM_USER.id || ctx.user.isAdmin
  if (named && given !== initial && !loader) {
    const w = flowLockWords(ctx)
    const state = w.state(flow, plan.entity, initial)
    throw new ValidationError(
      w.text('startTitle', { entity: w.entity(plan.entity), state }),
      [{ path: field, message: w.text('startField', { state, flow: w.flow(flow) }) }],
      { state: initial },
    )
  }
  const rest = { ...input }
  delete rest[field]
  return { input: rest, state: { [field]: named ? given : initial } }
}

/**
 * The fields a patch changes against the stored record (system keys left out; names that are no
 * field of the entity are left to validation, which refuses them with their own message).
 */
function changedNames(plan: EntityPlan, patch: RecordData, old: RecordData): string[] {
  return Object.keys(patch).filter((name) => {
    if (isSystemKey(name) || patch[name] === undefined || !plan.fieldsByName.has(name)) return false
    const child = plan.fieldsByName.get(name)?.type === 'childTable'
    return child ? !sameRows(old[name], patch[name]) : !sameValue(old[name] ?? null, patch[name])
  })
}

/**
 * Refuses a patch the flow does not allow, against the stored record: a changed state (422), a
 * field the current state's lock keeps read-only (403), a field only the current approvers may
 * change when the caller holds no pending task of the record's running approval (403).
 */
export async function assertFlowAllowsPatch(
  ctx: Ctx,
  flow: Flow,
  plan: EntityPlan,
  id: string,
  patch: RecordData,
  old: RecordData,
): Promise<void> {
  const changed = changedNames(plan, patch, old)
  const w = flowLockWords(ctx)
  if (changed.includes(flow.stateField)) {
    throw new ValidationError(
      w.text('stateTitle', { field: w.field(plan.entity, flow.stateField) }),
      [{ path: flow.stateField, message: w.text('stateField', { flow: w.flow(flow) }) }],
    )
  }
  const state = flow.states.find((s) => s.id === old[flow.stateField])
  const lock = state?.lock
  if (!lock || !changed.length) return
  const editable = new Set(lock.editable)
  const label = w.state(flow, plan.entity, state.id)
  const issues: Issue[] = changed
    .filter((name) => !editable.has(name))
    .map((path) => ({ path, message: w.text('lockedField', { state: label }) }))
  if (!issues.length && lock.by === 'approver' && !(await holdsPendingTask(ctx, plan, id))) {
    for (const path of changed) issues.push({ path, message: w.text('approverField') })
  }
  if (issues.length) {
    const message = w.text('lockedTitle', { entity: w.entity(plan.entity), state: label })
    throw new ForbiddenError(message, issues, { state: state.id })
  }
}

/** Whether the caller holds a pending task of the record's running approval. */
async function holdsPendingTask(ctx: Ctx, plan: EntityPlan, id: string): Promise<boolean> {
  const rows = await ctx.db.query(sql`
    select 1 from approval_tasks t join flow_instances i on i.id = t.instance_id
    where t.entity = ${plan.entity.id} and t.record_id = ${id}::uuid
      and t.assignee = ${ctx.user!.id}::uuid and t.status = 'pending' and i.status = 'running'
    limit 1`)
  return rows.length > 0
}

/** A record whose approval is running cannot be deleted: its approvers would act on nothing. */
export class ApprovalRunningError extends ConflictError {
  override readonly code = 'APPROVAL_RUNNING'
}

/**
 * Refuses to delete a record under a running approval (409 APPROVAL_RUNNING: recall it first).
 * Run in the delete's transaction after the row is locked, so no approval starts in between.
 */
export async function assertNoRunningApproval(ctx: Ctx, plan: EntityPlan, id: string) {
  const rows = await ctx.db.query(sql`
    select 1 from flow_instances
    where entity = ${plan.entity.id} and record_id = ${id}::uuid and status = 'running' limit 1`)
  if (rows.length) {
    const w = flowLockWords(ctx)
    throw new ApprovalRunningError(w.text('approvalRunning', { entity: w.entity(plan.entity) }))
  }
}

/** A record in a state whose lock says `delete: false` cannot be deleted. */
export class StateLockedError extends ConflictError {
  override readonly code = 'STATE_LOCKED'
}

/** The state of `flow` the record is in when that state's lock forbids deleting, else null. */
export function deleteLockOf(flow: Flow, record: RecordData) {
  const state = flow.states.find((s) => s.id === record[flow.stateField])
  return state?.lock?.delete === false ? state : null
}

/**
 * Refuses to delete a record whose current state locks deleting (409 STATE_LOCKED, `state` naming
 * it), for every person, administrators included: the record has become something others build
 * on (a converted quote's sales order). The system (seeds, automation) is not held. Judged on the
 * version the delete expects (a stale one gets the stale-version 409 from the delete itself), and
 * run after the row is locked, so no transition moves it into such a state in between.
 */
export async function assertStateAllowsDelete(
  ctx: Ctx,
  flow: Flow,
  plan: EntityPlan,
  id: string,
  expected: number,
): Promise<void> {
  if (!ctx.user || ctx.user.id === SYSTEM_USER.id) return
  if (!flow.states.some((s) => s.lock?.delete === false)) return
  const column = plan.storedByName.get(flow.stateField)?.idents[0]
  if (!column) return
  const rows = await ctx.db.query(
    sql`select ${column} as state, version from ${plan.table} where id = ${id}::uuid`,
  )
  if (!rows.length || Number(rows[0].version) !== expected) return
  const state = deleteLockOf(flow, { [flow.stateField]: rows[0].state })
  if (state) {
    const w = flowLockWords(ctx)
    const label = w.state(flow, plan.entity, state.id)
    throw new StateLockedError(
      w.text('deleteTitle', { entity: w.entity(plan.entity), state: label }),
      [{ path: flow.stateField, message: w.text('deleteField', { state: label }) }],
      { state: state.id },
    )
  }
}

/** Locks the record's row for the rest of the transaction (a transition waits for it). */
export async function lockRow(ctx: Ctx, plan: EntityPlan, id: string): Promise<void> {
  await ctx.db.query(sql`select 1 from ${plan.table} where id = ${id}::uuid for update`)
}
