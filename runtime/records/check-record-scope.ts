import { sql, type SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import { scopePredicate } from '../permissions'
import { SYSTEM_COLUMNS } from '../schema'
import type { EntityPlan } from './entity-plan'
import { toParams } from './field-values'
import { checkOwnerChange, patchedOwnerField } from './owner-change'
import { ROW_ALIAS, assertWriteScope } from './record-access'
import { outsideCreateScope, outsideUpdateScope } from './record-refusal-texts'
import type { RecordData } from './record-data'
import { mayLeaveUpdateScope } from './update-scope'

/**
 * Before validating an update, the checks `updateRecord` makes first, without writing: 404 when
 * the caller cannot read the record, 403 outside their update scope or when the patch hands the
 * record to another owner without the 'assign' right. Answers whether the owner changes hands.
 */
export async function assertMayUpdate(
  ctx: Ctx,
  plan: EntityPlan,
  id: string,
  patch: RecordData,
): Promise<boolean> {
  const scope = scopePredicate(ctx, plan.entity.id, 'update', { alias: ROW_ALIAS })
  // A statement of its own: the row lock `for update` takes ends with it.
  if (scope) await assertWriteScope(ctx, plan, id, 'update', scope)
  if (!patchedOwnerField(plan, patch)) return false
  const assign = scopePredicate(ctx, plan.entity.id, 'assign', { alias: ROW_ALIAS })
  return scope || assign ? checkOwnerChange(ctx, plan, id, patch, assign) : false
}

/**
 * After validating, the scope a write judges on the row it wrote, judged on the values instead:
 * a new record must fall in the create scope, an updated one stay in the update scope (unless
 * handed over). 403 with the write's own reason otherwise.
 */
export async function assertStaysInScope(
  ctx: Ctx,
  plan: EntityPlan,
  record: RecordData,
  changed: string[],
  old: { id: string; handedOver: boolean } | null,
): Promise<void> {
  const action = old ? 'update' : 'create'
  const scope = scopePredicate(ctx, plan.entity.id, action, { alias: ROW_ALIAS })
  if (!scope) return
  if (old && (old.handedOver || !mayLeaveUpdateScope(ctx, plan, pick(record, changed)))) return
  const values = toColumnJson(plan, record, old ? changed : null, ctx.user?.id ?? null)
  const t = sql.identifier(ROW_ALIAS)
  const row: SQL = old
    ? sql`(select (jsonb_populate_record(x, ${values}::jsonb)).* from ${plan.table} x
        where x.id = ${old.id})`
    : sql`jsonb_populate_record(null::${plan.table}, ${values}::jsonb)`
  const [answer] = await ctx.db.query<{ ok: boolean }>(
    sql`select coalesce(${scope}, false) as ok from ${row} ${t}`,
  )
  if (answer?.ok) return
  throw old
    ? outsideUpdateScope(ctx, plan.entity.id)
    : outsideCreateScope(ctx, plan.entity.id, plan.entity.ownerField ?? 'entity')
}

function pick(record: RecordData, names: string[]): RecordData {
  return Object.fromEntries(names.map((n) => [n, record[n]]))
}

/**
 * A record's stored values as a JSON object of column → value (`only`: those fields), the way
 * `jsonb_populate_record` reads them; a new row (no `only`) is created by `creator`.
 */
function toColumnJson(
  plan: EntityPlan,
  record: RecordData,
  only: string[] | null,
  creator: string | null,
): string {
  const out: Record<string, unknown> = only ? {} : { [SYSTEM_COLUMNS.createdBy]: creator }
  for (const stored of plan.stored) {
    if (only && !only.includes(stored.name)) continue
    const value = record[stored.name]
    if (value === undefined) continue
    const params = stored.field.type === 'money' ? toParams(stored.field, value) : [value ?? null]
    stored.columns.forEach((column, i) => (out[column] = params[i] ?? null))
  }
  return JSON.stringify(out)
}
