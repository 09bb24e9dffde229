import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Flow } from '../../metadata/flow'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import { migratePlatform, openDb, type Db } from '../../runtime/db'
import { createUser } from '../../runtime/identity'
import { publishMetadata } from '../../runtime/registry'
import { startTrellisProcess, type TrellisProcess } from '../support/trellis-process'

// Two real API processes on one PostgreSQL database: the same approval handled by both never
// applies its transition twice. PGlite cannot have two processes, so this runs on PostgreSQL.
const base = process.env.TEST_DATABASE_URL
const label = (en: string) => ({ en })
const PASSWORD = 'two-processes-1'
const RECORDS = 12
const APPROVERS = ['ann', 'ben', 'cai']

const claim: Entity = {
  id: 'claim',
  label: label('Claim'),
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      options: ['draft', 'pending', 'approved', 'rejected'].map((value) => ({
        value,
        label: label(value),
      })),
      default: 'draft',
    },
  ],
}

/** draft → (submit: any of three approvers, or-sign) → approved. */
const claimFlow: Flow = {
  id: 'claimFlow',
  label: label('Claim flow'),
  entity: 'claim',
  stateField: 'status',
  states: [
    { id: 'draft', initial: true },
    { id: 'pending' },
    { id: 'approved', final: true },
    { id: 'rejected' },
  ],
  transitions: [
    {
      id: 'submit',
      label: label('Submit'),
      from: ['draft', 'rejected'],
      to: 'approved',
      approval: {
        pending: 'pending',
        rejected: 'rejected',
        steps: [
          {
            id: 'check',
            label: label('Check'),
            mode: 'any',
            approvers: APPROVERS.map((user) => ({ user })),
          },
        ],
      },
    },
  ],
}

describe.runIf(Boolean(base))('one approval handled by two API processes (PostgreSQL)', () => {
  const name = `trellis_flows_${randomBytes(5).toString('hex')}`
  let db: Db
  const apis: TrellisProcess[] = []
  const tokens = new Map<string, string>()

  /** Calls `api` as `who`; answers the status and the parsed body. */
  async function call(api: TrellisProcess, who: string, method: string, path: string, body = {}) {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(who)}`, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  beforeAll(async () => {
    const admin = postgres(base!, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    await admin.end()
    const url = new URL(base!)
    url.pathname = `/${name}`
    db = await openDb({ url: url.toString(), max: 4 })
    await migratePlatform(db)
    const ctx = { db, user: SYSTEM_USER, clock: systemClock, log: silentLogger }
    await publishMetadata(ctx, {
      ...{ packages: [], entities: [claim], forms: [], views: [], roles: [] },
      flows: [claimFlow],
    })
    // The approvers hold no role: the approval's shares let them read what they decide.
    for (const username of ['writer', ...APPROVERS]) {
      await createUser(
        { db },
        { username, password: PASSWORD, displayName: username, isAdmin: username === 'writer' },
      )
    }
    const env = { DATABASE_URL: url.toString(), TRELLIS_DEMO: 'false' }
    apis.push(
      ...(await Promise.all([
        startTrellisProcess('start', env),
        startTrellisProcess('start', env),
      ])),
    )
    for (const [i, username] of ['writer', ...APPROVERS].entries()) {
      const res = await fetch(`${apis[i % 2].url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }),
      })
      tokens.set(username, ((await res.json()) as { token: string }).token)
    }
  }, 300_000)

  afterAll(async () => {
    await Promise.all(apis.map((p) => p.stop()))
    await db?.close()
    const cleanup = postgres(base!, { max: 1, onnotice: () => {} })
    await cleanup.unsafe(`drop database if exists ${name} with (force)`)
    await cleanup.end()
  })

  it('applies each approval once when its approvers act at once through both processes', async () => {
    const ids: string[] = []
    for (let i = 0; i < RECORDS; i++) {
      const made = await call(apis[i % 2], 'writer', 'POST', '/api/data/claim', { title: `c${i}` })
      expect(made.status).toBe(201)
      ids.push(made.body.id as string)
    }
    // Both processes fire submit on every record at the same moment: one start each.
    const fired = await Promise.all(
      ids.flatMap((id) =>
        apis.map((api) =>
          call(api, 'writer', 'POST', `/api/data/claim/${id}/transitions/submit`, { version: 1 }),
        ),
      ),
    )
    expect(fired.filter((r) => r.status === 200)).toHaveLength(RECORDS)
    expect(fired.filter((r) => r.status === 409)).toHaveLength(RECORDS)
    // Every approver approves every claim at once, through alternating processes.
    const tasks = await db.query<{ id: string; record_id: string; username: string }>(sql`
      select t.id, t.record_id, u.username from approval_tasks t join users u on u.id = t.assignee
      where t.status = 'pending'`)
    expect(tasks).toHaveLength(RECORDS * APPROVERS.length)
    const decided = await Promise.all(
      tasks.map((task, i) =>
        call(apis[i % 2], task.username, 'POST', `/api/tasks/${task.id}/approve`, {
          comment: 'ok',
        }),
      ),
    )
    expect(decided.filter((r) => r.status === 200)).toHaveLength(RECORDS)
    const refused = decided.filter((r) => r.status !== 200)
    expect(refused).toHaveLength(RECORDS * (APPROVERS.length - 1))
    for (const r of refused) {
      expect(r.status).toBe(409)
      expect(r.body).toMatchObject({ error: { code: 'ALREADY_DECIDED' } })
    }
    // One completion per claim: approved once, one event telling the final move, one approved task.
    const rows = await db.query<{ status: string; version: number; done: number; events: number }>(
      sql`select c.status, c.version,
        (select count(*)::int from approval_tasks t
          where t.record_id = c.id and t.status = 'approved') as done,
        (select count(*)::int from outbox o where o.record_id = c.id and o.payload ? 'flow'
          and o.payload->>'to' = 'approved') as events
      from app.claim c`,
    )
    expect(rows).toHaveLength(RECORDS)
    for (const row of rows) expect(row).toMatchObject({ status: 'approved', done: 1, events: 1 })
    const instances = await db.query<{ status: string; n: number }>(
      sql`select status, count(*)::int as n from flow_instances group by status`,
    )
    expect(instances).toEqual([{ status: 'approved', n: RECORDS }])
  }, 180_000)
})
