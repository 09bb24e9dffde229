import type { Flow } from '../../metadata/flow'
import { SYSTEM_USER, type Ctx } from '../context'
import { timeOrderedId } from '../db/time-ordered-id'
import { userVars } from '../permissions'
import type { RecordData } from '../records'
import type { CoreContext } from './approval-instance'
import { toLocale } from './core/flow-labels'
import { refusalWords, type RefusalWords } from './core/refusal-words'
import { flowOf } from './flow-of'
import { loadOrgView } from './org-view'

/**
 * The context the core reads for one event: now, the record, `$user`, the organisation as it is
 * now (`orgVersion`: its version, read in the caller's transaction; see `loadOrgView`), and the
 * caller's language with the entity, so a refusal names things by their labels in it.
 */
export async function coreContext(
  ctx: Ctx,
  flow: Flow,
  record: RecordData,
  orgVersion?: number,
): Promise<CoreContext> {
  const user = ctx.user ?? SYSTEM_USER
  return {
    now: ctx.clock.now(),
    record,
    user: { ...userVars(user), id: user.id },
    org: await loadOrgView(ctx, orgVersion),
    newInstanceId: timeOrderedId(),
    flowVersion: flow.version ?? 1,
    ...callerLanguage(ctx, flow.entity),
  }
}

/** The caller's language, the entity and the roles, for refusals worded in that language. */
function callerLanguage(
  ctx: Ctx,
  entity: string | undefined,
): Pick<CoreContext, 'locale' | 'entity' | 'roles'> {
  const locale = toLocale(ctx.user?.locale)
  return {
    locale,
    entity: entity ? ctx.meta.entities.get(entity) : undefined,
    roles: ctx.meta.roles,
  }
}

/**
 * The shell's refusal words for a flow's entity, in the caller's language (as the core's);
 * without an entity, for a request that spans several (a bulk task action).
 * @example throw new ForbiddenError(w.text('notAssigned', { step: w.step(task.step) }))
 */
export function callerRefusalWords(ctx: Ctx, entity?: string): RefusalWords {
  const flow = entity ? flowOf(ctx.meta, entity) : undefined
  return refusalWords(flow, callerLanguage(ctx, entity))
}

/** The actor of an event: the caller (the system when there is none). */
export function actorOf(ctx: Ctx): string {
  return (ctx.user ?? SYSTEM_USER).id
}
