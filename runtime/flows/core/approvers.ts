import type { ApprovalStep, ApproverSource } from '../../../metadata/flow'
import type { OrgView, UserId } from '../approval-instance'
import type { Draft } from './draft'

/** The step's approvers in the order its sources find them: active users, each once. */
export function resolveApprovers(d: Draft, step: ApprovalStep): UserId[] {
  return resolveSources(d, step.approvers, step.id)
}

/** Users a list of sources finds (approvers or CC), active, each once, in order. */
export function resolveSources(d: Draft, sources: ApproverSource[], stepId?: string): UserId[] {
  const found = sources.flatMap((source) => resolveSource(d, source, stepId))
  return [...new Set(found)].filter((user) => d.ctx.org.isActive(user))
}

function resolveSource(d: Draft, source: ApproverSource, stepId?: string): UserId[] {
  const { org, record } = d.ctx
  const submitter = d.inst.submitter
  if ('user' in source) return orNone(org.userByName(source.user))
  if ('role' in source) return org.roleMembers(source.role)
  if ('field' in source) return usersIn(record[source.field])
  if ('manager' in source) return orNone(managerUp(org, submitter, source.manager))
  if ('managerChain' in source) return managerChain(org, submitter, source.managerChain)
  if ('departmentHead' in source) {
    const field = source.departmentHead.field
    const department = field ? record[field] : org.departmentOf(submitter)
    return typeof department === 'string' ? orNone(org.departmentHead(department)) : []
  }
  return stepId ? (d.inst.picks[stepId] ?? []) : []
}

function orNone(user: UserId | null): UserId[] {
  return user ? [user] : []
}

/** A field's user ids: one id or an array of them. */
function usersIn(value: unknown): UserId[] {
  const list = Array.isArray(value) ? value : [value]
  return list.filter((v): v is string => typeof v === 'string' && v !== '')
}

/** The manager `levels` above a user (null: the chain ends first). */
export function managerUp(org: OrgView, user: UserId, levels: number): UserId | null {
  let current: UserId | null = user
  for (let i = 0; i < levels && current; i++) current = org.managerOf(current)
  return current
}

/**
 * The managers above a user, the direct one first, up to the first holder of `upToRole`
 * (included), `levels` of them, or the top. A cycle in the org chart ends the chain.
 */
export function managerChain(
  org: OrgView,
  user: UserId,
  opts: { upToRole?: string; levels?: number },
): UserId[] {
  const chain: UserId[] = []
  const seen = new Set([user])
  for (let m = org.managerOf(user); m && !seen.has(m); m = org.managerOf(m)) {
    seen.add(m)
    chain.push(m)
    if (opts.upToRole && org.hasRole(m, opts.upToRole)) break
    if (opts.levels !== undefined && chain.length >= opts.levels) break
  }
  return chain
}

/** Whether a step's sources hold a manager chain (such a step runs in turn unless told). */
export function hasManagerChain(step: ApprovalStep): boolean {
  return step.approvers.some((source) => 'managerChain' in source)
}
