import type { ApprovalNode, ApproverSource, Flow } from '../../metadata/flow'
import type { ApprovalInstance, FlowEvent } from './approval-instance'

/** What of the organisation one event may ask about (see loadOrgViewFor). */
export interface OrgNeeds {
  /** Users asked about: their manager chains, departments and substitutes come with them. */
  users: string[]
  /** Roles whose members (and whose holders among the users) are asked about. */
  roles: string[]
  /** Usernames named by `{ user }` sources. */
  usernames: string[]
  /** Departments (besides the users') whose heads are asked about. */
  departments: string[]
  /** Whether the administrators are asked about (`noApprover: 'admin'`). */
  admins: boolean
}

/** What a flow's definition names, whatever the record: read once per flow object. */
interface FlowNames {
  roles: Set<string>
  usernames: Set<string>
  userFields: Set<string>
  departmentFields: Set<string>
  admins: boolean
}

const namesOf = new WeakMap<Flow, FlowNames>()

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function flowNames(flow: Flow): FlowNames {
  const known = namesOf.get(flow)
  if (known) return known
  const n: FlowNames = {
    roles: new Set(),
    usernames: new Set(),
    userFields: new Set(),
    departmentFields: new Set(),
    admins: false,
  }
  const source = (s: ApproverSource) => {
    if ('role' in s) n.roles.add(s.role)
    else if ('user' in s) n.usernames.add(s.user.toLowerCase())
    else if ('field' in s) n.userFields.add(s.field)
    else if ('managerChain' in s && s.managerChain.upToRole) n.roles.add(s.managerChain.upToRole)
    else if ('departmentHead' in s && s.departmentHead.field)
      n.departmentFields.add(s.departmentHead.field)
    else if ('submitterPick' in s && s.submitterPick.role) n.roles.add(s.submitterPick.role)
  }
  const walk = (nodes: ApprovalNode[]) => {
    for (const node of nodes) {
      if ('branches' in node) node.branches.forEach((b) => walk(b.steps))
      else if ('parallel' in node) node.parallel.forEach((b) => walk(b.steps))
      else [...node.approvers, ...(node.cc ?? [])].forEach(source)
    }
  }
  for (const t of flow.transitions) {
    if (!t.approval) continue
    walk(t.approval.steps)
    ;(t.approval.cc ?? []).forEach(source)
    // Administrators are the default when an approval names no rule for a step without approvers.
    if ((t.approval.noApprover ?? 'admin') === 'admin') n.admins = true
  }
  namesOf.set(flow, n)
  return n
}

/** The uuids in a field's value (one id or a list of them). */
function idsIn(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value]
  return list.filter((v): v is string => typeof v === 'string' && UUID.test(v))
}

/**
 * Who and what of the organisation the core may ask about for one event on one record: the
 * actor, the submitter, everyone the instance's tasks and picks name, the users and departments
 * the flow's field sources hold, the users the event names, the roles, usernames and (when a
 * step may fall to them) the administrators the flow names. Pure.
 */
export function orgNeeds(
  flow: Flow,
  record: Record<string, unknown>,
  actor: string,
  instance: ApprovalInstance | null,
  event?: FlowEvent,
): OrgNeeds {
  const names = flowNames(flow)
  const users = new Set<string>([actor])
  if (instance) {
    users.add(instance.submitter)
    for (const t of instance.tasks)
      for (const u of [t.assignee, t.owner, t.delegatedFrom, t.originalOwner]) if (u) users.add(u)
    for (const picked of Object.values(instance.picks)) idsIn(picked).forEach((u) => users.add(u))
  }
  for (const field of names.userFields) idsIn(record[field]).forEach((u) => users.add(u))
  if (event && 'picks' in event && event.picks)
    for (const picked of Object.values(event.picks)) idsIn(picked).forEach((u) => users.add(u))
  if (event && 'to' in event && typeof event.to === 'string')
    idsIn(event.to).forEach((u) => users.add(u))
  if (event && 'users' in event) idsIn(event.users).forEach((u) => users.add(u))
  const departments = new Set<string>()
  for (const field of names.departmentFields)
    idsIn(record[field]).forEach((d) => departments.add(d))
  return {
    users: [...users].filter((u) => UUID.test(u)),
    roles: [...names.roles],
    usernames: [...names.usernames],
    departments: [...departments],
    admins: names.admins,
  }
}

/**
 * What one event may ask about when it is known before the record is read: the flow's
 * approvers read no user or department field of the record, and no instance runs (a `fire`).
 * null when the record is needed. Lets the organisation be read in the same round trip as the
 * record's lock; `covers` then tells whether the read was enough.
 */
export function needsBeforeRecord(flow: Flow, actor: string, event?: FlowEvent): OrgNeeds | null {
  const names = flowNames(flow)
  if (names.userFields.size || names.departmentFields.size) return null
  return orgNeeds(flow, {}, actor, null, event)
}

/** Whether what was read (`have`) answers everything `want` may ask. */
export function covers(have: OrgNeeds, want: OrgNeeds): boolean {
  const all = (a: string[], b: string[]) => {
    const set = new Set(a)
    return b.every((x) => set.has(x))
  }
  return (
    all(have.users, want.users) &&
    all(have.roles, want.roles) &&
    all(have.usernames, want.usernames) &&
    all(have.departments, want.departments) &&
    (have.admins || !want.admins)
  )
}
