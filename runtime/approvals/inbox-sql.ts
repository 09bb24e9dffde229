import { sql, type SQL } from 'drizzle-orm'
import type { Ctx } from '../context'
import { hiddenFields, scopePredicate } from '../permissions'
import { entityPlan } from '../records'

/** The four boxes of the inbox. */
export const INBOX_BOXES = ['pending', 'submitted', 'cc', 'done'] as const
export type InboxBox = (typeof INBOX_BOXES)[number]

/**
 * Per box: the rows it lists (aliases t: task, i: instance, c: cc), the caller's filter, the row's
 * entity and record, and its sort time and key. `counted` narrows what the sidebar count counts.
 */
interface BoxSource {
  from: SQL
  mine: (me: string) => SQL
  entity: SQL
  recordId: SQL
  sortAt: SQL
  sortKey: SQL
  taskId: SQL
  step: SQL
  status: SQL
  createdAt: SQL
  decidedAt: SQL
  /** A task the caller delegated: the delegate holding it or who decided it; else null. */
  delegatedTo: (me: string) => SQL
  counted: SQL
}

const TASKS = sql`approval_tasks t join flow_instances i on i.id = t.instance_id`

const SOURCES: Record<InboxBox, BoxSource> = {
  pending: {
    from: TASKS,
    mine: (me) => sql`t.assignee = ${me}::uuid and t.status = 'pending'`,
    entity: sql`t.entity`,
    recordId: sql`t.record_id`,
    sortAt: sql`t.created_at`,
    sortKey: sql`t.id::text`,
    taskId: sql`t.id::text`,
    step: sql`t.step`,
    status: sql`t.status`,
    createdAt: sql`t.created_at`,
    decidedAt: sql`t.decided_at`,
    delegatedTo: () => sql`null::text`,
    counted: sql`true`,
  },
  // What the caller handled: their decisions, and the tasks they delegated, while the delegate
  // holds them (sorted by arrival) and once the delegate decided them.
  done: {
    from: TASKS,
    mine: (me) => sql`(t.decided_by = ${me}::uuid or (t.delegated_from = ${me}::uuid
      and (t.status = 'pending' or t.decided_by is not null)))`,
    entity: sql`t.entity`,
    recordId: sql`t.record_id`,
    sortAt: sql`coalesce(t.decided_at, t.created_at)`,
    sortKey: sql`t.id::text`,
    taskId: sql`t.id::text`,
    step: sql`t.step`,
    status: sql`t.status`,
    createdAt: sql`t.created_at`,
    decidedAt: sql`t.decided_at`,
    delegatedTo: (me) => sql`case when t.delegated_from = ${me}::uuid
      and t.decided_by is distinct from ${me}::uuid then coalesce(t.decided_by, t.assignee)::text end`,
    counted: sql`true`,
  },
  submitted: {
    from: sql`flow_instances i`,
    mine: (me) => sql`i.submitter = ${me}::uuid`,
    entity: sql`i.entity`,
    recordId: sql`i.record_id`,
    sortAt: sql`i.started_at`,
    sortKey: sql`i.id::text`,
    taskId: sql`null::text`,
    step: sql`i.data->'active'->>0`,
    status: sql`i.status`,
    createdAt: sql`i.started_at`,
    decidedAt: sql`i.ended_at`,
    delegatedTo: () => sql`null::text`,
    // The sidebar counts what is still waiting.
    counted: sql`i.status = 'running'`,
  },
  cc: {
    from: sql`approval_cc c join flow_instances i on i.id = c.instance_id`,
    mine: (me) => sql`c.user_id = ${me}::uuid`,
    entity: sql`i.entity`,
    recordId: sql`i.record_id`,
    sortAt: sql`c.created_at`,
    sortKey: sql`c.instance_id::text || '/' || c.step`,
    taskId: sql`null::text`,
    step: sql`nullif(c.step, '')`,
    status: sql`i.status`,
    createdAt: sql`c.created_at`,
    decidedAt: sql`i.ended_at`,
    delegatedTo: () => sql`null::text`,
    counted: sql`true`,
  },
}

/** The entities the caller has rows of in `box` (one index read), as listed in the metadata. */
export async function entitiesInBox(ctx: Ctx, box: InboxBox, me: string): Promise<string[]> {
  const s = SOURCES[box]
  const rows = await ctx.db.query<{ entity: string }>(
    sql`select distinct ${s.entity} as entity from ${s.from} where ${s.mine(me)}`,
  )
  return rows.map((r) => r.entity).filter((id) => ctx.meta.entities.has(id))
}

/** The record's title as text, or null when the entity has none or the caller may not read it. */
function titleOf(ctx: Ctx, entity: string): SQL {
  const plan = entityPlan(ctx.meta, entity)
  const titleField = plan.entity.titleField
  if (!plan.titleColumn || (titleField && hiddenFields(ctx, entity)?.has(titleField)))
    return sql`null::text`
  return sql`r.${sql.identifier(plan.titleColumn)}::text`
}

/**
 * The record's readable `subtitleFields` (one-line types: text, select, number, date) as a json
 * object of text values, null when it names none, so two requests with the same title (two
 * "Annual leave"s) read apart in the inbox. json in every branch: the branches are one UNION.
 */
function subtitleOf(ctx: Ctx, entity: string): SQL {
  const plan = entityPlan(ctx.meta, entity)
  const hidden = hiddenFields(ctx, entity)
  const pairs = (plan.entity.subtitleFields ?? [])
    .filter((name) => plan.storedByName.has(name) && !hidden?.has(name))
    .map((name) => sql`${name}::text, r.${plan.storedByName.get(name)!.idents[0]}::text`)
  return pairs.length ? sql`json_build_object(${sql.join(pairs, sql`, `)})` : sql`null::json`
}

/**
 * One branch per entity: the box's rows of that entity joined to the record, kept only where the
 * caller's read scope reaches it, so nothing about an unreadable record is listed or counted.
 */
function branch(ctx: Ctx, box: InboxBox, me: string, entity: string, counting: boolean): SQL {
  const s = SOURCES[box]
  const plan = entityPlan(ctx.meta, entity)
  const scope = scopePredicate(ctx, entity, 'read', { alias: 'r' }) ?? sql`true`
  const where = sql`${s.mine(me)} and ${s.entity} = ${entity} and ${scope}`
  const join = sql`${s.from} join ${plan.table} r on r.id = ${s.recordId}`
  if (counting) return sql`select 1 as one from ${join} where ${where} and ${s.counted}`
  return sql`select ${s.sortAt} as sort_at, ${s.sortKey} as sort_key, ${s.taskId} as task_id,
    i.id::text as instance_id, i.flow, i.transition, i.flow_version, ${s.entity} as entity,
    ${s.recordId}::text as record_id, ${titleOf(ctx, entity)} as title,
    ${subtitleOf(ctx, entity)} as subtitle, ${s.step} as step,
    ${s.status} as status, ${s.createdAt} as created_at, ${s.decidedAt} as decided_at,
    i.submitter::text as submitter, ${s.delegatedTo(me)} as delegated_to
    from ${join} where ${where}`
}

/** The union of the branches (null when the caller has no rows in the box). */
export function boxUnion(
  ctx: Ctx,
  box: InboxBox,
  me: string,
  entities: string[],
  counting = false,
): SQL | null {
  if (!entities.length) return null
  return sql.join(
    entities.map((e) => sql`(${branch(ctx, box, me, e, counting)})`),
    sql` union all `,
  )
}
