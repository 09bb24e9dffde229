import { camelIdSchema, definitionIdSchema, packageIdSchema } from './id-patterns'
import type { Labels } from './labels'
import { reservedProperties } from './reserved-kind'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** A span of business time (counted in a calendar's working hours); the parts add up. */
export interface SlaDuration {
  hours?: number
  minutes?: number
}

/** A value a policy's `match` compares a field with. */
export type SlaMatchValue = string | number | boolean

/**
 * One service level: which records it covers and its targets. The first policy whose `match`
 * holds applies; a policy without `match` covers every record.
 */
export interface SlaPolicy {
  id: string
  label?: Labels
  /**
   * Field → the values it may hold, all of them holding; `customer.level` reads the `level` of
   * the record the `customer` reference points to.
   */
  match?: Record<string, SlaMatchValue[]>
  /** The calendar its targets count in (default: the SLA's). */
  calendar?: string
  firstResponse?: SlaDuration
  resolution?: SlaDuration
  /** Share of the target after which the warning fires (default: the SLA's). */
  warnAt?: number
}

/** The fields of the record the SLA writes (as the system user); each is optional. */
export interface SlaFields {
  /** datetime: when the first response is due. */
  firstResponseDue?: string
  /** datetime: when the resolution is due. */
  resolutionDue?: string
  /** boolean: the first response came late, or is late now. */
  firstResponseBreached?: string
  /** boolean: the resolution came late, or is late now. */
  resolutionBreached?: string
  /** integer: business minutes spent paused so far. */
  pausedMinutes?: string
  /** datetime: when the first response happened. */
  respondedAt?: string
}

/**
 * Service levels of one entity (tickets): policies by field values with first-response and
 * resolution targets in business time, a warning share, pause statuses and the fields it keeps
 * exact after every change. The record's status history comes from its audit trail.
 * @example { id: 'ticket-sla', label: { en: 'Ticket SLA' }, entity: 'ticket',
 *   calendar: 'china-office', statusField: 'status', respondedWhenLeaving: ['new'],
 *   resolvedIn: ['resolved', 'closed'], pausedIn: ['waiting'],
 *   fields: { resolutionDue: 'slaDueAt' },
 *   policies: [{ id: 'urgent', match: { priority: ['urgent'] }, resolution: { hours: 4 } }] }
 */
export interface Sla {
  $schema?: string
  id: string
  version?: number
  module?: string
  label: Labels
  description?: Labels
  entity: string
  /** The calendar targets count in, unless a policy names another. */
  calendar: string
  /** A datetime field the clock starts at (default: when the record was created). */
  startField?: string
  /** The select field holding the record's status. */
  statusField: string
  /** The first response happens when the status first leaves these values ('new'). */
  respondedWhenLeaving: string[]
  /** Statuses that meet the resolution target (the clock stops; it restarts if reopened). */
  resolvedIn: string[]
  /** Statuses during which the clocks stand still (waiting for the customer). */
  pausedIn?: string[]
  /** Share of a target after which the warning fires, between 0 and 1 (default 0.8). */
  warnAt?: number
  fields: SlaFields
  policies: SlaPolicy[]
}

export const DEFAULT_WARN_AT = 0.8

const durationSchema = schemaFor<SlaDuration>()({
  type: 'object',
  description: 'Business time: hours and minutes of the calendar working time.',
  properties: {
    hours: { type: 'number', minimum: 0, maximum: 100000 },
    minutes: { type: 'number', minimum: 0, maximum: 6000000 },
  },
  required: [],
  minProperties: 1,
  additionalProperties: false,
})

const warnAtSchema = {
  type: 'number',
  exclusiveMinimum: 0,
  exclusiveMaximum: 1,
  description: 'Share of the target after which the warning fires.',
} as const

const statusesSchema = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 100 },
  maxItems: 50,
  uniqueItems: true,
} as const

const policySchema = schemaFor<SlaPolicy>()({
  type: 'object',
  properties: {
    id: definitionIdSchema,
    label: reservedProperties.label,
    match: {
      type: 'object',
      description: "Field (or 'reference.field') → allowed values; all must hold.",
      propertyNames: { type: 'string', pattern: '^[a-z][a-zA-Z0-9]*(\\.[a-z][a-zA-Z0-9]*)?$' },
      additionalProperties: {
        type: 'array',
        items: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
        minItems: 1,
        maxItems: 100,
      },
      maxProperties: 20,
    },
    calendar: { ...definitionIdSchema, description: 'A calendar id (default: the SLA calendar).' },
    firstResponse: durationSchema,
    resolution: durationSchema,
    warnAt: warnAtSchema,
  },
  required: ['id'],
  additionalProperties: false,
})

const fieldRef = camelIdSchema

/** Schema of an `Sla`. */
export const slaSchema = schemaFor<Sla>()({
  type: 'object',
  properties: {
    $schema: reservedProperties.$schema,
    id: { ...definitionIdSchema, description: 'Stable id (camelCase or kebab-case).' },
    version: reservedProperties.version,
    module: packageIdSchema,
    label: reservedProperties.label,
    description: reservedProperties.description,
    entity: { ...camelIdSchema, description: 'The entity whose records carry the SLA.' },
    calendar: { ...definitionIdSchema, description: 'The default calendar id.' },
    startField: { ...fieldRef, description: 'A datetime field (default: creation time).' },
    statusField: { ...fieldRef, description: 'The select field holding the status.' },
    respondedWhenLeaving: { ...statusesSchema, minItems: 1 },
    resolvedIn: { ...statusesSchema, minItems: 1 },
    pausedIn: statusesSchema,
    warnAt: warnAtSchema,
    fields: {
      type: 'object',
      description: 'Fields the SLA writes.',
      properties: {
        firstResponseDue: fieldRef,
        resolutionDue: fieldRef,
        firstResponseBreached: fieldRef,
        resolutionBreached: fieldRef,
        pausedMinutes: fieldRef,
        respondedAt: fieldRef,
      },
      required: [],
      additionalProperties: false,
    },
    policies: { type: 'array', items: policySchema, minItems: 1, maxItems: 200 },
  },
  required: [
    'id',
    'label',
    'entity',
    'calendar',
    'statusField',
    'respondedWhenLeaving',
    'resolvedIn',
    'fields',
    'policies',
  ],
  additionalProperties: false,
})

/** Standalone schema document of `Sla` (metadata/schemas/sla.schema.json). */
export const slaJsonSchema = toSchemaDocument('sla', 'Trellis service level agreement', slaSchema)
