import { sql } from 'drizzle-orm'
import type { AssignmentRule } from '../../metadata/pool'
import type { Ctx } from '../context'
import { evaluateRule, isTruthy } from '../rules'
import { assignmentCandidates, type Candidate } from './candidates'

/** Who gets the record and how the rule chose them. */
export interface Assignment {
  userId: string
  username: string
  how: 'roundRobin' | 'leastLoad' | 'fallback'
}

/**
 * The rule's next turn: a counter per rule, bumped with `update … returning` so parallel
 * assignments each take a different turn. Kept in auto_numbers under entity `$assignment`
 * (a name no entity can take).
 */
async function nextTurn(ctx: Ctx, ruleId: string): Promise<number> {
  const [row] = await ctx.db.query<{ value: number }>(sql`
    insert into auto_numbers (entity, field, period, value) values ('$assignment', ${ruleId}, '', 1)
    on conflict (entity, field, period) do update set value = auto_numbers.value + 1
    returning value`)
  return Number(row.value)
}

async function pick(ctx: Ctx, rule: AssignmentRule, people: Candidate[]): Promise<Candidate> {
  const how = rule.strategy === 'byField' ? (rule.byField!.pick ?? 'roundRobin') : rule.strategy
  if (how === 'leastLoad') {
    const least = Math.min(...people.map((p) => p.open))
    people = people.filter((p) => p.open === least)
    if (people.length === 1) return people[0]
  }
  // Round robin, and the tie-break among the least loaded.
  return people[((await nextTurn(ctx, rule.id)) - 1) % people.length]
}

async function fallback(ctx: Ctx, rule: AssignmentRule): Promise<Assignment | null> {
  if (!rule.fallbackOwner) return null
  const [row] = await ctx.db.query<{ id: string }>(sql`
    select id::text as id from users where username = ${rule.fallbackOwner} and not disabled`)
  return row ? { userId: row.id, username: rule.fallbackOwner, how: 'fallback' } : null
}

/**
 * Picks an owner for a new record by the rule: round robin within the team, the least open
 * load, or the team of a field's value; people on leave and at capacity are passed over, and
 * the fallback owner takes it when nobody can. Null: the rule does not apply (its `when` does
 * not hold) or nobody, not even a fallback, can take it.
 * @example await assignRecord(ctx, leadRoundRobin, { region: 'east' }) // { userId, username: 'ann', how: 'roundRobin' }
 */
export async function assignRecord(
  ctx: Ctx,
  rule: AssignmentRule,
  record: Record<string, unknown>,
  timeZone = 'UTC',
): Promise<Assignment | null> {
  if (rule.when && !isTruthy(evaluateRule(rule.when, record))) return null
  const people = await assignmentCandidates(ctx, rule, record, timeZone)
  if (!people.length) return fallback(ctx, rule)
  const chosen = await pick(ctx, rule, people)
  const how = rule.strategy === 'byField' ? (rule.byField!.pick ?? 'roundRobin') : rule.strategy
  return { userId: chosen.id, username: chosen.username, how }
}
