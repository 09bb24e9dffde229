import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { fixedClock, systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createLocalFileStore } from '../../runtime/files'
import { createUser } from '../../runtime/identity'
import { createMetadataCache, publishMetadata } from '../../runtime/registry'
import { buildApp, type AppEnv } from '../../server/app'
import { loadDemoData } from '../../server/cli/demo'
import { loadSeedBundle } from '../../seeds'
import { ADMIN } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import {
  checkResponse,
  formatRequest,
  snapshotCounts,
  type FuzzRequest,
} from '../support/fuzz-check'
import { createRng, type Rng } from '../support/fuzz-random'
import { itemRequest, listRequest, strayEntityRequest } from '../support/fuzz-reads'
import {
  listOperations,
  routeRequest,
  sweepRequests,
  type RouteFuzzContext,
} from '../support/fuzz-routes'
import { invalidCreate, invalidDelete, invalidPatch, type FuzzTarget } from '../support/fuzz-writes'

/** Change the seed to explore; failures print the request, reproducible with the same seed. */
const SEED = 20240601
/** Requests per database, spread over the top-level entities. */
const TOTAL = 10_800

const bundle = loadSeedBundle()
const topLevel = bundle.entities.filter((e) => !e.childOf)
const childIds = bundle.entities.filter((e) => e.childOf).map((e) => e.id)
const perEntity = Math.ceil(TOTAL / topLevel.length)
/** Requests to each operation of the OpenAPI document (every served route). */
const PER_ROUTE = 10

type Rec = Record<string, unknown>

/** A create body copied from a stored record: writable fields only, unique values made fresh. */
function bodyFrom(entity: Entity, record: Rec, n: number): Rec {
  const blocking = new Set(
    (entity.dedup ?? []).filter((r) => r.action === 'block').flatMap((r) => r.fields),
  )
  const body: Rec = {}
  for (const f of entity.fields) {
    if (f.readOnly || f.type === 'autoNumber' || f.type === 'formula') continue
    let value = record[f.name] ?? null
    if (f.type === 'childTable') value = ((value as Rec[] | null) ?? []).map((row) => ({ ...row }))
    if (f.unique || blocking.has(f.name)) {
      if (f.type === 'user') value = null
      else if (['text', 'longText', 'email', 'phone'].includes(f.type))
        value = `fz${n}-${value ?? ''}`.slice(0, f.maxLength ?? 200)
    }
    body[f.name] = value
  }
  return body
}

function generate(rng: Rng, t: FuzzTarget, token: string, count: number): FuzzRequest[] {
  const out: FuzzRequest[] = []
  for (let n = 1; out.length < count; n++) {
    const roll = rng.next()
    if (roll < 0.35) out.push(invalidCreate(rng, t, token, n))
    else if (roll < 0.6) out.push(invalidPatch(rng, t, token))
    else if (roll < 0.66) out.push(invalidDelete(rng, t, token))
    else if (roll < 0.76) out.push(itemRequest(rng, t, token))
    else if (roll < 0.98) out.push(listRequest(rng, t, token))
    else out.push(strayEntityRequest(rng, token, childIds))
  }
  return out
}

describe.each(testTargets())('a fuzz of malformed API requests on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let app: Hono<AppEnv>
  let filesDir: string | undefined
  let token: string
  const targets = new Map<string, FuzzTarget>()
  let sent = 0
  const statuses: Record<number, number> = {}
  let fuzzMs = 0

  const send = (req: FuzzRequest) =>
    Promise.resolve(
      app.request(req.path, { method: req.method, headers: req.headers, body: req.body }),
    )

  async function json(req: FuzzRequest): Promise<Rec> {
    const res = await send(req)
    if (res.status >= 300)
      throw new Error(`${formatRequest(req)} → ${res.status} ${await res.text()}`)
    return (await res.json()) as Rec
  }

  /** The entity's stored records and a create body proven valid by creating one record. */
  async function prepareTarget(entity: Entity): Promise<FuzzTarget> {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const list = await json({
      method: 'GET',
      path: `/api/data/${entity.id}?limit=5`,
      headers,
      blame: [],
    })
    const samples = []
    for (const row of list.data as Rec[]) {
      const record = await json({
        method: 'GET',
        path: `/api/data/${entity.id}/${row.id}`,
        headers,
        blame: [],
      })
      samples.push({ id: record.id as string, version: record.version as number, record })
    }
    if (!samples.length) throw new Error(`no demo records of ${entity.id}`)
    const children = new Map<string, Entity>()
    for (const f of entity.fields)
      if (f.type === 'childTable')
        children.set(
          f.name,
          bundle.entities.find((e) => e.id === f.entity)!,
        )
    const refusals: string[] = []
    for (const sample of samples) {
      const body = JSON.stringify(bodyFrom(entity, sample.record, 0))
      const res = await send({
        method: 'POST',
        path: `/api/data/${entity.id}`,
        headers,
        body,
        blame: [],
      })
      if (res.status !== 201) {
        refusals.push(`${body.slice(0, 300)} → ${res.status} ${await res.text()}`)
        continue
      }
      return { entity, children, samples, validBody: (n) => bodyFrom(entity, sample.record, n) }
    }
    throw new Error(`no valid create body for ${entity.id}:\n${refusals.join('\n')}`)
  }

  beforeAll(async () => {
    ;({ db, close } = await target.open())
    const ctx = { db, user: SYSTEM_USER, clock: fixedClock(systemClock.now()), log: silentLogger }
    const { meta } = await publishMetadata(ctx, bundle)
    const admin = await createUser({ db }, { ...ADMIN, displayName: 'Admin', isAdmin: true })
    await loadDemoData({ ...ctx, meta }, admin, 0.05)
    // A file store, as `trellis start` has: uploads are fuzzed down to the store.
    filesDir = mkdtempSync(join(tmpdir(), 'trellis-fuzz-files-'))
    app = buildApp({
      db,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(db),
      files: createLocalFileStore(filesDir),
    })
    const login = await send({
      method: 'POST',
      path: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
      blame: [],
    })
    token = ((await login.json()) as { token: string }).token
    for (const entity of topLevel) targets.set(entity.id, await prepareTarget(entity))
    // A record created for one entity may change another's (a payment rolls up into its order):
    // the samples are read again once every entity has had its record created.
    const headers = { authorization: `Bearer ${token}` }
    for (const t of targets.values())
      for (const sample of t.samples) {
        const path = `/api/data/${t.entity.id}/${sample.id}`
        sample.record = await json({ method: 'GET', path, headers, blame: [] })
        sample.version = sample.record.version as number
      }
  })
  afterAll(async () => {
    await close?.()
    if (filesDir) rmSync(filesDir, { recursive: true, force: true })
  })

  it.each(topLevel.map((e) => e.id))(
    'answers malformed requests at %s below 500, naming the bad part, writing nothing',
    async (entityId) => {
      const t = targets.get(entityId)!
      const requests = generate(createRng(SEED, entityId), t, token, perEntity)
      const before = await snapshotCounts(db)
      const started = Date.now()
      const problems: string[] = []
      for (const req of requests) {
        let problem: string | null
        try {
          const res = await send(req)
          statuses[res.status] = (statuses[res.status] ?? 0) + 1
          problem = await checkResponse(req, res)
        } catch (err) {
          problem = `threw: ${(err as Error).stack ?? String(err)}`
        }
        if (problem) problems.push(`${formatRequest(req)}\n    → ${problem}`)
      }
      sent += requests.length
      fuzzMs += Date.now() - started
      if (problems.length)
        console.log(`${entityId}: ${problems.length} problems\n${problems.join('\n')}`)
      expect(problems.slice(0, 15).join('\n'), `${problems.length} problems`).toBe('')
      expect(await snapshotCounts(db)).toEqual(before)
    },
  )

  it('locates a child row whose reference does not exist, and refuses rows that are not objects', async () => {
    const body = targets.get('quote')!.validBody(999_999)
    const lines = body.lines as Rec[]
    expect(lines.length).toBeGreaterThan(0)
    const before = await snapshotCounts(db)
    const post = async (rows: unknown) => {
      const res = await send({
        method: 'POST',
        path: '/api/data/quote',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, lines: rows }),
        blame: [],
      })
      const error = ((await res.json()) as { error: { details: { path: string }[] } }).error
      return { status: res.status, paths: error.details.map((d) => d.path) }
    }
    const missing = { ...lines[0], product: '00000000-0000-4000-8000-000000000000' }
    expect(await post([...lines, missing])).toEqual({
      status: 422,
      paths: [`lines[${lines.length}].product`],
    })
    expect(await post([null])).toEqual({ status: 422, paths: ['lines[0]'] })
    expect(await snapshotCounts(db)).toEqual(before)
  })

  it('answers hostile requests at every route of the OpenAPI document below 500', async () => {
    const auth = { authorization: `Bearer ${token}` }
    const doc = (await json({ method: 'GET', path: '/api/openapi.json', blame: [] })) as never
    const ids: string[] = []
    for (const list of ['/api/admin/users', '/api/admin/departments', '/api/admin/positions']) {
      const rows = (await json({ method: 'GET', path: list, headers: auth, blame: [] })).data
      for (const row of (rows as Rec[]).slice(0, 5))
        if (row.username !== ADMIN.username) ids.push(row.id as string)
    }
    for (const t of targets.values()) ids.push(t.samples[0].id)
    const ctx: RouteFuzzContext = { doc, token, ids }
    const operations = listOperations(doc)
    const before = sent
    const problems: string[] = []
    const started = Date.now()
    for (const op of operations) {
      const rng = createRng(SEED, `${op.method} ${op.path}`)
      const random = Array.from({ length: PER_ROUTE }, () => routeRequest(rng, op, ctx))
      for (const req of [...sweepRequests(op, ctx), ...random]) {
        sent += 1
        let problem: string | null
        try {
          const res = await send(req)
          statuses[res.status] = (statuses[res.status] ?? 0) + 1
          problem = await checkResponse(req, res)
        } catch (err) {
          problem = `threw: ${(err as Error).stack ?? String(err)}`
        }
        if (problem) problems.push(`${formatRequest(req)}\n    → ${problem}`)
      }
    }
    console.log(
      `${target.name}: ${sent - before} route requests over ${operations.length} operations in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
    if (problems.length) console.log(`routes: ${problems.length} problems\n${problems.join('\n')}`)
    expect(operations.length).toBeGreaterThan(50)
    expect(problems.slice(0, 15).join('\n'), `${problems.length} problems`).toBe('')
  })

  it('sent at least 10,000 malformed requests', () => {
    const seconds = (fuzzMs / 1000).toFixed(1)
    console.log(
      `${target.name}: ${sent} requests in ${seconds} s, by status ${JSON.stringify(statuses)}`,
    )
    expect(sent).toBeGreaterThanOrEqual(10_000)
  })
})
