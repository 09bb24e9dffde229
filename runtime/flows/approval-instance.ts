/*
 * The contract between the pure flow core and its shell. The core computes, from (flow definition,
 * instance, event, context), the record's next state, the instance's next value and the effects
 * to run; it does no I/O. The shell loads and locks, calls the core, and writes everything it
 * returned in one transaction (record, instance, task rows, audit, outbox, timers).
 */

import type { Entity } from '../../metadata/entity'
import type { Locale } from '../../metadata/labels'
import type { Role } from '../../metadata/role'

/** A user id (uuid). */
export type UserId = string

/** Where one task stands. `waiting`: an in-turn (sequence) approver whose turn has not come. */
export type TaskStatus =
  | 'waiting'
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'returned'
  /** Closed without a decision of its own: the step ended, the approval was recalled, … */
  | 'cancelled'

/** One approver's part in one step. */
export interface ApprovalTask {
  /** Unique within the instance: `t1`, `t2`, … (the core numbers them from `instance.seq`). */
  id: string
  /** The step (its id is unique within the flow's approval). */
  step: string
  /** The round of the step it belongs to: a step entered again (return, resubmit) starts a new round. */
  round: number
  /** Who must act now. */
  assignee: UserId
  /** Whose task it is: the approver the step found (a delegated task comes back to them). */
  owner: UserId
  /** Set while delegated: the owner who handed it on (the assignee acts on their behalf). */
  delegatedFrom?: UserId
  /** The approver the step found first, when a transfer or a substitute changed the owner. */
  originalOwner?: UserId
  /**
   * What changed the owner: an out-of-office substitute (acts on `originalOwner`'s behalf), a
   * transfer, or an escalation by timeout (the new owner acts in their own name).
   */
  handover?: 'substitute' | 'transfer' | 'escalate'
  status: TaskStatus
  /** For in-turn steps: the position in the turn order (0 first). */
  order: number
  createdAt: string
  decidedAt?: string
  decidedBy?: UserId
  comment?: string
  /** Decided by the engine (repeated approver, no approver, timeout), not by a person. */
  auto?: 'repeated' | 'noApprover' | 'timeout' | 'submitter'
  /** Reminders sent so far for this task's timeout. */
  reminders: number
}

/** One line of the instance's history: every action, by whom, on behalf of whom, when. */
export interface HistoryEntry {
  at: string
  action:
    | 'submit'
    | 'approve'
    | 'reject'
    | 'return'
    | 'delegate'
    | 'reclaim'
    | 'transfer'
    | 'addSigner'
    | 'removeSigner'
    | 'withdraw'
    | 'recall'
    | 'resubmit'
    | 'remind'
    | 'escalate'
    | 'skip'
    | 'complete'
  /** The person who acted (null: the engine). */
  by: UserId | null
  /** The task owner the actor acted for (delegation, substitute). */
  onBehalfOf?: UserId
  step?: string
  task?: string
  comment?: string
  /** Users the action moved work to (delegate, transfer, addSigner, escalate). */
  to?: UserId[]
  /** Users the action took work from (reclaim: the delegate). */
  from?: UserId[]
}

/** An approval run: started by firing a transition that carries an approval. */
export interface ApprovalInstance {
  id: string
  flow: string
  /** The flow version the instance started on; it finishes on it. */
  flowVersion: number
  transition: string
  entity: string
  recordId: string
  submitter: UserId
  status: 'running' | 'approved' | 'rejected' | 'recalled'
  /** The state the record left when the approval started (recall goes back to it). */
  fromState: string
  /** The record's values at submission (the approval panel shows what changed since). */
  snapshot: Record<string, unknown>
  /** Steps running now (several while parallel branches run). */
  active: string[]
  /** Steps completed in this run, in order (return to the previous step walks back along it). */
  completed: string[]
  /** Parallel branches finished: `<parallel id>/<branch id>`. */
  joined: string[]
  /** The step that rejected (resubmit `rejectedStep` starts there). */
  rejectedStep?: string
  /** Users the submitter picked, by step id (`submitterPick` approvers). */
  picks: Record<string, UserId[]>
  tasks: ApprovalTask[]
  history: HistoryEntry[]
  /** Counter the core numbers tasks with. */
  seq: number
  startedAt: string
  endedAt?: string
}

/** The actor and inputs every event carries. */
interface EventBase {
  actor: UserId
  comment?: string
}

/** What happens to a record or its approval. */
export type FlowEvent =
  | (EventBase & {
      type: 'fire'
      transition: string
      /** Field values given when firing (`requires` / `inputs`). */
      inputs?: Record<string, unknown>
      /** Approvers picked by the submitter, by step id. */
      picks?: Record<string, UserId[]>
    })
  | (EventBase & { type: 'approve' | 'reject'; task: string })
  /** Return to the previous step, to a chosen earlier step, or to the submitter. */
  | (EventBase & { type: 'return'; task: string; to: 'previous' | 'submitter' | { step: string } })
  | (EventBase & { type: 'delegate' | 'transfer'; task: string; to: UserId })
  /** The owner takes back a task they delegated, while the delegate has not decided it. */
  | (EventBase & { type: 'reclaim'; task: string })
  | (EventBase & { type: 'addSigner'; task: string; users: UserId[] })
  | (EventBase & { type: 'removeSigner'; task: string })
  /** An approver takes back their own decision while the next step has not acted. */
  | (EventBase & { type: 'withdraw'; task: string })
  | (EventBase & { type: 'recall' | 'resubmit' })
  /** A task's timeout fell due (the shell's timer); `actor` is the system user. */
  | (EventBase & { type: 'timeout'; task: string })

/** The organisation as the core sees it: lookups over data the shell loaded. */
export interface OrgView {
  /** Username → id (null: no such active user). */
  userByName(username: string): UserId | null
  managerOf(user: UserId): UserId | null
  departmentOf(user: UserId): string | null
  departmentHead(department: string): UserId | null
  roleMembers(role: string): UserId[]
  hasRole(user: UserId, role: string): boolean
  /** An active user's username (null: no such active user). */
  usernameOf(user: UserId): string | null
  /** The roles an active user holds now (none for an unknown or inactive one). */
  rolesOf(user: UserId): string[]
  /** The out-of-office substitute of `user` at `at`, if one is set. */
  substituteOf(user: UserId, at: Date): UserId | null
  /** Administrators (for `noApprover: 'admin'`). */
  admins(): UserId[]
  isActive(user: UserId): boolean
}

/** What the core reads besides the definition, the instance and the event. */
export interface CoreContext {
  now: Date
  /** The record's current values (state field included). */
  record: Record<string, unknown>
  /** `$user` for guards and rules: the actor's id, username, department, roles, attributes. */
  user: Record<string, unknown> & { id: UserId }
  org: OrgView
  /** A fresh instance id for a `fire` that starts an approval (the shell makes it). */
  newInstanceId: string
  /** The version of the live flow (a new instance starts on it). */
  flowVersion: number
  /** The caller's language: refusals are worded in it (English when left out). */
  locale?: Locale
  /** The flow's entity: refusals name its fields and states by their labels. */
  entity?: Entity
  /** The roles by id: a refusal names a role by its label. */
  roles?: ReadonlyMap<string, Role>
}

/** Work the shell does in the same transaction as the state change. */
export type CoreEffect =
  /** Run the transition's declarative effects (`set`, `create`) on the record. */
  | { type: 'runTransitionEffects'; transition: string }
  /** The outbox `transition` event alerts listen to. */
  | { type: 'emit'; transition: string; from: string; to: string; action: string }
  /** Notify users: a new task, a CC, a reminder, the submitter of the outcome, a delegate. */
  | {
      type: 'notify'
      users: UserId[]
      reason:
        | 'task'
        | 'cc'
        | 'remind'
        | 'approved'
        | 'rejected'
        | 'returned'
        | 'recalled'
        /** To a delegate: the owner took the task back. */
        | 'reclaimed'
      task?: string
    }
  /** Start (or move) a task's timeout timer. */
  | { type: 'scheduleTimeout'; task: string; step: string }
  | { type: 'cancelTimeout'; task: string }

/** The core's answer to one event. */
export interface CoreResult {
  /** The record's next state (null: it stays). */
  state: string | null
  /** Field values the caller gave when firing, to write with the state. */
  inputs: Record<string, unknown>
  /** The instance after the event (null: the transition needed no approval). */
  instance: ApprovalInstance | null
  effects: CoreEffect[]
}

/** Why a transition is not offered now. */
export type UnavailableReason = 'state' | 'guard' | 'pending' | 'scope' | 'final'

/** A transition as `GET …/transitions` lists it. */
export interface TransitionOption {
  id: string
  available: boolean
  reason?: UnavailableReason
  requires: string[]
  inputs: string[]
  comment: 'required' | 'optional' | 'none'
  /** The transition would start an approval with these steps (entry criteria held). */
  approval: boolean
}
