/* Test fixtures for the flow core: a small organisation, a flow builder and an event runner. */
import type {
  Approval,
  ApprovalNode,
  ApprovalStep,
  ApproverSource,
  Flow,
  FlowTransition,
} from '../../../metadata/flow'
import type {
  ApprovalInstance,
  CoreContext,
  CoreResult,
  FlowEvent,
  OrgView,
  UserId,
} from '../approval-instance'
import { runFlowEvent } from './run-flow-event'

/** One person of the fake organisation (the id is the name, for readable tests). */
export interface Person {
  manager?: UserId
  department?: string
  roles?: string[]
  inactive?: boolean
  away?: { substitute: UserId; from: string; to: string }
}

/** An OrgView over a plain table of people. */
export function fakeOrg(
  people: Record<UserId, Person>,
  heads: Record<string, UserId> = {},
): OrgView {
  const of = (u: UserId) => people[u]
  return {
    userByName: (name) => (of(name) && !of(name)!.inactive ? name : null),
    managerOf: (u) => of(u)?.manager ?? null,
    departmentOf: (u) => of(u)?.department ?? null,
    departmentHead: (dep) => heads[dep] ?? null,
    roleMembers: (role) => Object.keys(people).filter((u) => people[u]!.roles?.includes(role)),
    hasRole: (u, role) => !!of(u)?.roles?.includes(role),
    usernameOf: (u) => (of(u) && !of(u)!.inactive ? u : null),
    rolesOf: (u) => (of(u) && !of(u)!.inactive ? [...(of(u)!.roles ?? [])] : []),
    substituteOf: (u, at) => {
      const away = of(u)?.away
      if (!away || at < new Date(away.from) || at > new Date(away.to)) return null
      return away.substitute
    },
    admins: () => Object.keys(people).filter((u) => people[u]!.roles?.includes('admin')),
    isActive: (u) => !!of(u) && !of(u)!.inactive,
  }
}

/** The standard cast: emp → mgr → dir → ceo; fin1, fin2, fin3 in finance; hr; root admin. */
export const org = fakeOrg(
  {
    emp: { manager: 'mgr', department: 'sales' },
    emp2: { manager: 'mgr', department: 'sales' },
    mgr: { manager: 'dir', department: 'sales', roles: ['manager'] },
    dir: { manager: 'ceo', department: 'sales', roles: ['director'] },
    ceo: { roles: ['director', 'ceo'] },
    fin1: { manager: 'ceo', department: 'finance', roles: ['finance'] },
    fin2: { manager: 'ceo', department: 'finance', roles: ['finance'] },
    fin3: { manager: 'ceo', department: 'finance', roles: ['finance'] },
    hr: { manager: 'ceo', department: 'hr', roles: ['hr'] },
    root: { roles: ['admin'] },
    gone: { inactive: true },
  },
  { sales: 'dir', finance: 'fin1' },
)

/** A flow on `request.status`: draft → (submit, with `approval`) → approved | rejected. */
export function flowWith(
  approval?: Partial<Approval> & { steps: ApprovalNode[] },
  transition: Partial<FlowTransition> = {},
): Flow {
  const submit: FlowTransition = {
    id: 'submit',
    label: { en: 'Submit' },
    from: ['draft'],
    to: 'approved',
    ...transition,
  }
  if (approval) submit.approval = { pending: 'pending', rejected: 'rejected', ...approval }
  return {
    id: 'request-flow',
    label: { en: 'Request' },
    entity: 'request',
    stateField: 'status',
    states: ['draft', 'pending', 'approved', 'rejected', 'closed'].map((id) => ({ id })),
    transitions: [
      submit,
      { id: 'close', label: { en: 'Close' }, from: ['approved'], to: 'closed' },
    ],
  }
}

/** An event without its actor (each member of the union keeps its own fields). */
export type EventInput = FlowEvent extends infer E
  ? E extends FlowEvent
    ? Omit<E, 'actor'>
    : never
  : never

/** A context for `actor` at a given instant over a record. */
export function ctxFor(
  actor: UserId,
  record: Record<string, unknown>,
  opts: { now?: string; org?: OrgView } = {},
): CoreContext {
  return {
    now: new Date(opts.now ?? '2025-03-03T09:00:00Z'),
    record,
    user: { id: actor, username: actor },
    org: opts.org ?? org,
    newInstanceId: 'i1',
    flowVersion: 1,
  }
}

/**
 * A record's life under one flow: fires and acts like the shell would, keeping the record's
 * state and the instance between events.
 */
export class Run {
  record: Record<string, unknown>
  instance: ApprovalInstance | null = null
  last: CoreResult | null = null
  now = '2025-03-03T09:00:00Z'

  constructor(
    readonly flow: Flow,
    record: Record<string, unknown> = {},
    readonly orgView: OrgView = org,
  ) {
    this.record = { id: 'r1', status: 'draft', ...record }
  }

  /** Runs one event as `actor`, applying the result as the shell would. */
  act(actor: UserId, event: EventInput): CoreResult {
    const ctx = ctxFor(actor, this.record, { now: this.now, org: this.orgView })
    const result = runFlowEvent(this.flow, this.instance, { ...event, actor } as FlowEvent, ctx)
    this.record = { ...this.record, ...result.inputs }
    if (result.state) this.record.status = result.state
    if (result.instance) this.instance = result.instance
    this.last = result
    return result
  }

  /** The pending task of a user (throws when none, so tests read plainly). */
  taskOf(user: UserId): string {
    const task = this.instance?.tasks.find((t) => t.assignee === user && t.status === 'pending')
    if (!task) throw new Error(`${user} has no pending task`)
    return task.id
  }

  /** Who holds a pending task now, sorted. */
  pending(): UserId[] {
    return (this.instance?.tasks ?? [])
      .filter((t) => t.status === 'pending')
      .map((t) => t.assignee)
      .sort()
  }

  approve(user: UserId, comment?: string): CoreResult {
    return this.act(user, { type: 'approve', task: this.taskOf(user), comment })
  }

  reject(user: UserId, comment = 'no'): CoreResult {
    return this.act(user, { type: 'reject', task: this.taskOf(user), comment })
  }

  submit(actor = 'emp', extra: Partial<Extract<FlowEvent, { type: 'fire' }>> = {}): CoreResult {
    return this.act(actor, { type: 'fire', transition: 'submit', ...extra })
  }
}

/** A step over approver sources with options. */
export function step(
  id: string,
  approvers: ApproverSource[],
  extra: Partial<ApprovalStep> = {},
): ApprovalStep {
  return { id, label: { en: id }, approvers, ...extra }
}
