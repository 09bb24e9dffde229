import { camelIdSchema, definitionIdSchema } from './id-patterns'
import { schemaFor } from './schema-check'

/**
 * A group of people named in a pool or an assignment rule: users by username, metadata roles,
 * and departments by code. Someone belongs when any list names them.
 */
export interface PoolTeam {
  usernames?: string[]
  roles?: string[]
  departments?: string[]
}

const names = <I extends object>(description: string, item: I) =>
  ({
    type: 'array',
    description,
    items: item,
    minItems: 1,
    maxItems: 200,
    uniqueItems: true,
  }) as const

/** Schema of a `PoolTeam`. */
export const poolTeamSchema = schemaFor<PoolTeam>()({
  type: 'object',
  description: 'People by username, role or department; anyone named by one list belongs.',
  properties: {
    usernames: names('Named users.', { type: 'string', minLength: 1, maxLength: 100 } as const),
    roles: names('Metadata roles: every holder belongs.', definitionIdSchema),
    departments: names('Department codes: every member belongs.', {
      type: 'string',
      minLength: 1,
      maxLength: 100,
    } as const),
  },
  required: [],
  minProperties: 1,
  additionalProperties: false,
})

/** The record that counts as a follow-up (or a deal) of a pool record: its entity and reference. */
export interface PoolActivity {
  entity: string
  /** The reference field of `entity` that points at the pool record. */
  field: string
}

/** Schema of a `PoolActivity`. */
export const poolActivitySchema = schemaFor<PoolActivity>()({
  type: 'object',
  description: 'An entity whose records refer to the pool record through `field`.',
  properties: {
    entity: { ...camelIdSchema, description: 'The activity entity (followUp, opportunity).' },
    field: { ...camelIdSchema, description: 'Its reference field to the pool entity.' },
  },
  required: ['entity', 'field'],
  additionalProperties: false,
})
