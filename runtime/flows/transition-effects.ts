import { sql } from 'drizzle-orm'
import type { CreateEffect, EffectValue, FlowTransition } from '../../metadata/flow'
import { SYSTEM_USER, type Ctx, type CurrentUser } from '../context'
import { ConflictError } from '../errors'
import { currentUserColumns, toCurrentUser, type CurrentUserRow } from '../identity'
import { userVars } from '../permissions'
import { createRecord, findReusableRecord, type RecordData } from '../records'
import { evaluateRule } from '../rules'
import type { ApprovalInstance } from './approval-instance'

/** What effect values read besides the record. */
interface EffectScope {
  $user: Record<string, unknown> | null
  $now: string
  $today: string
  $created: Record<string, string>
}

/**
 * Runs a transition's declarative effects in the caller's transaction: `create` effects make
 * (or, with `reuse`, find) their records, `set` effects compute values. Answers the values to
 * write on the record with its state (each `linkBack` included). Effects run in order, so a
 * later one reads `$created.<as>` of an earlier one.
 */
export async function runTransitionEffects(
  ctx: Ctx,
  transition: FlowTransition,
  record: RecordData,
  actor: CurrentUser | null,
): Promise<RecordData> {
  const now = ctx.clock.now()
  const scope: EffectScope = {
    $user: actor ? userVars(actor) : null,
    $now: now.toISOString(),
    $today: now.toISOString().slice(0, 10),
    $created: {},
  }
  const values: RecordData = {}
  const data = () => ({ ...record, ...values, ...scope })
  for (const [i, effect] of (transition.effects ?? []).entries()) {
    const path = `transitions.${transition.id}.effects[${i}]`
    if (effect.type === 'set') {
      for (const [name, rule] of Object.entries(effect.params.values))
        values[name] = evaluate(rule, data(), now, `${path}.values.${name}`)
      continue
    }
    const id = await runCreate(ctx, effect, data(), actor, path)
    scope.$created[effect.params.as] = id
    if (effect.params.linkBack) values[effect.params.linkBack] = id
  }
  return values
}

function evaluate(rule: EffectValue, data: object, now: Date, path: string): unknown {
  const value = evaluateRule(rule, data, { now, path })
  return value === undefined ? null : value
}

/**
 * Creates the effect's record with the system's reach (the transition right is the caller's
 * licence; the flow's definition says what is made) in the actor's name: it is their write in
 * `created_by` and the audit, and theirs unless the values name an owner. Automation (no actor,
 * or the system user) writes as the system.
 */
async function runCreate(
  ctx: Ctx,
  effect: CreateEffect,
  data: RecordData,
  actor: CurrentUser | null,
  path: string,
): Promise<string> {
  const p = effect.params
  const now = ctx.clock.now()
  const input: RecordData = {}
  for (const [name, rule] of Object.entries(p.values))
    input[name] = evaluate(rule, data, now, `${path}.values.${name}`)
  for (const copy of p.children ?? []) {
    const rows = Array.isArray(data[copy.from]) ? (data[copy.from] as RecordData[]) : []
    input[copy.to] = rows.map((row) => {
      const out: RecordData = {}
      for (const [name, rule] of Object.entries(copy.values))
        out[name] = evaluate(
          rule,
          { ...row, $parent: data, $user: data.$user },
          now,
          `${path}.children`,
        )
      return out
    })
  }
  const owner = ctx.meta.entities.get(p.entity)?.ownerField
  if (owner && input[owner] === undefined && actor && actor.id !== SYSTEM_USER.id)
    input[owner] = actor.id
  const writer: Ctx = { ...ctx, user: writerFor(actor) }
  if (p.reuse) {
    const found = await findReusableRecord(writer, p.entity, input)
    if (found) return found
  }
  try {
    const { record } = await createRecord(writer, p.entity, input)
    return record.id as string
  } catch (err) {
    const existing = (err as ConflictError).extra?.existing as { id?: string } | undefined
    if (p.reuse && err instanceof ConflictError && existing?.id) return existing.id
    throw err
  }
}

/**
 * Who writes an effect's record: the system's rights and rule context (an administrator without
 * roles, as before) under the actor's identity, so `created_by` and the audit name the person
 * who fired the transition; the system itself when automation fired it.
 */
export function writerFor(actor: CurrentUser | null): CurrentUser {
  if (!actor || actor.id === SYSTEM_USER.id) return SYSTEM_USER
  const { id, username, displayName, locale } = actor
  return { ...SYSTEM_USER, id, username, displayName, locale }
}

/**
 * Whose action a transition's effects carry out: the submitter of the approval it waited for
 * (the approver who completed it only agreed; an approval a timeout completed is still theirs),
 * else the caller who fired it. A submitter no longer in the directory leaves it to the system.
 * @example await effectsActor(ctx, result.instance) // the rep who asked, not the manager
 */
export async function effectsActor(
  ctx: Ctx,
  instance: ApprovalInstance | null,
): Promise<CurrentUser | null> {
  const submitter = instance?.submitter
  if (!submitter || submitter === ctx.user?.id) return ctx.user
  if (submitter === SYSTEM_USER.id) return SYSTEM_USER
  const rows = await ctx.db.query<CurrentUserRow>(
    sql`select ${currentUserColumns} from users u where u.id = ${submitter}::uuid`,
  )
  return rows.length ? toCurrentUser(rows[0]) : SYSTEM_USER
}
