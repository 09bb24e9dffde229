import { sql, type SQL } from 'drizzle-orm'
import type { Action } from '../../metadata/role'
import type { Rule } from '../../metadata/rule'
import { SYSTEM_USER, type Ctx } from '../context'
import {
  assertReadableFilter,
  assertReadableSort,
  assertWritableFields,
  canAttempt,
  fieldAccess,
  touchesUnwritable,
  hiddenFields,
  scopePredicate,
  stripHidden,
} from '../permissions'
import type { EntityPlan } from './entity-plan'
import { mayNotAny, mayNotThis, outsideCreateScope, recordNotFound } from './record-refusal-texts'
import type { RecordData } from './record-data'
import { sameValue } from './same-value'

/** The alias guarded single-record statements give the entity table. */
export const ROW_ALIAS = 't'

/** 403 for an action the caller has no grant for at all on the entity. */
export function assertCanAttempt(ctx: Ctx, entityId: string, action: Action): void {
  if (canAttempt(ctx, entityId, action)) return
  throw mayNotAny(ctx, entityId, action, 'entity')
}

/** A list needs a read grant and may filter and sort only on fields the caller can read. */
export function assertListAllowed(
  ctx: Ctx,
  entityId: string,
  input: { filter?: Rule | null; sort?: string },
): void {
  assertCanAttempt(ctx, entityId, 'read')
  if (input.filter !== undefined && input.filter !== null)
    assertReadableFilter(ctx, entityId, input.filter)
  if (input.sort) assertReadableSort(ctx, entityId, input.sort)
}

/** A record as the caller may see it: hidden fields gone, child rows stripped by their entity. */
export function stripRecord<T extends RecordData>(ctx: Ctx, plan: EntityPlan, record: T): T {
  const out = stripHidden(hiddenFields(ctx, plan.entity.id), record)
  for (const child of plan.childTables) {
    const hidden = hiddenFields(ctx, child.plan.entity.id)
    const rows = out[child.field.name]
    if (hidden && Array.isArray(rows))
      (out as RecordData)[child.field.name] = rows.map((r: RecordData) => stripHidden(hidden, r))
  }
  return out
}

/**
 * 403 naming each field the input writes without the right to; unchanged values (round-trips)
 * pass. Child rows are checked against the child entity's field rules, row by row.
 */
export function assertWritableInput(
  ctx: Ctx,
  plan: EntityPlan,
  input: RecordData,
  old: RecordData | null,
): void {
  const same = (name: string, value: unknown) =>
    old ? sameValue(old[name] ?? null, value) : isUnsetOnCreate(plan, name, value)
  assertWritableFields(ctx, plan.entity.id, input, same)
  for (const child of plan.childTables) {
    const rows = input[child.field.name]
    if (!Array.isArray(rows)) continue
    const before = new Map(
      ((old?.[child.field.name] as RecordData[] | undefined) ?? []).map((r) => [r.id, r]),
    )
    rows.forEach((row: unknown, i) => {
      if (!row || typeof row !== 'object') return
      const prior = before.get((row as RecordData).id)
      const sameCell = (name: string, value: unknown) =>
        prior ? sameValue(prior[name] ?? null, value) : isUnsetOnCreate(child.plan, name, value)
      assertWritableFields(
        ctx,
        child.plan.entity.id,
        row as RecordData,
        sameCell,
        `${child.field.name}[${i}].`,
      )
    })
  }
}

/**
 * On create, a value that is empty or the field's fixed default sets nothing the default would
 * not: a form may send a read-only field's default (a new leave request's status `draft`).
 */
function isUnsetOnCreate(plan: EntityPlan, name: string, value: unknown): boolean {
  if (value === null) return true
  const fixed = plan.fieldsByName.get(name)?.default
  const dynamic = fixed !== null && typeof fixed === 'object' && 'dynamic' in fixed
  return fixed !== undefined && !dynamic && sameValue(fixed, value)
}

/** The input with the owner field set to the caller when the entity has one and none is given. */
export function withDefaultOwner(ctx: Ctx, plan: EntityPlan, input: RecordData): RecordData {
  const field = plan.entity.ownerField
  if (!field || !ctx.user || ctx.user.id === SYSTEM_USER.id) return input
  if (input[field] !== undefined && input[field] !== null) return input
  if (!plan.fieldsByName.has(field)) return input
  return { ...input, [field]: ctx.user.id }
}

/**
 * Inside the write's transaction: locks the row and checks it against the caller's read and
 * `action` scopes. Not readable (or missing) → 404; readable but out of scope → 403.
 */
export async function assertWriteScope(
  ctx: Ctx,
  plan: EntityPlan,
  id: string,
  action: 'update' | 'delete' | 'transition',
  scope: SQL,
): Promise<void> {
  const read = scopePredicate(ctx, plan.entity.id, 'read', { alias: ROW_ALIAS }) ?? sql`true`
  const t = sql.identifier(ROW_ALIAS)
  const rows = await ctx.db.query<{ r: boolean; w: boolean }>(sql`
    select coalesce(${read}, false) as r, coalesce(${scope}, false) as w
    from ${plan.table} ${t} where ${t}.id = ${id} for update of ${t}`)
  const row = rows[0]
  if (!row || !row.r) throw recordNotFound(ctx, plan.entity.id, id)
  if (!row.w) {
    throw mayNotThis(ctx, plan.entity.id, action)
  }
}

/** Whether row `id` satisfies `scope` (read inside the write's transaction). */
export async function isRowInScope(
  ctx: Ctx,
  plan: EntityPlan,
  id: string,
  scope: SQL,
): Promise<boolean> {
  const t = sql.identifier(ROW_ALIAS)
  const rows = await ctx.db.query(
    sql`select 1 from ${plan.table} ${t} where ${t}.id = ${id} and coalesce(${scope}, false)`,
  )
  return rows.length > 0
}

/** After an insert, in its transaction: 403 when the new row falls outside the create scope. */
export async function assertInCreateScope(
  ctx: Ctx,
  plan: EntityPlan,
  id: string,
  scope: SQL,
): Promise<void> {
  if (await isRowInScope(ctx, plan, id, scope)) return
  throw outsideCreateScope(ctx, plan.entity.id, plan.entity.ownerField ?? 'entity')
}

/** Whether a patch sets a field (or a child row cell) the caller may not write. */
export function needsFieldCheck(ctx: Ctx, plan: EntityPlan, patch: RecordData): boolean {
  if (touchesUnwritable(ctx, plan.entity.id, patch)) return true
  return plan.childTables.some(
    (child) =>
      patch[child.field.name] !== undefined &&
      [...fieldAccess(ctx, child.plan.entity.id).values()].some((a) => a !== 'write'),
  )
}
