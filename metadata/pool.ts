import { camelIdSchema, definitionIdSchema, packageIdSchema } from './id-patterns'
import { labelsSchema, type Labels } from './labels'
import { reservedProperties } from './reserved-kind'
import { ruleSchema, type Rule } from './rule'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'
import {
  assignmentRuleSchema,
  type AssignmentRule,
  type AssignmentStrategy,
} from './pool-assignment'
import { poolActivitySchema, poolTeamSchema, type PoolActivity, type PoolTeam } from './pool-team'

export * from './pool-assignment'
export * from './pool-team'

/** How many records one person may claim and hold. */
export interface PoolLimits {
  /** Claims per calendar day (in the pool's time zone). */
  claimsPerDay?: number
  /** Records of the entity the person may own at once. */
  held?: number
  /** A tighter or looser cap per customer level (`levelField` value → cap). */
  heldByLevel?: Record<string, number>
}

/** When an owned record goes back to its pool by itself, for the levels named (all when none). */
export interface ReclaimRule {
  levels?: string[]
  /** Reclaimed when no follow-up was written for this many days (counted from the claim too). */
  noFollowUpDays?: number
  /** Reclaimed when no deal was made for this many days since the claim. */
  noDealDays?: number
  /** The owner is reminded this many days before the reclaim. */
  remindDaysBefore?: number
}

/** Automatic reclaim: which records count as follow-ups and deals, and the rules by level. */
export interface PoolReclaim {
  followUp?: PoolActivity
  /** A deal: a record of `entity` referring to the pool record for which `condition` holds. */
  deal?: PoolActivity & { condition?: Rule }
  rules: ReclaimRule[]
}

/** One reason a person may give when returning a record to a pool. */
export interface ReturnReason {
  value: string
  label: Labels
}

/**
 * A pool (公海) of unowned records of one entity: who may see and claim from it, limits, a
 * cool-down before a previous owner may claim again, automatic reclaim and return reasons.
 * @example { type: 'pool', id: 'east-pool', label: { en: 'East pool' }, entity: 'customer',
 *   members: { roles: ['sales'] }, limits: { claimsPerDay: 5, held: 50 }, cooldownDays: 7 }
 */
export interface PoolDefinition {
  $schema?: string
  type: 'pool'
  id: string
  version?: number
  module?: string
  label: Labels
  description?: Labels
  entity: string
  /** The text or select field that holds the pool a record sits in (default `pool`). */
  poolField?: string
  /** The field of the record's level (`A`, `B`, …) that limits and reclaim rules key on. */
  levelField?: string
  /** Who may see the pool's records and claim them. */
  members: PoolTeam
  /** Who may also see it and release anyone's record into it (administrators always may). */
  admins?: PoolTeam
  /** json-logic over the record: only records that match may be returned to this pool. */
  filter?: Rule
  limits?: PoolLimits
  /** Days after a release or reclaim before the previous owner may claim the record again. */
  cooldownDays?: number
  reclaim?: PoolReclaim
  /** The reasons offered when a record is returned by hand; none: any non-empty text. */
  returnReasons?: ReturnReason[]
  /** IANA time zone of the pool's calendar days (default UTC). */
  timeZone?: string
}

/** A `pool` definition: a record pool or an assignment rule, told apart by `type`. */
export type Pool = PoolDefinition | AssignmentRule
export type { AssignmentStrategy }

const days = (description: string) =>
  ({ type: 'integer', minimum: 1, maximum: 3650, description }) as const

const limitsSchema = schemaFor<PoolLimits>()({
  type: 'object',
  description: 'Claim limits per person.',
  properties: {
    claimsPerDay: { type: 'integer', minimum: 1, maximum: 10000, description: 'Claims a day.' },
    held: { type: 'integer', minimum: 1, maximum: 1000000, description: 'Records held at once.' },
    heldByLevel: {
      type: 'object',
      description: 'Level value → records of that level held at once.',
      propertyNames: { type: 'string', minLength: 1, maxLength: 100 },
      additionalProperties: { type: 'integer', minimum: 0, maximum: 1000000 },
      minProperties: 1,
    },
  },
  required: [],
  additionalProperties: false,
})

const reclaimRuleSchema = schemaFor<ReclaimRule>()({
  type: 'object',
  description: 'Reclaim after so many days without a follow-up or a deal, for some levels.',
  properties: {
    levels: {
      type: 'array',
      description: 'Level values the rule applies to (all when left out).',
      items: { type: 'string', minLength: 1, maxLength: 100 },
      minItems: 1,
      uniqueItems: true,
    },
    noFollowUpDays: days('Days without a follow-up before the reclaim.'),
    noDealDays: days('Days without a deal before the reclaim.'),
    remindDaysBefore: days('Days before the reclaim the owner is reminded.'),
  },
  required: [],
  minProperties: 1,
  additionalProperties: false,
})

const dealSchema = schemaFor<PoolActivity & { condition?: Rule }>()({
  type: 'object',
  description: 'Records of `entity` referring to the pool record; a deal when `condition` holds.',
  properties: {
    ...poolActivitySchema.properties,
    condition: { ...ruleSchema, description: 'json-logic over the deal record.' },
  },
  required: ['entity', 'field'],
  additionalProperties: false,
})

const reclaimSchema = schemaFor<PoolReclaim>()({
  type: 'object',
  description: 'Automatic return of owned records to the pool.',
  properties: {
    followUp: poolActivitySchema,
    deal: dealSchema,
    rules: { type: 'array', items: reclaimRuleSchema, minItems: 1, maxItems: 50 },
  },
  required: ['rules'],
  additionalProperties: false,
})

const reasonSchema = schemaFor<ReturnReason>()({
  type: 'object',
  properties: {
    value: { ...definitionIdSchema, description: 'Stored in the history.' },
    label: labelsSchema,
  },
  required: ['value', 'label'],
  additionalProperties: false,
})

/** Schema of a `PoolDefinition`. */
export const poolDefinitionSchema = schemaFor<PoolDefinition>()({
  type: 'object',
  description: 'A pool of unowned records that members may claim.',
  properties: {
    $schema: reservedProperties.$schema,
    type: { const: 'pool' },
    id: definitionIdSchema,
    version: reservedProperties.version,
    module: packageIdSchema,
    label: reservedProperties.label,
    description: reservedProperties.description,
    entity: { ...camelIdSchema, description: 'The entity of the pooled records (customer).' },
    poolField: { ...camelIdSchema, description: 'The field naming the pool (default pool).' },
    levelField: { ...camelIdSchema, description: 'The level field limits and rules key on.' },
    members: poolTeamSchema,
    admins: poolTeamSchema,
    filter: { ...ruleSchema, description: 'json-logic: records that may enter this pool.' },
    limits: limitsSchema,
    cooldownDays: days('Days before a previous owner may claim the record again.'),
    reclaim: reclaimSchema,
    returnReasons: { type: 'array', items: reasonSchema, minItems: 1, maxItems: 50 },
    timeZone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone.' },
  },
  required: ['type', 'id', 'label', 'entity', 'members'],
  additionalProperties: false,
})

/** Schema of a `Pool`: one branch per `type`. */
export const poolSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [poolDefinitionSchema, assignmentRuleSchema],
} as const

/** Standalone schema document of `Pool` (metadata/schemas/pool.schema.json). */
export const poolJsonSchema = toSchemaDocument(
  'pool',
  'Trellis record pool or assignment rule',
  poolSchema,
)
