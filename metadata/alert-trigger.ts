import { camelIdSchema, definitionIdSchema } from './id-patterns'
import { ruleSchema, type Rule } from './rule'
import { schemaFor } from './schema-check'

/** A scalar a `fieldChanged` trigger compares a field's value with. */
export type AlertFieldValue = string | number | boolean | null

/** A record was created, updated or deleted. */
export interface RecordEventTrigger {
  type: 'created' | 'updated' | 'deleted'
}

/** A field's value changed (on create or update), optionally from and/or to given values. */
export interface FieldChangedTrigger {
  type: 'fieldChanged'
  field: string
  /** An `AlertFieldValue`; typed loosely because its schema is a union of JSON types. */
  from?: unknown
  to?: unknown
}

/** Days and hours from a date; negative numbers point before it. */
export interface AlertOffset {
  days?: number
  hours?: number
}

/**
 * Due at a date field's value moved by `offset` (3 days before `validUntil`), at `at` local time
 * for date fields; again every `repeatEveryDays` days, or every year on the date's month and day
 * (`repeatYearly`: a birthday, whose year does not matter), while `while` holds.
 */
export interface DateOffsetTrigger {
  type: 'dateOffset'
  field: string
  offset?: AlertOffset
  /** 'HH:mm' in the instance time zone (date fields default to 09:00). */
  at?: string
  repeatEveryDays?: number
  /** Every year on the field's month and day (29 February: the 28th in other years). */
  repeatYearly?: boolean
  /** json-logic over `record`: repeating stops once it no longer holds. */
  while?: Rule
}

/** Runs on a cron schedule in a time zone (a daily digest, a weekly reminder). */
export interface ScheduleTrigger {
  type: 'schedule'
  /** Five fields: minute hour day-of-month month day-of-week. */
  cron: string
  /** An IANA time zone (Asia/Shanghai, Asia/Seoul, UTC). */
  timeZone: string
}

/** A flow transition on the record: any, or of one flow, into one state, by one action. */
export interface TransitionTrigger {
  type: 'transition'
  flow?: string
  to?: string
  action?: string
}

/** An SLA milestone of the record (warning or breach of first response or resolution). */
export interface SlaTrigger {
  type: 'sla'
  milestone: 'warning' | 'breach'
  target: 'firstResponse' | 'resolution'
}

/** What makes an alert fire. */
export type AlertTrigger =
  | RecordEventTrigger
  | FieldChangedTrigger
  | DateOffsetTrigger
  | ScheduleTrigger
  | TransitionTrigger
  | SlaTrigger

/** Trigger types that fire for one record, so the alert needs an `entity`. */
export const RECORD_TRIGGER_TYPES = [
  'created',
  'updated',
  'deleted',
  'fieldChanged',
  'dateOffset',
  'transition',
  'sla',
] as const satisfies readonly AlertTrigger['type'][]

const fieldValueSchema = {
  description: 'A value to compare with: text, number, boolean or null.',
  anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }],
} as const

const eventTrigger = (type: RecordEventTrigger['type'], description: string) =>
  schemaFor<{ type: typeof type }>()({
    type: 'object',
    description,
    properties: { type: { const: type } },
    required: ['type'],
    additionalProperties: false,
  })

const fieldChangedSchema = schemaFor<FieldChangedTrigger>()({
  type: 'object',
  description: 'Fires when the field changes (on create or update), optionally from / to a value.',
  properties: {
    type: { const: 'fieldChanged' },
    field: { ...camelIdSchema, description: 'A field of the alert entity.' },
    from: { ...fieldValueSchema, description: 'Only when the value was this before.' },
    to: { ...fieldValueSchema, description: 'Only when the value is this after.' },
  },
  required: ['type', 'field'],
  additionalProperties: false,
})

const offsetSchema = schemaFor<AlertOffset>()({
  type: 'object',
  description: 'Moves the due time from the date; negative numbers point before it.',
  properties: {
    days: { type: 'integer', minimum: -3650, maximum: 3650, description: 'Whole days.' },
    hours: { type: 'integer', minimum: -8760, maximum: 8760, description: 'Whole hours.' },
  },
  required: [],
  additionalProperties: false,
})

const dateOffsetSchema = schemaFor<DateOffsetTrigger>()({
  type: 'object',
  description: 'Fires at a time computed from a date or datetime field of the record.',
  properties: {
    type: { const: 'dateOffset' },
    field: { ...camelIdSchema, description: 'A date or datetime field of the alert entity.' },
    offset: offsetSchema,
    at: {
      type: 'string',
      pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
      description: 'Local time of day HH:mm in the instance time zone (date fields: 09:00).',
    },
    repeatEveryDays: {
      type: 'integer',
      minimum: 1,
      maximum: 365,
      description: 'Fire again every N days after the first time.',
    },
    repeatYearly: {
      type: 'boolean',
      description:
        "Fire every year on the field's month and day, whatever its year (a birthday); 29 February falls on the 28th in other years.",
    },
    while: {
      ...ruleSchema,
      description: 'json-logic over record: repeating stops once it is falsy.',
    },
  },
  required: ['type', 'field'],
  additionalProperties: false,
})

const scheduleSchema = schemaFor<ScheduleTrigger>()({
  type: 'object',
  description: 'Fires on a cron schedule, evaluated in a time zone.',
  properties: {
    type: { const: 'schedule' },
    cron: {
      type: 'string',
      minLength: 1,
      maxLength: 120,
      description: 'minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5".',
    },
    timeZone: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description: 'An IANA time zone such as Asia/Shanghai.',
    },
  },
  required: ['type', 'cron', 'timeZone'],
  additionalProperties: false,
})

const transitionSchema = schemaFor<TransitionTrigger>()({
  type: 'object',
  description: 'Fires when a flow moves the record (filled in by the flow release).',
  properties: {
    type: { const: 'transition' },
    flow: { ...definitionIdSchema, description: 'Only transitions of this flow.' },
    to: { ...definitionIdSchema, description: 'Only transitions into this state.' },
    action: { ...definitionIdSchema, description: 'Only this action.' },
  },
  required: ['type'],
  additionalProperties: false,
})

const slaSchema = schemaFor<SlaTrigger>()({
  type: 'object',
  description: "Fires at an SLA milestone of the record's service level.",
  properties: {
    type: { const: 'sla' },
    milestone: { type: 'string', enum: ['warning', 'breach'], description: 'Which milestone.' },
    target: {
      type: 'string',
      enum: ['firstResponse', 'resolution'],
      description: 'Which SLA target.',
    },
  },
  required: ['type', 'milestone', 'target'],
  additionalProperties: false,
})

/** Schema of an `AlertTrigger`: one branch per `type` (ajv's discriminator picks it). */
export const alertTriggerSchema = {
  type: 'object',
  description: 'What makes the alert fire.',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    eventTrigger('created', 'Fires when a record is created.'),
    eventTrigger('updated', 'Fires when a record is updated.'),
    eventTrigger('deleted', 'Fires when a record is deleted.'),
    fieldChangedSchema,
    dateOffsetSchema,
    scheduleSchema,
    transitionSchema,
    slaSchema,
  ],
} as const
