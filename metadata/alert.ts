import { camelIdSchema, definitionIdSchema, packageIdSchema } from './id-patterns'
import type { Labels } from './labels'
import { reservedProperties } from './reserved-kind'
import { ruleSchema, type Rule } from './rule'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'
import {
  alertChannelSchema,
  alertRecipientSchema,
  type AlertChannel,
  type AlertRecipient,
} from './alert-delivery'
import { alertTriggerSchema, type AlertTrigger } from './alert-trigger'

export * from './alert-delivery'
export * from './alert-trigger'

/** One language's text of an alert: handlebars over the record (never executed at save time). */
export interface AlertMessage {
  title: string
  body: string
  /** Email only: an HTML body; the text body is sent beside it. */
  html?: string
}

/** The alert's text per language; English is required, the others fall back to it. */
export type AlertTemplate = { en: AlertMessage } & Partial<Record<'zh-CN' | 'ko', AlertMessage>>

/** At most one message per recipient and alert within this many minutes. */
export interface AlertThrottle {
  perRecipientMinutes: number
}

/** Set a field of the record that fired the alert; `value` is json-logic over the same data. */
export interface SetFieldAction {
  type: 'setField'
  field: string
  value: Rule
}

/** Create a record of `entity`; each value is json-logic over the firing data. */
export interface CreateRecordAction {
  type: 'createRecord'
  entity: string
  values: Record<string, Rule>
}

/** What an alert does besides notifying: small and declarative. */
export type AlertAction = SetFieldAction | CreateRecordAction

/**
 * A notification fired by a trigger when a condition holds, sent to recipients over channels
 * with a handlebars template per language.
 * @example { id: 'quote-expiry', label: { en: 'Quote expiry' }, entity: 'quote',
 *   trigger: { type: 'dateOffset', field: 'validUntil', offset: { days: -3 } },
 *   recipients: [{ type: 'owner' }], channels: [{ type: 'inApp' }],
 *   template: { en: { title: 'Quote {{record.code}} expires soon', body: '…' } } }
 */
export interface Alert {
  $schema?: string
  id: string
  version?: number
  /** The package the definition belongs to (set from the package folder when installed). */
  module?: string
  label: Labels
  description?: Labels
  /** The entity whose records trigger the alert (none for a pure schedule). */
  entity?: string
  /** Off: kept, validated, never fired (default on). */
  enabled?: boolean
  trigger: AlertTrigger
  /** json-logic over `record`, `previous` and `$user`; the alert fires only when it holds. */
  condition?: Rule
  recipients?: AlertRecipient[]
  channels: AlertChannel[]
  template: AlertTemplate
  throttle?: AlertThrottle
  actions?: AlertAction[]
}

const messageSchema = schemaFor<AlertMessage>()({
  type: 'object',
  description: 'One language of the message; every text is a handlebars template.',
  properties: {
    title: {
      type: 'string',
      minLength: 1,
      maxLength: 500,
      description: 'Handlebars: the notification title and email subject.',
    },
    body: {
      type: 'string',
      minLength: 1,
      maxLength: 20000,
      description: 'Handlebars: the plain-text body (in-app, email text, SMS, chat, webhook).',
    },
    html: {
      type: 'string',
      minLength: 1,
      maxLength: 100000,
      description: 'Handlebars: the HTML body of an email (optional).',
    },
  },
  required: ['title', 'body'],
  additionalProperties: false,
})

const templateSchema = schemaFor<AlertTemplate>()({
  type: 'object',
  description: 'The message per language (en required; zh-CN and ko fall back to en).',
  properties: { en: messageSchema, 'zh-CN': messageSchema, ko: messageSchema },
  required: ['en'],
  additionalProperties: false,
})

const throttleSchema = schemaFor<AlertThrottle>()({
  type: 'object',
  description: 'Send one recipient at most one message of this alert per window.',
  properties: {
    perRecipientMinutes: {
      type: 'integer',
      minimum: 1,
      maximum: 525600,
      description: 'The window in minutes (at most a year).',
    },
  },
  required: ['perRecipientMinutes'],
  additionalProperties: false,
})

const setFieldSchema = schemaFor<SetFieldAction>()({
  type: 'object',
  description: "Sets a field of the alert's record.",
  properties: {
    type: { const: 'setField' },
    field: { ...camelIdSchema, description: 'A field of the alert entity.' },
    value: { ...ruleSchema, description: 'json-logic over record, previous and $user.' },
  },
  required: ['type', 'field', 'value'],
  additionalProperties: false,
})

const createRecordSchema = schemaFor<CreateRecordAction>()({
  type: 'object',
  description: 'Creates a record (a follow-up task, a return visit).',
  properties: {
    type: { const: 'createRecord' },
    entity: { ...camelIdSchema, description: 'The entity of the new record.' },
    values: {
      type: 'object',
      description: 'Field name → json-logic over record, previous and $user.',
      propertyNames: camelIdSchema,
      additionalProperties: ruleSchema,
      minProperties: 1,
      maxProperties: 100,
    },
  },
  required: ['type', 'entity', 'values'],
  additionalProperties: false,
})

const actionSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [setFieldSchema, createRecordSchema],
} as const

/** Schema of an `Alert`. */
export const alertSchema = schemaFor<Alert>()({
  type: 'object',
  properties: {
    $schema: reservedProperties.$schema,
    id: { ...definitionIdSchema, description: 'Stable id (camelCase or kebab-case).' },
    version: reservedProperties.version,
    module: packageIdSchema,
    label: reservedProperties.label,
    description: reservedProperties.description,
    entity: {
      ...camelIdSchema,
      description: 'The entity whose records the alert watches; none for a pure schedule.',
    },
    enabled: { type: 'boolean', description: 'false: never fires (default true).' },
    trigger: alertTriggerSchema,
    condition: {
      ...ruleSchema,
      description: 'json-logic over record, previous and $user; fires only when truthy.',
    },
    recipients: {
      type: 'array',
      description: 'Who is told; each kind resolves to users or contact addresses.',
      items: alertRecipientSchema,
      maxItems: 20,
    },
    channels: {
      type: 'array',
      description: 'How they are told.',
      items: alertChannelSchema,
      minItems: 1,
      maxItems: 10,
    },
    template: templateSchema,
    throttle: throttleSchema,
    actions: {
      type: 'array',
      description: 'What else happens when it fires.',
      items: actionSchema,
      maxItems: 10,
    },
  },
  required: ['id', 'label', 'trigger', 'channels', 'template'],
  additionalProperties: false,
})

/** Standalone schema document of `Alert` (metadata/schemas/alert.schema.json). */
export const alertJsonSchema = toSchemaDocument('alert', 'Trellis alert', alertSchema)
