import { camelIdSchema, definitionIdSchema, packageIdSchema } from './id-patterns'
import type { Labels } from './labels'
import { reservedProperties } from './reserved-kind'
import { ruleSchema, type Rule } from './rule'
import { schemaFor } from './schema-check'
import { poolTeamSchema, type PoolTeam } from './pool-team'

/** How an assignment rule picks among a team: in turn, or whoever holds the fewest open records. */
export type AssignmentStrategy = 'roundRobin' | 'leastLoad' | 'byField'

/** `byField`: the team per value of a field (region → team); each team picked by `pick`. */
export interface AssignByField {
  field: string
  teams: Record<string, PoolTeam>
  /** How a person is picked within the chosen team (default roundRobin). */
  pick?: 'roundRobin' | 'leastLoad'
}

/** The leave entity: a person is skipped while an approved leave covers today. */
export interface AssignLeave {
  entity: string
  /** The user field of the person on leave. */
  userField: string
  startField: string
  endField: string
  statusField: string
  /** The status value of approved leave (default `approved`). */
  approved?: string
}

/**
 * Gives a new record of `entity` an owner: round robin within a team, least open load, or a
 * team chosen by a field; with a capacity per person, people on leave skipped and a fallback.
 * @example { type: 'assignment', id: 'lead-round-robin', label: { en: 'Leads in turn' },
 *   entity: 'lead', strategy: 'roundRobin', team: { roles: ['sales'] }, fallbackOwner: 'admin' }
 */
export interface AssignmentRule {
  $schema?: string
  type: 'assignment'
  id: string
  version?: number
  module?: string
  label: Labels
  description?: Labels
  entity: string
  /** The user field to fill (default the entity's `ownerField`). */
  ownerField?: string
  /** json-logic over the new record: the rule applies only when it holds. */
  when?: Rule
  strategy: AssignmentStrategy
  /** The team of roundRobin and leastLoad. */
  team?: PoolTeam
  byField?: AssignByField
  /** json-logic over the entity's records: those that count as open (load and capacity). */
  openFilter?: Rule
  /** Open records one person may hold; people at capacity are passed over. */
  capacity?: number
  leave?: AssignLeave
  /** Username that gets the record when nobody in the team can (none: left unassigned). */
  fallbackOwner?: string
}

const byFieldSchema = schemaFor<AssignByField>()({
  type: 'object',
  description: 'A team per field value.',
  properties: {
    field: { ...camelIdSchema, description: 'A field of the entity (region).' },
    teams: {
      type: 'object',
      description: 'Field value → team.',
      propertyNames: { type: 'string', minLength: 1, maxLength: 100 },
      additionalProperties: poolTeamSchema,
      minProperties: 1,
    },
    pick: { enum: ['roundRobin', 'leastLoad'], description: 'Within the team (roundRobin).' },
  },
  required: ['field', 'teams'],
  additionalProperties: false,
})

const leaveSchema = schemaFor<AssignLeave>()({
  type: 'object',
  description: 'Where leave is recorded; people on approved leave today are skipped.',
  properties: {
    entity: camelIdSchema,
    userField: camelIdSchema,
    startField: camelIdSchema,
    endField: camelIdSchema,
    statusField: camelIdSchema,
    approved: { type: 'string', minLength: 1, maxLength: 100 },
  },
  required: ['entity', 'userField', 'startField', 'endField', 'statusField'],
  additionalProperties: false,
})

/** Schema of an `AssignmentRule`. */
export const assignmentRuleSchema = schemaFor<AssignmentRule>()({
  type: 'object',
  description: 'Picks an owner for new records.',
  properties: {
    $schema: reservedProperties.$schema,
    type: { const: 'assignment' },
    id: definitionIdSchema,
    version: reservedProperties.version,
    module: packageIdSchema,
    label: reservedProperties.label,
    description: reservedProperties.description,
    entity: { ...camelIdSchema, description: 'The entity of the new records (lead, ticket).' },
    ownerField: { ...camelIdSchema, description: 'The user field to fill.' },
    when: { ...ruleSchema, description: 'json-logic over the new record.' },
    strategy: { enum: ['roundRobin', 'leastLoad', 'byField'] },
    team: poolTeamSchema,
    byField: byFieldSchema,
    openFilter: { ...ruleSchema, description: 'json-logic: the records that count as open.' },
    capacity: { type: 'integer', minimum: 1, maximum: 100000, description: 'Open per person.' },
    leave: leaveSchema,
    fallbackOwner: { type: 'string', minLength: 1, maxLength: 100, description: 'A username.' },
  },
  required: ['type', 'id', 'label', 'entity', 'strategy'],
  additionalProperties: false,
})
