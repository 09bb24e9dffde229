import { MAX_BULK_IDS, MAX_HITS_PER_RULE } from '../../runtime/sharing'
import type { JsonSchema } from './field-schema'
import { nullable } from './operation-parts'

const uuid: JsonSchema = { type: 'string', format: 'uuid' }
const access: JsonSchema = { enum: ['read', 'write'] }
const recipient: Record<string, JsonSchema> = {
  userId: { ...nullable('uuid'), description: 'An enabled user; or give departmentId' },
  departmentId: { ...nullable('uuid'), description: 'A department; or give userId' },
  access,
  expiresAt: { ...nullable('date-time'), description: 'In the future; null or left out = never' },
}
const ids: JsonSchema = {
  type: 'array',
  items: uuid,
  minItems: 1,
  maxItems: MAX_BULK_IDS,
  uniqueItems: true,
  description: 'All or nothing: the first record that fails is named as `ids[i]`',
}
const ONE_RECIPIENT =
  'Exactly one of `userId` and `departmentId`; a share per recipient is replaced'

/** The component schemas of sharing, transfer and the duplicate lookup (any entity). */
export const SHARING_SCHEMAS: Record<string, JsonSchema> = {
  Share: {
    type: 'object',
    description: 'An active share of a record',
    properties: {
      id: uuid,
      userId: nullable('uuid'),
      departmentId: nullable('uuid'),
      access,
      expiresAt: nullable('date-time'),
      userName: nullable(),
      departmentName: nullable(),
      createdAt: { type: 'string', format: 'date-time' },
    },
    required: [
      'id',
      'userId',
      'departmentId',
      'access',
      'expiresAt',
      'userName',
      'departmentName',
      'createdAt',
    ],
  },
  NewShare: {
    type: 'object',
    description: ONE_RECIPIENT,
    properties: recipient,
    required: ['access'],
    additionalProperties: false,
  },
  BulkShareRequest: {
    type: 'object',
    description: ONE_RECIPIENT,
    properties: { ids, ...recipient },
    required: ['ids', 'access'],
    additionalProperties: false,
  },
  TransferRequest: {
    type: 'object',
    properties: {
      ids,
      toUserId: { ...uuid, description: 'An enabled user' },
      keepAsCollaborator: {
        type: 'boolean',
        description: 'Share each record read-only with its old owner',
      },
      moveRelated: {
        type: 'boolean',
        description: "Also move the old owner's records that follow these (permissionParent)",
      },
    },
    required: ['ids', 'toUserId'],
    additionalProperties: false,
  },
  TransferResult: {
    type: 'object',
    properties: {
      transferred: {
        type: 'integer',
        minimum: 0,
        description: 'Records already theirs: not counted',
      },
      related: {
        type: 'object',
        description: 'Related records moved, per entity id',
        additionalProperties: { type: 'integer', minimum: 0 },
      },
    },
    required: ['transferred', 'related'],
  },
  DuplicateLookup: {
    type: 'object',
    properties: {
      values: {
        type: 'object',
        description:
          'Candidate field values; `id` leaves that record out. Fields no dedup rule compares are ignored',
      },
    },
    required: ['values'],
    additionalProperties: false,
  },
  DuplicateHit: {
    description: `A record the values collide with (at most ${MAX_HITS_PER_RULE} per dedup rule); one the caller may not read shows only its title and owner name`,
    oneOf: [
      {
        type: 'object',
        properties: {
          id: uuid,
          title: { type: 'string' },
          ownerName: nullable(),
          readable: { const: true },
        },
        required: ['id', 'title', 'ownerName', 'readable'],
      },
      {
        type: 'object',
        properties: { title: nullable(), ownerName: nullable(), readable: { const: false } },
        required: ['title', 'ownerName', 'readable'],
      },
    ],
  },
}
