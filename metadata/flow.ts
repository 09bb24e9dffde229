import { camelIdSchema, definitionIdSchema, packageIdSchema } from './id-patterns'
import { labelsSchema, type Labels } from './labels'
import { reservedProperties } from './reserved-kind'
import { ruleSchema, type Rule } from './rule'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/*
 * A flow: the states the records of one entity move through, the transitions between them and
 * the approvals on those transitions. The state is a select field of the entity (`stateField`);
 * each state is one of its options and takes the option's label and colour unless it gives its
 * own. Conditions are json-logic over the record with `$user` (the caller); approval completion
 * rules also see `approved`, `rejected`, `total`, `pending` and `history`.
 */

/**
 * The names a step's `complete` rules see besides the record's fields and `$user`: the counts of
 * the step's current round and its `history` lines (see runtime/flows/core/step-history.ts).
 */
export const COMPLETE_RULE_NAMES = ['approved', 'rejected', 'total', 'pending', 'history'] as const

/** Which fields stay editable while a record is in a state, and by whom. */
export interface StateLock {
  /** The fields that stay editable; every other field is read-only in this state. */
  editable: string[]
  /**
   * Who may edit them: anyone allowed to update the record (default), or only the current
   * approvers of its pending approval.
   */
  by?: 'anyone' | 'approver'
  /**
   * `false`: a record in this state cannot be deleted, by anyone (409 STATE_LOCKED naming the
   * state), e.g. a quote converted to a sales order. Default: delete as the roles allow.
   */
  delete?: boolean
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
   * Data completion rule over `{ approved, rejected, total, pending, history, ...record, $user }`:
   * `approve` holds → the step is approved; `reject` holds → rejected. Overrides `mode`.
   * `history`: the lines of the step's current round, each `{ action, at, step, by, byUsername,
   * byRoles, onBehalfOf, comment }`.
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

/**
 * What an approver may do to one task (`POST /api/tasks/{id}/{action}`), in the order the
 * workspace offers them; shared by the API and the approval panel.
 */
export const TASK_ACTIONS = [
  'approve',
  'reject',
  'return',
  'delegate',
  'reclaim',
  'transfer',
  'addSigner',
  'removeSigner',
  'withdraw',
] as const

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

/** A state id: the value of an option of the state field (the select option value pattern). */
const stateIdSchema = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$',
  maxLength: 100,
  description: 'An option value of the state field.',
} as const

const fieldListSchema = (description: string) =>
  ({ type: 'array', items: camelIdSchema, maxItems: 200, uniqueItems: true, description }) as const

const lockSchema = schemaFor<StateLock>()({
  type: 'object',
  description: 'The fields that stay editable in this state; every other field is read-only.',
  properties: {
    editable: fieldListSchema('Fields that stay editable (none: the record is read-only).'),
    by: {
      enum: ['anyone', 'approver'],
      description: 'anyone allowed to update (default), or only the pending approvers.',
    },
    delete: {
      type: 'boolean',
      description: 'false: a record in this state cannot be deleted (409 STATE_LOCKED).',
    },
  },
  required: ['editable'],
  additionalProperties: false,
})

const stateSchema = schemaFor<FlowState>()({
  type: 'object',
  properties: {
    id: stateIdSchema,
    initial: { type: 'boolean', description: 'New records start here (exactly one state).' },
    final: { type: 'boolean', description: 'No transition leaves a final state.' },
    label: { ...labelsSchema, description: "Default: the option's label." },
    color: {
      type: 'string',
      pattern: '^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-z]+)$',
      description: "Default: the option's colour.",
    },
    lock: lockSchema,
  },
  required: ['id'],
  additionalProperties: false,
})

const valuesSchema = {
  type: 'object',
  description: 'Field name → json-logic over { ...record, $user, $now, $today, $created }.',
  propertyNames: camelIdSchema,
  additionalProperties: ruleSchema,
  minProperties: 1,
  maxProperties: 200,
} as const

const setEffectSchema = schemaFor<SetEffect>()({
  type: 'object',
  description: "Sets fields of the record in the transition's write.",
  properties: {
    type: { const: 'set' },
    params: {
      type: 'object',
      properties: { values: valuesSchema },
      required: ['values'],
      additionalProperties: false,
    },
  },
  required: ['type', 'params'],
  additionalProperties: false,
})

const copyChildrenSchema = schemaFor<CopyChildren>()({
  type: 'object',
  description: 'Copies the rows of a child table of the source into one of the new record.',
  properties: {
    from: { ...camelIdSchema, description: 'A child-table field of the source record.' },
    to: { ...camelIdSchema, description: 'A child-table field of the created record.' },
    values: {
      ...valuesSchema,
      description: 'Field of the new row → json-logic over the source row.',
    },
  },
  required: ['from', 'to', 'values'],
  additionalProperties: false,
})

const createEffectSchema = schemaFor<CreateEffect>()({
  type: 'object',
  description: 'Creates a record of another entity (lead → customer, quote → sales order).',
  properties: {
    type: { const: 'create' },
    params: {
      type: 'object',
      properties: {
        entity: { ...camelIdSchema, description: 'The entity of the new record.' },
        as: { ...camelIdSchema, description: "Name later effects read: { var: '$created.<as>' }." },
        values: valuesSchema,
        children: { type: 'array', items: copyChildrenSchema, minItems: 1, maxItems: 20 },
        linkBack: {
          ...camelIdSchema,
          description: 'Reference field of the source record that receives the new id.',
        },
        reuse: {
          type: 'boolean',
          description: "Take a duplicate the target's de-duplication rules find instead.",
        },
      },
      required: ['entity', 'as', 'values'],
      additionalProperties: false,
    },
  },
  required: ['type', 'params'],
  additionalProperties: false,
})

const effectSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [setEffectSchema, createEffectSchema],
} as const

/** One source of approvers (or of copied users): an object with exactly one key. */
const approverSourceSchema = {
  type: 'object',
  description:
    'Exactly one of user, role, field, manager, managerChain, departmentHead, submitterPick.',
  properties: {
    user: { type: 'string', minLength: 1, maxLength: 100, description: 'A username.' },
    role: { ...definitionIdSchema, description: 'Every active holder of the role.' },
    field: { ...camelIdSchema, description: 'A user field of the record.' },
    manager: {
      type: 'integer',
      minimum: 1,
      maximum: 10,
      description: "The submitter's manager so many levels up (1: the direct manager).",
    },
    managerChain: {
      type: 'object',
      description: "The submitter's managers upwards, one after another.",
      properties: {
        upToRole: { ...definitionIdSchema, description: 'Up to the first holder (included).' },
        levels: { type: 'integer', minimum: 1, maximum: 20, description: 'At most so many.' },
      },
      additionalProperties: false,
    },
    departmentHead: {
      type: 'object',
      description: "Head of the submitter's department, or of the department in `field`.",
      properties: { field: { ...camelIdSchema, description: 'A department field.' } },
      additionalProperties: false,
    },
    submitterPick: {
      type: 'object',
      description: 'Chosen by the submitter when firing, from the holders of `role` (or anyone).',
      properties: {
        role: definitionIdSchema,
        min: { type: 'integer', minimum: 0, maximum: 100 },
        max: { type: 'integer', minimum: 1, maximum: 100 },
      },
      additionalProperties: false,
    },
  },
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
} as const

const approversSchema = { type: 'array', items: approverSourceSchema, maxItems: 20 } as const

const durationSchema = {
  type: 'object',
  description: 'Days, hours and minutes; they add up.',
  properties: {
    days: { type: 'number', minimum: 0, maximum: 3650 },
    hours: { type: 'number', minimum: 0, maximum: 87600 },
    minutes: { type: 'number', minimum: 0, maximum: 5256000 },
  },
  minProperties: 1,
  additionalProperties: false,
} as const

const timeoutSchema = schemaFor<StepTimeout>()({
  type: 'object',
  description: "What happens when a step's task waits too long.",
  properties: {
    after: durationSchema,
    calendar: { ...definitionIdSchema, description: 'Count in this calendar’s working hours.' },
    action: {
      enum: ['remind', 'escalate', 'approve', 'reject'],
      description: 'Remind the approver, escalate to their manager, or decide for them.',
    },
    repeat: {
      type: 'integer',
      minimum: 1,
      maximum: 20,
      description: 'remind: how many reminders at most (default 1).',
    },
  },
  required: ['after', 'action'],
  additionalProperties: false,
})

const nodeRef = { $ref: '#/definitions/approvalNode' } as const
const nodesSchema = { type: 'array', items: nodeRef, maxItems: 50 } as const

const stepSchema = schemaFor<ApprovalStep>()({
  type: 'object',
  description: 'One step: who approves and how they decide.',
  properties: {
    id: { ...definitionIdSchema, description: 'Unique across the whole approval.' },
    label: labelsSchema,
    when: { ...ruleSchema, description: 'The step is skipped when this does not hold.' },
    approvers: { ...approversSchema, minItems: 1 },
    mode: {
      enum: ['any', 'all', 'vote', 'sequence'],
      description: 'any (or-sign, default), all (countersign), vote, sequence (in turn).',
    },
    threshold: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      description: 'vote: the share of approvals that approves.',
    },
    complete: {
      type: 'object',
      description:
        'json-logic over { approved, rejected, total, pending, history, ...record, $user }; ' +
        'history: the lines of the step’s current round, each ' +
        '{ action, at, step, by, byUsername, byRoles, onBehalfOf, comment }.',
      properties: { approve: ruleSchema, reject: ruleSchema },
      minProperties: 1,
      additionalProperties: false,
    },
    timeout: timeoutSchema,
    cc: { ...approversSchema, description: 'Copied when the step starts.' },
  },
  required: ['id', 'label', 'approvers'],
  additionalProperties: false,
})

const branchesSchema = schemaFor<ApprovalBranches>()({
  type: 'object',
  description: 'Ordered branches: the first whose `when` holds runs.',
  properties: {
    id: definitionIdSchema,
    label: labelsSchema,
    branches: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: {
        type: 'object',
        properties: {
          id: { ...definitionIdSchema, description: 'Unique within its node.' },
          label: labelsSchema,
          when: { ...ruleSchema, description: 'Left out: always holds.' },
          steps: { ...nodesSchema, description: 'May be empty: nothing more is asked.' },
        },
        required: ['id', 'steps'],
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'branches'],
  additionalProperties: false,
})

const parallelSchema = schemaFor<ApprovalParallel>()({
  type: 'object',
  description: 'Branches that all run at once and join before the next node.',
  properties: {
    id: definitionIdSchema,
    label: labelsSchema,
    parallel: {
      type: 'array',
      minItems: 2,
      maxItems: 20,
      items: {
        type: 'object',
        properties: {
          id: { ...definitionIdSchema, description: 'Unique within its node.' },
          label: labelsSchema,
          steps: { ...nodesSchema, minItems: 1 },
        },
        required: ['id', 'steps'],
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'parallel'],
  additionalProperties: false,
})

/** A node is branches (has `branches`), parallel (has `parallel`), else a step. */
const approvalNodeSchema = {
  type: 'object',
  if: { required: ['branches'] },
  then: branchesSchema,
  else: { if: { required: ['parallel'] }, then: parallelSchema, else: stepSchema },
} as const

const approvalSchema = schemaFor<Approval>()({
  type: 'object',
  description: "An approval: the record moves to the transition's `to` once it completes.",
  properties: {
    when: { ...ruleSchema, description: 'Entry criteria: otherwise the transition goes through.' },
    pending: { ...stateIdSchema, description: 'The state the record waits in.' },
    rejected: { ...stateIdSchema, description: 'The state a rejection ends in.' },
    recalled: { ...stateIdSchema, description: 'Where a recall goes (default: the from state).' },
    steps: { ...nodesSchema, minItems: 1 },
    resubmit: { enum: ['first', 'rejectedStep'], description: 'Default first.' },
    noApprover: { enum: ['approve', 'reject', 'admin'], description: 'Default admin.' },
    submitterApproves: { enum: ['skip', 'manager', 'keep'], description: 'Default skip.' },
    repeatedApprover: { enum: ['approveOnce', 'ask'], description: 'Default approveOnce.' },
    cc: { ...approversSchema, description: 'Copied when the approval ends.' },
  },
  required: ['pending', 'rejected', 'steps'],
  additionalProperties: false,
})

const transitionSchema = schemaFor<FlowTransition>()({
  type: 'object',
  properties: {
    id: definitionIdSchema,
    label: labelsSchema,
    from: { type: 'array', items: stateIdSchema, minItems: 1, maxItems: 100, uniqueItems: true },
    to: stateIdSchema,
    guard: { ...ruleSchema, description: 'json-logic over the record and $user.' },
    requires: fieldListSchema('Fields the caller fills when firing; each must end non-empty.'),
    inputs: fieldListSchema('Fields the caller may fill when firing.'),
    comment: { enum: ['required', 'optional', 'none'], description: 'Default optional.' },
    effects: { type: 'array', items: effectSchema, maxItems: 20 },
    approval: approvalSchema,
    style: { enum: ['primary', 'danger', 'default'], description: 'How the button looks.' },
  },
  required: ['id', 'label', 'from', 'to'],
  additionalProperties: false,
})

/** Schema of a `Flow`. */
export const flowSchema = schemaFor<Flow>()({
  type: 'object',
  definitions: { approvalNode: approvalNodeSchema },
  properties: {
    $schema: reservedProperties.$schema,
    id: { ...definitionIdSchema, description: 'Stable id (camelCase or kebab-case).' },
    version: reservedProperties.version,
    module: packageIdSchema,
    label: reservedProperties.label,
    description: reservedProperties.description,
    entity: { ...camelIdSchema, description: 'The entity whose records the flow moves.' },
    stateField: { ...camelIdSchema, description: 'The select field that holds the state.' },
    states: { type: 'array', items: stateSchema, minItems: 1, maxItems: 100 },
    transitions: { type: 'array', items: transitionSchema, minItems: 1, maxItems: 200 },
  },
  required: ['id', 'label', 'entity', 'stateField', 'states', 'transitions'],
  additionalProperties: false,
})

/** Standalone schema document of `Flow` (metadata/schemas/flow.schema.json). */
export const flowJsonSchema = toSchemaDocument('flow', 'Trellis flow', flowSchema)
