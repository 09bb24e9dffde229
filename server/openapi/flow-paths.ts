import type { Entity } from '../../metadata/entity'
import { toLabel } from '../../metadata/labels'
import { errors, ok, ref } from './operation-parts'
import { jsonContent } from './shared-components'

const optionalBody = (schema: Record<string, unknown>) => ({
  required: false,
  content: jsonContent(schema),
})

/**
 * The flow endpoints of one entity's records, keyed by path: transitions, the approval panel,
 * recall and resubmit. Documented for every top-level entity (the route serves all of them).
 */
export function buildFlowPaths(entity: Entity): Record<string, unknown> {
  const base = `/api/data/${entity.id}/{id}`
  const tags = [entity.id]
  const name = toLabel(entity.label, 'en', entity.id)
  const parameters = [{ $ref: '#/components/parameters/RecordId' }]
  const recordAction = (action: 'recall' | 'resubmit', summary: string, description: string) => ({
    post: {
      tags,
      operationId: `${action}Approval_${entity.id}`,
      summary,
      description,
      parameters,
      requestBody: optionalBody(ref('ApprovalComment')),
      responses: {
        200: ok('The approval and the record after it', ref('RecordApprovalResult')),
        ...errors(400, 401, 403, 404, 409, 413, 422),
      },
    },
  })
  return {
    [`${base}/transitions`]: {
      get: {
        tags,
        operationId: `listTransitions_${entity.id}`,
        summary: `The state of a ${name} and the transitions the caller may fire now`,
        description:
          'Every transition leaving the current state, with `available` false and a `reason` for those the caller may not fire (guard, role scope, a pending approval). A record the caller cannot read answers 404.',
        parameters,
        responses: {
          200: ok('State and transitions', ref('TransitionList')),
          ...errors(400, 401, 404),
        },
      },
    },
    [`${base}/transitions/{transition}`]: {
      post: {
        tags,
        operationId: `fireTransition_${entity.id}`,
        summary: `Fire a transition of a ${name}`,
        description:
          'The record version is required (If-Match or body `version`, 422 naming `version` without it; 409 when stale, like PATCH). Fields the transition requires come in `inputs` (422 naming them); a required comment is 422 on `comment`. A transition with an approval starts it and moves the record to its pending state.',
        parameters: [
          ...parameters,
          { $ref: '#/components/parameters/IfMatch' },
          { name: 'transition', in: 'path', required: true, schema: { type: 'string' } },
        ],
        requestBody: optionalBody(ref('FireTransition')),
        responses: {
          200: {
            ...ok(
              'The record after the transition, and the approval it started',
              ref('TransitionResult'),
            ),
            headers: { ETag: { description: 'The record version', schema: { type: 'string' } } },
          },
          ...errors(400, 401, 403, 404, 409, 413, 422),
        },
      },
    },
    [`${base}/approval`]: {
      get: {
        tags,
        operationId: `getApproval_${entity.id}`,
        summary: `The approval panel of a ${name}`,
        description:
          "Its running approval, else the latest (`instance` null when none): steps with their tasks, the timeline (who, on behalf of whom, when, comment), fields changed since submission, the caller's tasks with the actions they may take, and whether they may recall or resubmit. Users come with their display names.",
        parameters,
        responses: { 200: ok('The approval panel', ref('ApprovalView')), ...errors(400, 401, 404) },
      },
    },
    [`${base}/approval/recall`]: recordAction(
      'recall',
      `Recall the running approval of a ${name}`,
      'The submitter only (403); the record goes back to the state it was submitted from. 409 when no approval is running.',
    ),
    [`${base}/approval/resubmit`]: recordAction(
      'resubmit',
      `Resubmit the rejected approval of a ${name}`,
      'The submitter only (403); restarts at the first step or the one that rejected, as the flow says. 409 unless the latest approval was rejected.',
    ),
  }
}
