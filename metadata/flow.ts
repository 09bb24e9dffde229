import type { Labels } from './labels'
import { reservedDefinitionSchema } from './reserved-kind'
import type { Rule } from './rule'
import { toSchemaDocument } from './schema-document'

/*
 * A flow: the states the records of one entity move through, the transitions between them and
 * the approvals on those transitions. The state is a select field of the entity (`stateField`);
 * each state is one of its options and takes the option's label and colour unless it gives its
 * own. Conditions are json-logic over the record with `$user` (the caller); approval completion
 * rules also see `approved`, `rejected`, `total`, `pending`.
 */

/** Which fields stay editable while a record is in a state, and by whom. */
export interface StateLock {
  /** The fields that stay editable; every other field is read-only in this state. */
  editable: string[]
  /**
   * Who may edit them: anyone allowed to update the record (default), or only the current
   * approvers of its pending approval.
   */
  by?: 'anyone' | 'approver'
}

/** One state: an option value of the flow's `stateField`. */
export interface FlowState {
  id: string
  /** New records start here (exactly one state is initial; default: the field's default). */
  initial?: boolean
  /** No transition leaves a final state. */
  final?: boolean
  /** Default: the select option's label. */
  label?: Labels
  /** Default: the select option's colour. */
  color?: string
  /** Omitted: the record is editable as its roles allow. */
  lock?: StateLock
}

/**
 * A value an effect writes: a json-logic expression over `{ ...record, $user, $now, $today,
 * $created }` (`$created.<as>` is the id of a record an earlier `create` effect made).
 */
export type EffectValue = Rule

/** Sets fields of the record in the transition's write. */
export interface SetEffect {
  type: 'set'
  params: { values: Record<string, EffectValue> }
}

/** Child rows copied into a created record: from a child table of the source to one of the new. */
export interface CopyChildren {
  /** Child-table field of the source record. */
  from: string
  /** Child-table field of the created record. */
  to: string
  /** Field of the new row → value over the source row (`{ var: 'unitPrice' }`). */
  values: Record<string, EffectValue>
}

/**
 * Creates a record of another entity (lead → customer, quote → sales order). With `reuse`, a
 * record that a de-duplication rule of the target matches is taken instead of a new one; without
 * it, a blocking rule refuses the transition like any create.
 */
export interface CreateEffect {
  type: 'create'
  params: {
    entity: string
    /** Name later effects use: `{ var: '$created.customer' }`. */
    as: string
    values: Record<string, EffectValue>
    children?: CopyChildren[]
    /** Reference field of the source record that receives the new record's id. */
    linkBack?: string
    /** Take a duplicate the target's de-duplication rules find instead of creating. */
    reuse?: boolean
  }
}

export type FlowEffect = SetEffect | CreateEffect

/** Who approves a step, or who is copied. Several sources unite. */
export type ApproverSource =
  /** A named user (username). */
  | { user: string }
  /** Every active holder of a role. */
  | { role: string }
  /** The user (or users) held in a field of the record. */
  | { field: string }
  /** The submitter's manager `levels` up (1: the direct manager). */
  | { manager: number }
  /**
   * The submitter's managers from the direct one upwards, one after another, up to the first
   * holder of `upToRole` (included), `levels` managers, or the top.
   */
  | { managerChain: { upToRole?: string; levels?: number } }
  /** Head of the submitter's department, or of the department held in a field. */
  | { departmentHead: { field?: string } }
  /** Chosen by the submitter when firing, from the holders of `role` (or anyone). */
  | { submitterPick: { role?: string; min?: number; max?: number } }

/** How a step's approvers decide. */
export type StepMode =
  /** Or-sign (或签): the first approval completes the step. */
  | 'any'
  /** Countersign (会签): every approver must approve; one rejection rejects. */
  | 'all'
  /** Approved when approved ÷ total reaches `threshold`; rejected once that cannot happen. */
  | 'vote'
  /** In turn (依次): one approver after another in the order found. */
  | 'sequence'

/** What happens when a step's task waits too long. */
export interface StepTimeout {
  /** Wait this long; counted in the calendar's working hours when `calendar` is given. */
  after: { days?: number; hours?: number; minutes?: number }
  calendar?: string
  action: 'remind' | 'escalate' | 'approve' | 'reject'
  /** For `remind`: how many reminders at most (default 1). */
  repeat?: number
}

/** One step of an approval. */
export interface ApprovalStep {
  id: string
  label: Labels
  /** The step is skipped when this does not hold. */
  when?: Rule
  approvers: ApproverSource[]
  /** Default `any`. */
  mode?: StepMode
  /** For `vote`: the share of approvals that approves (0 < threshold ≤ 1). */
  threshold?: number
  /**
   * Data completion rule over `{ approved, rejected, total, pending, ...record, $user }`:
   * `approve` holds → the step is approved; `reject` holds → rejected. Overrides `mode`.
   */
  complete?: { approve?: Rule; reject?: Rule }
  timeout?: StepTimeout
  /** Copied when the step starts. */
  cc?: ApproverSource[]
}

/** Ordered branches: the first whose `when` holds runs (a branch without `when` always holds). */
export interface ApprovalBranches {
  id: string
  label?: Labels
  branches: { id: string; label?: Labels; when?: Rule; steps: ApprovalNode[] }[]
}

/** Branches that all run at once and join before the next node. */
export interface ApprovalParallel {
  id: string
  label?: Labels
  parallel: { id: string; label?: Labels; steps: ApprovalNode[] }[]
}

export type ApprovalNode = ApprovalStep | ApprovalBranches | ApprovalParallel

/** An approval on a transition: the record moves to the transition's `to` once it completes. */
export interface Approval {
  /** Entry criteria: without them holding, the transition goes straight through. */
  when?: Rule
  /** The state the record waits in while the approval runs. */
  pending: string
  /** The state a rejection ends in. */
  rejected: string
  /** The state a recall goes back to (default: the state the transition left). */
  recalled?: string
  steps: ApprovalNode[]
  /** Resubmitting after a rejection starts at the first step (default) or at the rejecting one. */
  resubmit?: 'first' | 'rejectedStep'
  /** No approver found for a step: approve it, reject it, or send it to administrators. */
  noApprover?: 'approve' | 'reject' | 'admin'
  /** The submitter is an approver of a step: skip them (default) or pass to their manager. */
  submitterApproves?: 'skip' | 'manager' | 'keep'
  /** Someone who approved the previous step is an approver again: approve for them (default). */
  repeatedApprover?: 'approveOnce' | 'ask'
  /** Copied when the approval ends (approved or rejected). */
  cc?: ApproverSource[]
}

/** A transition: `from` → `to`, fired by a caller with the `transition` right on the record. */
export interface FlowTransition {
  id: string
  label: Labels
  from: string[]
  to: string
  /** Must hold over the record and `$user` for the transition to be offered and accepted. */
  guard?: Rule
  /** Fields the caller fills when firing (e.g. the lost reason); each must end non-empty. */
  requires?: string[]
  /** Fields the caller may fill when firing, besides `requires`. */
  inputs?: string[]
  /** Default `optional`. */
  comment?: 'required' | 'optional' | 'none'
  effects?: FlowEffect[]
  approval?: Approval
  /** How the workspace shows the button. */
  style?: 'primary' | 'danger' | 'default'
}

/** A state machine over the records of one entity. */
export interface Flow {
  $schema?: string
  id: string
  version?: number
  module?: string
  label: Labels
  description?: Labels
  entity: string
  /** The select field that holds the state. */
  stateField: string
  states: FlowState[]
  transitions: FlowTransition[]
}

/** Schema of a `Flow`: identity and entity checked now, `spec` left open. */
export const flowSchema = reservedDefinitionSchema

/** Standalone schema document of `Flow` (metadata/schemas/flow.schema.json). */
export const flowJsonSchema = toSchemaDocument('flow', 'Trellis flow (reserved)', flowSchema)
