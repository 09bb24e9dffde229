import type { Entity } from '../metadata/entity'
import type { Flow } from '../metadata/flow'
import type { Role, Scope } from '../metadata/role'
import type {
  ApprovalInstance,
  CoreContext,
  CoreResult,
  FlowEvent,
  UserId,
} from '../runtime/flows/approval-instance'
import { TrellisError } from '../runtime/errors'
import { evaluateRule, isTruthy } from '../runtime/rules'
import { DEMO_DEPARTMENTS } from './demo/people'
import type { ScenarioOrg, ScenarioPerson } from './flow-scenario-org'

/** One event of a scenario and what must hold after it (format: seeds/flows.test.ts). */
export interface ScenarioStep {
  fire?: string
  approve?: string
  reject?: string
  return?: string
  withdraw?: string
  timeout?: string
  delegate?: string
  transfer?: string
  recall?: true
  resubmit?: true
  as?: string
  inputs?: Record<string, unknown>
  comment?: string
  /** `return`: 'previous' | 'submitter' | { step }; `delegate` / `transfer`: a username. */
  to?: string | { step: string }
  picks?: Record<string, string[]>
  state?: string
  refused?: number
  tasks?: string[]
  status?: ApprovalInstance['status']
  effects?: string[]
}

/** One scenario: a record in a start state and the events it goes through. */
export interface FlowScenario {
  name: string
  start: string
  record?: Record<string, unknown>
  steps: ScenarioStep[]
}

/** A `<flow>.scenarios.json` file. */
export interface ScenarioFile {
  flow: string
  people?: ScenarioPerson[]
  scenarios: FlowScenario[]
}

/** What one step did: the record's state after it, or the status it was refused with. */
export interface Observed {
  state: string
  refused: number | null
  message?: string
  /** Usernames holding a pending task of the record's approval, sorted. */
  tasks: string[]
  status: ApprovalInstance['status'] | null
  effects: string[]
  /** The transition the step fired, when the core accepted it. */
  fired?: string
}

/** What the runner needs besides the scenario. */
export interface RunnerSetup {
  flow: Flow
  entity: Entity
  roles: Role[]
  org: ScenarioOrg
  run: (flow: Flow, i: ApprovalInstance | null, e: FlowEvent, c: CoreContext) => CoreResult
}

const TASK_EVENTS = [
  'approve',
  'reject',
  'return',
  'withdraw',
  'timeout',
  'delegate',
  'transfer',
] as const
const START = Date.parse('2025-06-30T01:00:00.000Z')
const SYSTEM = 'user:system'

/** `@username` in a scenario's values means that person's user id. */
function resolveUsers(values: Record<string, unknown>, org: ScenarioOrg): Record<string, unknown> {
  const at = (v: unknown) => (typeof v === 'string' && v.startsWith('@') ? org.idOf(v.slice(1)) : v)
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v.map(at) : at(v)]),
  )
}

function departmentTree(root: string): Set<string> {
  const tree = new Set([root])
  for (let grew = true; grew;) {
    grew = false
    for (const d of DEMO_DEPARTMENTS)
      if (d.parent && tree.has(d.parent) && !tree.has(d.name)) grew = tree.add(d.name).size > 0
  }
  return tree
}

/** Whether `scope` reaches the record for the actor, as the shell's `transition` check would. */
function scopeReaches(
  scope: Scope | undefined,
  s: RunnerSetup,
  actor: UserId,
  record: Record<string, unknown>,
  filter: unknown,
): boolean {
  const owner = (record[s.entity.ownerField ?? 'createdBy'] ?? record.createdBy) as
    UserId | undefined
  const me = s.org.members.get(actor)!
  const ownerDept = owner ? s.org.members.get(owner)?.department : undefined
  switch (scope) {
    case 'all':
      return true
    case 'own':
      return owner === actor
    case 'ownAndSubordinates':
      for (let u = owner ?? null; u; u = s.org.members.get(u)?.manager ?? null)
        if (u === actor) return true
      return false
    case 'department':
      return ownerDept === me.department
    case 'departmentTree':
      return ownerDept !== undefined && departmentTree(me.department).has(ownerDept)
    case 'filter':
      return isTruthy(evaluateRule(filter as never, { ...record, $user: { id: actor } }))
    default:
      return false
  }
}

/** Whether any role of the actor grants `transition` on this record. */
export function mayTransition(
  s: RunnerSetup,
  actor: UserId,
  record: Record<string, unknown>,
): boolean {
  const held = s.org.members.get(actor)?.roles ?? []
  return s.roles
    .filter((r) => held.includes(r.id))
    .some((role) => {
      if (role.all) return true
      const grant = role.grants.find((g) => g.entity === s.entity.id)
      return scopeReaches(grant?.scopes.transition, s, actor, record, grant?.filters?.transition)
    })
}

function pendingTask(
  instance: ApprovalInstance | null,
  step: string,
  actor: UserId,
): string | null {
  const pending = (instance?.tasks ?? []).filter((t) => t.status === 'pending' && t.step === step)
  return (pending.find((t) => t.assignee === actor) ?? pending[0])?.id ?? null
}

/** The core event a step describes (null: no pending task of the named step). */
function toEvent(
  step: ScenarioStep,
  actor: UserId,
  s: RunnerSetup,
  instance: ApprovalInstance | null,
): FlowEvent | null {
  const base = { actor, comment: step.comment }
  if (step.fire) {
    const picks =
      step.picks &&
      Object.fromEntries(Object.entries(step.picks).map(([k, v]) => [k, v.map(s.org.idOf)]))
    const inputs = step.inputs && resolveUsers(step.inputs, s.org)
    return { ...base, type: 'fire', transition: step.fire, inputs, picks }
  }
  if (step.recall) return { ...base, type: 'recall' }
  if (step.resubmit) return { ...base, type: 'resubmit' }
  const type = TASK_EVENTS.find((k) => step[k] !== undefined)
  if (!type) throw new Error(`step ${JSON.stringify(step)} names no event`)
  const task = pendingTask(instance, step[type]!, actor)
  if (!task) return null
  if (type === 'return') return { ...base, type, task, to: (step.to ?? 'previous') as 'previous' }
  if (type === 'delegate' || type === 'transfer')
    return { ...base, type, task, to: s.org.idOf(String(step.to)) }
  return { ...base, type, task }
}

function observe(
  s: RunnerSetup,
  record: Record<string, unknown>,
  instance: ApprovalInstance | null,
): Omit<Observed, 'refused' | 'effects'> {
  const tasks = (instance?.tasks ?? [])
    .filter((t) => t.status === 'pending')
    .map((t) => s.org.nameOf(t.assignee))
  return {
    state: String(record[s.flow.stateField]),
    tasks: tasks.sort(),
    status: instance?.status ?? null,
  }
}

/**
 * Runs one scenario through the core: each step becomes a core event (fire, task action, recall,
 * resubmit, timeout); a fire is first checked against the actor's `transition` scope (403 like
 * the shell). Refusals are observed, not thrown; the record keeps its state after one.
 */
export function runScenario(s: RunnerSetup, scenario: FlowScenario): Observed[] {
  let record: Record<string, unknown> = {
    id: `record:${scenario.name}`,
    ...resolveUsers(scenario.record ?? {}, s.org),
    [s.flow.stateField]: scenario.start,
  }
  let instance: ApprovalInstance | null = null
  return scenario.steps.map((step, i) => {
    const actor = step.timeout !== undefined ? SYSTEM : s.org.idOf(step.as ?? '')
    const refuse = (status: number, message: string): Observed => ({
      ...observe(s, record, instance),
      refused: status,
      message,
      effects: [],
    })
    if (step.fire && !mayTransition(s, actor, record))
      return refuse(403, `${step.as} holds no transition scope reaching the record`)
    const event = toEvent(step, actor, s, instance)
    if (!event) return refuse(404, `no pending task of step '${Object.values(step)[0]}'`)
    const me = s.org.members.get(actor)
    const ctx: CoreContext = {
      now: new Date(START + (i + 1) * 3_600_000),
      record,
      user: {
        id: actor,
        username: me?.username ?? 'system',
        roles: me?.roles ?? [],
        departmentId: me?.department ?? null,
      },
      org: s.org.view,
      newInstanceId: `instance:${scenario.name}:${i}`,
      flowVersion: 1,
    }
    let result: CoreResult
    try {
      result = s.run(s.flow, instance, event, ctx)
    } catch (error) {
      if (error instanceof TrellisError) return refuse(error.status, error.message)
      throw error
    }
    record = {
      ...record,
      ...result.inputs,
      ...(result.state ? { [s.flow.stateField]: result.state } : {}),
    }
    if (result.instance) instance = result.instance
    const effects = [...new Set(result.effects.map((e) => e.type))]
    return { ...observe(s, record, instance), refused: null, effects, fired: step.fire }
  })
}
