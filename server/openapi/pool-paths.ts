import type { MetadataSet } from '../../runtime/registry'
import { dataList, errors, jsonBody, ok, ref, uuidPath, type PathGroup } from './operation-parts'

const labels = { type: 'object', additionalProperties: { type: 'string' } }
const count = { type: 'integer', minimum: 0 }
const limit = { type: ['integer', 'null'], minimum: 1 }

const schemas = {
  PoolOverview: {
    type: 'object',
    description: "A pool the caller may use, with the caller's held count and claims today",
    properties: {
      id: { type: 'string' },
      label: labels,
      entity: { type: 'string' },
      waiting: { ...count, description: 'Unowned records in the pool' },
      held: { ...count, description: 'Records of the entity the caller owns' },
      heldLimit: { ...limit, description: 'null: no cap' },
      claimedToday: count,
      claimsPerDay: { ...limit, description: 'null: no daily limit' },
      admin: { type: 'boolean', description: "Whether the caller may return anyone's record here" },
      poolField: { type: 'string', description: "The field naming a record's pool" },
      filter: {
        type: ['object', 'null'],
        description: 'json-logic over a record: only records that match may be returned here',
      },
      cooldownDays: {
        ...count,
        description: 'Days before a record that left someone is theirs to claim again',
      },
      returnReasons: {
        type: 'array',
        items: {
          type: 'object',
          properties: { value: { type: 'string' }, label: labels },
          required: ['value', 'label'],
        },
      },
    },
    required: ['id', 'label', 'entity', 'waiting', 'held', 'heldLimit', 'claimedToday'],
  },
  PoolRecordPage: {
    type: 'object',
    description: 'Unowned records waiting in the pool, paged like every list',
    properties: {
      data: { type: 'array', items: { type: 'object', additionalProperties: true } },
      nextCursor: { type: ['string', 'null'] },
      total: count,
      totalCapped: { type: 'boolean' },
    },
    required: ['data', 'nextCursor'],
  },
  PoolMove: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      version: { type: 'integer' },
      owner: { type: 'string', format: 'uuid' },
    },
    required: ['id', 'version'],
  },
}

const poolId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'A pool the caller may use; any other answers 404',
  schema: { type: 'string' },
}

/** Pools: the caller's pools, a pool's records, claiming, and returning records to pools. */
export function buildPoolPaths(meta: MetadataSet): PathGroup {
  const tags = ['pools']
  const paths: Record<string, unknown> = {
    '/api/pools': {
      get: {
        tags,
        operationId: 'listPools',
        summary: "The pools the caller may use, with the caller's held count against the limit",
        responses: { 200: ok('The pools', dataList(ref('PoolOverview'))), ...errors(400, 401) },
      },
    },
    '/api/pools/{id}/records': {
      get: {
        tags,
        operationId: 'listPoolRecords',
        summary: 'The unowned records waiting in a pool',
        parameters: [
          poolId,
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
          { name: 'sort', in: 'query', schema: { type: 'string' } },
          { name: 'count', in: 'query', schema: { type: 'boolean' } },
        ],
        responses: { 200: ok('A page', ref('PoolRecordPage')), ...errors(400, 401, 403, 404) },
      },
    },
    '/api/pools/{id}/claim/{recordId}': {
      post: {
        tags,
        operationId: 'claimPoolRecord',
        summary: 'Claims a record of the pool: one claimer wins, the others get 409',
        description:
          '409 `details[0].path` is recordId; `reason` says why: taken, dailyLimit, heldLimit or cooldown.',
        parameters: [poolId, uuidPath('recordId', 'A record waiting in the pool')],
        responses: { 200: ok('Claimed', ref('PoolMove')), ...errors(401, 403, 404, 409) },
      },
    },
  }
  // Every top-level entity answers the route: one without a pool of that id answers 422 at `pool`.
  const entities = meta.bundle.entities.filter((e) => !e.childOf).map((e) => e.id)
  for (const entity of entities) {
    paths[`/api/data/${entity}/{id}/release`] = {
      post: {
        tags,
        operationId: `release_${entity}`,
        summary: `Returns an owned ${entity} to a pool with a reason`,
        parameters: [uuidPath('id', `The ${entity}`)],
        requestBody: jsonBody({
          type: 'object',
          properties: {
            pool: { type: 'string', description: `A pool of ${entity}` },
            reason: { type: 'string', description: "One of the pool's return reasons" },
          },
          required: ['pool', 'reason'],
        }),
        responses: {
          200: ok('Returned', ref('PoolMove')),
          ...errors(400, 401, 403, 404, 409, 422),
        },
      },
    }
  }
  return {
    tags: [{ name: 'pools', description: 'Customer pools: claim and return' }],
    schemas,
    paths,
  }
}
