import { TASK_ACTIONS } from '../../metadata/flow'
import type { JsonSchema } from './field-schema'
import { nullable, ref } from './operation-parts'

const uuid = { type: 'string', format: 'uuid' }
const dateTime = { type: 'string', format: 'date-time' }
const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
})

/** A user as approval screens show them: id and display name. */
const UserRef = obj({ id: uuid, name: { type: 'string' } })
const userOrNull = { oneOf: [ref('UserRef'), { type: 'null' }] }
const approvalRef = obj({ id: uuid, status: { type: 'string' } })

const stateSummary = obj({
  id: { type: 'string' },
  label: { type: 'string' },
  color: { type: ['string', 'null'] },
})

/** Component schemas of the flow endpoints on records (transitions, approval panel). */
export const FLOW_SCHEMAS: Record<string, JsonSchema> = {
  UserRef,
  TransitionList: obj({
    state: stateSummary,
    states: {
      type: 'array',
      items: obj({
        ...stateSummary.properties,
        initial: { type: 'boolean' },
        final: { type: 'boolean' },
      }),
    },
    transitions: {
      type: 'array',
      items: obj(
        {
          id: { type: 'string' },
          label: { type: 'string' },
          style: { type: 'string', enum: ['primary', 'danger', 'default'] },
          available: { type: 'boolean' },
          reason: {
            type: 'string',
            enum: ['state', 'guard', 'pending', 'scope', 'final'],
            description: 'Why it is not available now',
          },
          requires: { type: 'array', items: { type: 'string' } },
          inputs: { type: 'array', items: { type: 'string' } },
          comment: { type: 'string', enum: ['required', 'optional', 'none'] },
          approval: { type: 'boolean', description: 'Firing it would start an approval' },
        },
        ['id', 'label', 'available', 'requires', 'inputs', 'comment', 'approval'],
      ),
    },
    approval: { oneOf: [approvalRef, { type: 'null' }] },
  }),
  FireTransition: obj(
    {
      version: { type: 'integer', minimum: 1, description: 'Or the If-Match header' },
      comment: { type: 'string' },
      inputs: {
        type: 'object',
        description: 'Values of the fields the transition requires or takes',
      },
      picks: {
        type: 'object',
        description: 'Approvers picked by the submitter, by step id',
        additionalProperties: { type: 'array', items: uuid },
      },
    },
    [],
  ),
  TransitionResult: obj({
    record: { type: 'object', description: 'The record after the transition' },
    approval: { oneOf: [approvalRef, { type: 'null' }] },
  }),
  ApprovalComment: obj({ comment: { type: 'string', maxLength: 2000 } }, []),
  RecordApprovalResult: obj({
    approval: approvalRef,
    record: obj({ id: uuid, version: { type: ['integer', 'null'] } }),
  }),
  ApprovalView: obj({
    instance: {
      oneOf: [
        { type: 'null' },
        obj({
          id: uuid,
          flow: { type: 'string' },
          transition: { type: 'string' },
          status: { type: 'string', enum: ['running', 'approved', 'rejected', 'recalled'] },
          submitter: ref('UserRef'),
          startedAt: dateTime,
          endedAt: nullable('date-time'),
        }),
      ],
    },
    steps: {
      type: 'array',
      items: obj({
        id: { type: 'string' },
        label: { type: 'string' },
        status: { type: 'string', enum: ['active', 'approved', 'rejected', 'closed'] },
        tasks: { type: 'array', items: ref('ApprovalTaskView') },
      }),
    },
    timeline: {
      type: 'array',
      items: obj({
        at: dateTime,
        action: { type: 'string' },
        by: { ...userOrNull, description: 'null: the engine' },
        onBehalfOf: { ...userOrNull, description: 'The task owner the actor acted for' },
        step: nullable(),
        stepLabel: nullable(),
        comment: nullable(),
        to: { type: 'array', items: ref('UserRef') },
        from: {
          type: 'array',
          items: ref('UserRef'),
          description: 'Users the action took work from (reclaim: the delegate)',
        },
      }),
    },
    changes: {
      type: 'array',
      description: 'Fields changed since submission (raw values)',
      items: obj({ field: { type: 'string' }, label: { type: 'string' }, before: {}, after: {} }),
    },
    myTasks: {
      type: 'array',
      items: obj({
        id: uuid,
        step: { type: 'string' },
        actions: { type: 'array', items: ref('TaskAction') },
      }),
    },
    canRecall: { type: 'boolean' },
    canResubmit: { type: 'boolean' },
  }),
  ApprovalTaskView: obj({
    id: nullable('uuid'),
    round: { type: 'integer' },
    status: {
      type: 'string',
      enum: ['waiting', 'pending', 'approved', 'rejected', 'returned', 'cancelled'],
    },
    assignee: userOrNull,
    owner: userOrNull,
    delegatedFrom: userOrNull,
    originalOwner: userOrNull,
    createdAt: dateTime,
    decidedAt: nullable('date-time'),
    decidedBy: userOrNull,
    comment: nullable(),
    auto: nullable(),
  }),
  TaskAction: { type: 'string', enum: [...TASK_ACTIONS] },
}
