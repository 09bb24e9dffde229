import { toWallTime } from '../alerts/zoned-time'
import { sql } from 'drizzle-orm'
import type { AssignLeave, AssignmentRule, PoolTeam } from '../../metadata/pool'
import type { Ctx } from '../context'
import { entityPlan } from '../records'
import { compileFilter } from '../rules'
import { teamMembers, type TeamMember } from '../pools'

/** A person who may take the record, with the open records they hold now. */
export interface Candidate extends TeamMember {
  open: number
}

/** The team a rule draws from for this record: its team, or the team of the record's field value. */
export function teamFor(rule: AssignmentRule, record: Record<string, unknown>): PoolTeam | null {
  if (rule.strategy !== 'byField') return rule.team ?? null
  const value = record[rule.byField!.field]
  return typeof value === 'string' ? (rule.byField!.teams[value] ?? null) : null
}

/** Ids of users on approved leave covering `day` (YYYY-MM-DD). */
async function onLeave(ctx: Ctx, leave: AssignLeave, day: string): Promise<Set<string>> {
  const plan = entityPlan(ctx.meta, leave.entity)
  const col = (name: string) => plan.storedByName.get(name)!.idents[0]
  const rows = await ctx.db.query<{ id: string }>(sql`
    select distinct ${col(leave.userField)}::text as id from ${plan.table}
    where ${col(leave.statusField)} = ${leave.approved ?? 'approved'}
      and ${col(leave.startField)}::date <= ${day}::date and ${col(leave.endField)}::date >= ${day}::date`)
  return new Set(rows.map((r) => r.id))
}

/** Open records per owner among `ids` (the rule's openFilter, else every record they own). */
async function openCounts(ctx: Ctx, rule: AssignmentRule, ids: string[]) {
  const plan = entityPlan(ctx.meta, rule.entity)
  const owner = plan.storedByName.get(rule.ownerField ?? plan.entity.ownerField!)!.idents[0]
  const open = rule.openFilter
    ? compileFilter(plan.entity, rule.openFilter, { alias: 't', now: ctx.clock.now() })
    : sql`true`
  const rows = await ctx.db.query<{ id: string; n: number }>(sql`
    select t.${owner}::text as id, count(*)::int as n from ${plan.table} t
    where t.${owner}::text in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
      and ${open}
    group by t.${owner}`)
  return new Map(rows.map((r) => [r.id, Number(r.n)]))
}

/** The calendar date (YYYY-MM-DD) of an instant in `timeZone`. */
function localDate(at: Date, timeZone: string): string {
  const { year, month, day } = toWallTime(at, timeZone)
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/**
 * The people a rule may give this record to, in username order: the team's enabled members,
 * without those on approved leave today and those at capacity, each with their open count.
 */
export async function assignmentCandidates(
  ctx: Ctx,
  rule: AssignmentRule,
  record: Record<string, unknown>,
  timeZone = 'UTC',
): Promise<Candidate[]> {
  const team = teamFor(rule, record)
  if (!team) return []
  let members = await teamMembers(ctx.db, team)
  if (rule.leave && members.length) {
    // Today where the instance is: a leave starting today in Shanghai starts before UTC's day.
    const away = await onLeave(ctx, rule.leave, localDate(ctx.clock.now(), timeZone))
    members = members.filter((m) => !away.has(m.id))
  }
  if (!members.length) return []
  const counts = await openCounts(
    ctx,
    rule,
    members.map((m) => m.id),
  )
  return members
    .map((m) => ({ ...m, open: counts.get(m.id) ?? 0 }))
    .filter((m) => rule.capacity === undefined || m.open < rule.capacity)
}
