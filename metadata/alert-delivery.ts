import { camelIdSchema, definitionIdSchema } from './id-patterns'
import { schemaFor } from './schema-check'

/** The record's owner (its entity's `ownerField`, else `createdBy`). */
export interface OwnerRecipient {
  type: 'owner'
}

/** The owner's managers, from the direct manager up to `levels` levels (default 1). */
export interface OwnerManagerRecipient {
  type: 'ownerManager'
  levels?: number
}

/** The user held in a user field, or in a user field of a referenced record (`customer.owner`). */
export interface FieldRecipient {
  type: 'field'
  field: string
}

/** Every enabled user holding the role. */
export interface RoleRecipient {
  type: 'role'
  role: string
}

/** The head of the department held in a department field, else of the owner's department. */
export interface DepartmentHeadRecipient {
  type: 'departmentHead'
  field?: string
}

/**
 * Every enabled user of the department held in a department field (an announcement's audience),
 * and with `includeSubDepartments` of the departments below it.
 */
export interface DepartmentMembersRecipient {
  type: 'departmentMembers'
  field: string
  includeSubDepartments?: boolean
}

/** Named users. */
export interface UsersRecipient {
  type: 'users'
  usernames: string[]
}

/** The record's own contact address: an email field and/or a phone field (at least one). */
export interface ContactRecipient {
  type: 'contact'
  emailField?: string
  phoneField?: string
}

/** Who an alert tells. */
export type AlertRecipient =
  | OwnerRecipient
  | OwnerManagerRecipient
  | FieldRecipient
  | RoleRecipient
  | DepartmentHeadRecipient
  | DepartmentMembersRecipient
  | UsersRecipient
  | ContactRecipient

/** Chat apps whose group bots take incoming-webhook messages. */
export const CHAT_PROVIDERS = ['wecom', 'dingtalk', 'feishu', 'kakaowork'] as const
export type ChatProvider = (typeof CHAT_PROVIDERS)[number]

/** In-app notification (stored, pushed, shown under the bell) or email to each user recipient. */
export interface UserChannel {
  type: 'inApp' | 'email'
}

/** An HMAC-signed POST of the event; the secret sits in an environment variable, never here. */
export interface WebhookChannel {
  type: 'webhook'
  url: string
  secretEnv: string
}

/** A text message to contact phone numbers, skipping records whose opt-out field is true. */
export interface SmsChannel {
  type: 'sms'
  optOutField?: string
}

/** A group bot message; the bot's webhook address (it holds a token) sits in an environment variable. */
export interface ChatChannel {
  type: 'chat'
  provider: ChatProvider
  webhookEnv: string
}

/** How an alert tells. */
export type AlertChannel = UserChannel | WebhookChannel | SmsChannel | ChatChannel

/** An environment variable name: upper case, digits and underscores. */
const envNameSchema = { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', maxLength: 100 } as const

const simple = (type: 'owner' | 'inApp' | 'email', description: string) =>
  schemaFor<{ type: typeof type }>()({
    type: 'object',
    description,
    properties: { type: { const: type } },
    required: ['type'],
    additionalProperties: false,
  })

const ownerManagerSchema = schemaFor<OwnerManagerRecipient>()({
  type: 'object',
  description: "The owner's managers up the manager chain.",
  properties: {
    type: { const: 'ownerManager' },
    levels: {
      type: 'integer',
      minimum: 1,
      maximum: 10,
      description: 'How many levels up (1 = the direct manager only; default 1).',
    },
  },
  required: ['type'],
  additionalProperties: false,
})

const fieldRecipientSchema = schemaFor<FieldRecipient>()({
  type: 'object',
  description: 'The user a field holds.',
  properties: {
    type: { const: 'field' },
    field: {
      type: 'string',
      pattern: '^[a-z][a-zA-Z0-9]*(\\.[a-z][a-zA-Z0-9]*)?$',
      maxLength: 81,
      description: 'A user field, or reference.userField (one hop, e.g. customer.owner).',
    },
  },
  required: ['type', 'field'],
  additionalProperties: false,
})

const roleRecipientSchema = schemaFor<RoleRecipient>()({
  type: 'object',
  description: 'Every enabled user holding a role.',
  properties: {
    type: { const: 'role' },
    role: { ...definitionIdSchema, description: 'A role id.' },
  },
  required: ['type', 'role'],
  additionalProperties: false,
})

const departmentHeadSchema = schemaFor<DepartmentHeadRecipient>()({
  type: 'object',
  description: 'The head of a department.',
  properties: {
    type: { const: 'departmentHead' },
    field: {
      ...camelIdSchema,
      description: "A department field; without it, the owner's department.",
    },
  },
  required: ['type'],
  additionalProperties: false,
})

const departmentMembersSchema = schemaFor<DepartmentMembersRecipient>()({
  type: 'object',
  description: 'Every enabled user of the department a field holds.',
  properties: {
    type: { const: 'departmentMembers' },
    field: { ...camelIdSchema, description: 'A department field of the alert entity.' },
    includeSubDepartments: {
      type: 'boolean',
      description: 'Also the members of every department below it (default false).',
    },
  },
  required: ['type', 'field'],
  additionalProperties: false,
})

const usersRecipientSchema = schemaFor<UsersRecipient>()({
  type: 'object',
  description: 'Named users.',
  properties: {
    type: { const: 'users' },
    usernames: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 100 },
      minItems: 1,
      maxItems: 100,
      uniqueItems: true,
      description: 'Usernames (case-insensitive).',
    },
  },
  required: ['type', 'usernames'],
  additionalProperties: false,
})

const contactRecipientSchema = schemaFor<ContactRecipient>()({
  type: 'object',
  description: "The record's own email and/or phone (a customer or contact).",
  properties: {
    type: { const: 'contact' },
    emailField: { ...camelIdSchema, description: 'An email field of the alert entity.' },
    phoneField: { ...camelIdSchema, description: 'A phone field of the alert entity.' },
  },
  required: ['type'],
  additionalProperties: false,
})

/** Schema of an `AlertRecipient`: one branch per `type`. */
export const alertRecipientSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    simple('owner', "The record's owner (ownerField, else createdBy)."),
    ownerManagerSchema,
    fieldRecipientSchema,
    roleRecipientSchema,
    departmentHeadSchema,
    departmentMembersSchema,
    usersRecipientSchema,
    contactRecipientSchema,
  ],
} as const

const webhookSchema = schemaFor<WebhookChannel>()({
  type: 'object',
  description: 'POSTs the event as JSON, signed with HMAC-SHA256; retried, then dead-lettered.',
  properties: {
    type: { const: 'webhook' },
    url: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      maxLength: 2000,
      description: 'The receiver (http or https).',
    },
    secretEnv: {
      ...envNameSchema,
      description: 'The environment variable holding the HMAC secret (never the secret itself).',
    },
  },
  required: ['type', 'url', 'secretEnv'],
  additionalProperties: false,
})

const smsSchema = schemaFor<SmsChannel>()({
  type: 'object',
  description: 'A text message to the contact phone numbers among the recipients.',
  properties: {
    type: { const: 'sms' },
    optOutField: {
      ...camelIdSchema,
      description: 'A boolean field: no message when it is true on the record.',
    },
  },
  required: ['type'],
  additionalProperties: false,
})

const chatSchema = schemaFor<ChatChannel>()({
  type: 'object',
  description: 'A group bot message with a link that opens the record.',
  properties: {
    type: { const: 'chat' },
    provider: { type: 'string', enum: CHAT_PROVIDERS, description: 'The chat app.' },
    webhookEnv: {
      ...envNameSchema,
      description: "The environment variable holding the bot's webhook address.",
    },
  },
  required: ['type', 'provider', 'webhookEnv'],
  additionalProperties: false,
})

/** Schema of an `AlertChannel`: one branch per `type`. */
export const alertChannelSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    simple('inApp', 'A stored notification under the bell, pushed to open workspaces.'),
    simple('email', "An email to each user recipient's address and each contact email."),
    webhookSchema,
    smsSchema,
    chatSchema,
  ],
} as const
