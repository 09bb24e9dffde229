import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { toLabel } from '../../metadata/labels'
import { ACTIONS, type Action } from '../../metadata/role'
import type { Clock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx, type CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { canAttempt, scopePredicate } from '../../runtime/permissions'
import {
  buildMetadataSet,
  createMetadataCache,
  defaultForm,
  type MetadataSet,
} from '../../runtime/registry'
import { APP_SCHEMA, columnName, tableName } from '../../runtime/schema'
import { buildApp } from '../../server/app'
import { installDemo } from '../../server/cli/demo'
import { testTargets } from '../support/databases'
import { parseCsv } from '../support/parse-csv'
import {
  loadOracleWorld,
  permissionOracle,
  type OracleUser,
  type PermissionOracle,
} from '../support/permission-oracle'
import {
  isTextType,
  searchOracle,
  type ExpectedHit,
  type SearchOracle,
} from '../support/search-oracle'

/**
 * The permission matrix of the SHIPPED roles over the demo organisation, through the HTTP API:
 * every user × entity × action is compared with an oracle computed in TypeScript from the role
 * definitions and the stored rows (see test/support/permission-oracle.ts).
 */

type Json = Record<string, unknown>
interface Reply {
  status: number
  body: Json
}

const DEMO_USERS = [
  'director',
  'mgr_east',
  'mgr_west',
  'rep_east1',
  'rep_east2',
  'rep_west1',
  'agent1',
  'hr1',
  'fin1',
]
/**
 * People the demo lacks: a service manager (so every shipped role is held), someone with three
 * roles, and someone unrestricted through the `admin` role alone (not is_admin).
 */
const EXTRA_USERS = [
  { username: 'svc_mgr', department: 'Service', roles: ['serviceManager', 'employee'] },
  { username: 'fin_rep', department: 'Finance', roles: ['salesRep', 'finance', 'employee'] },
  { username: 'ops', department: 'Trellis Demo Co.', roles: ['admin'] },
]
const STALE_VERSION = 99_999_999
/** Texts every user searches for across all entities: Latin, Chinese and Korean demo data. */
const GLOBAL_QUERIES = ['a', '王', '김']
/** Samples per user × entity for single-record reads, and per outcome for writes. */
const SAMPLE = 6
const WRITE_SAMPLE = 3

/** A mutable clock: the app and the oracle agree on "now", and tests move it forward. */
function testClock(): Clock & { advance(ms: number): void } {
  let offset = 0
  return { now: () => new Date(Date.now() + offset), advance: (ms) => (offset += ms) }
}

/** Up to n ids spread over the sorted set (deterministic). */
function sample(ids: Iterable<string>, n: number): string[] {
  const sorted = [...ids].sort()
  if (sorted.length <= n) return sorted
  const step = sorted.length / n
  return Array.from({ length: n }, (_, i) => sorted[Math.floor(i * step)])
}

const diff = (want: Set<string>, got: Set<string>) => ({
  missing: [...want].filter((id) => !got.has(id)),
  extra: [...got].filter((id) => !want.has(id)),
})

describe.each(testTargets())('the shipped roles over the demo organisation on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let meta: MetadataSet
  let app: ReturnType<typeof buildApp>
  const clock = testClock()
  const tokens = new Map<string, string>()
  const ids = new Map<string, string>()
  const departments = new Map<string, string>()
  let oracle: PermissionOracle
  let search: SearchOracle
  const stats = { requests: 0, rows: 0, combos: new Set<string>(), checks: 0 }
  let started = 0

  async function api(method: string, path: string, who: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(who)}` }
    if (method === 'DELETE') headers['if-match'] = `"${STALE_VERSION}"`
    let payload: string | undefined
    if (body !== undefined) {
      payload = JSON.stringify(body)
      headers['content-type'] = 'application/json'
    }
    const res = await app.request(path, { method, headers, body: payload })
    stats.requests++
    const text = await res.text()
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} }
  }

  /** Every page of a list (limit 500); the status of the first page when it is not 200. */
  async function listAll(
    who: string,
    entity: string,
    filter?: unknown,
    page: { limit: number; sort?: string } = { limit: 500 },
  ): Promise<{ status: number; rows: Json[] }> {
    const rows: Json[] = []
    let cursor: string | null = null
    for (let n = 0; n < 200; n++) {
      const q = new URLSearchParams({ limit: String(page.limit) })
      if (page.sort) q.set('sort', page.sort)
      if (filter !== undefined) q.set('filter', JSON.stringify(filter))
      if (cursor) q.set('cursor', cursor)
      const res = await api('GET', `/api/data/${entity}?${q}`, who)
      if (res.status !== 200) return { status: res.status, rows }
      rows.push(...(res.body.data as Json[]))
      cursor = res.body.nextCursor as string | null
      if (!cursor) break
    }
    stats.rows += rows.length
    return { status: 200, rows }
  }

  async function login(username: string, password: string): Promise<void> {
    const res = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`)
    tokens.set(username, ((await res.json()) as { token: string }).token)
  }

  async function refreshOracle(): Promise<void> {
    oracle = permissionOracle(await loadOracleWorld(db, meta), clock.now())
    search = searchOracle(oracle)
  }
  const user = (name: string): OracleUser => {
    const found = [...oracle.world.users.values()].find((u) => u.username === name)
    if (!found) throw new Error(`no user ${name}`)
    return found
  }
  const everyone = () => ['admin', ...DEMO_USERS, ...EXTRA_USERS.map((u) => u.username)]
  const entities = () => [...meta.entities.values()]
  const mark = (who: string, entity: string, action: Action) =>
    stats.combos.add(`${who}|${entity}|${action}`)
  const record = (entity: string, id: string) =>
    oracle.world.records.get(entity)!.find((r) => r.id === id)!
  const nameOf = (id: string | null) => (id && oracle.world.users.get(id)?.username) ?? String(id)

  /** Field names of a row the user may not see. */
  function leaked(who: string, entity: string, row: Json): string[] {
    const hidden = oracle.hidden(user(who), entity)
    return Object.keys(row).filter((k) => hidden.has(k))
  }

  /** Compares every list of `entities` for `who` with the oracle; answers the problems. */
  async function checkLists(who: string, entityIds: string[]): Promise<string[]> {
    const problems: string[] = []
    const u = user(who)
    for (const entityId of entityIds) {
      mark(who, entityId, 'read')
      const { status, rows } = await listAll(who, entityId)
      stats.checks++
      if (!oracle.canAttempt(u, entityId, 'read')) {
        if (status !== 403) problems.push(`${who} lists ${entityId}: ${status}, want 403`)
        continue
      }
      if (status !== 200) {
        problems.push(`${who} lists ${entityId}: ${status}`)
        continue
      }
      const got = rows.map((r) => r.id as string)
      if (new Set(got).size !== got.length) problems.push(`${who} ${entityId}: a row twice`)
      const want = oracle.allowed(u, entityId, 'read')
      const { missing, extra } = diff(want, new Set(got))
      if (missing.length || extra.length) {
        const owners = (list: string[]) =>
          list.slice(0, 5).map((id) => {
            const r = record(entityId, id)
            return `${id.slice(0, 8)}(owner ${nameOf((r?.values.owner as string) ?? r?.createdBy)})`
          })
        problems.push(
          `${who} ${entityId}: missing ${missing.length} ${owners(missing)}, extra ${extra.length} ${owners(extra)}`,
        )
      }
      for (const row of rows) {
        const bad = leaked(who, entityId, row)
        if (bad.length) problems.push(`${who} ${entityId} list row shows ${bad}`)
      }
    }
    return problems
  }

  beforeAll(async () => {
    started = Date.now()
    ;({ db, close } = await target.open())
    const empty = buildMetadataSet({ packages: [], entities: [], forms: [], views: [] }, 0)
    let ctx: Ctx = { db, user: SYSTEM_USER, clock, log: silentLogger, meta: empty }
    ctx = await installDemo(ctx, 0.1)
    meta = ctx.meta
    app = buildApp({ db, clock, log: pino({ level: 'silent' }), metadata: createMetadataCache(db) })
    await login('admin', 'admin')
    for (const d of await db.query<{ id: string; name: string }>(
      sql`select id, name from departments`,
    ))
      departments.set(d.name, d.id)
    for (const extra of EXTRA_USERS) {
      const res = await api('POST', '/api/admin/users', 'admin', {
        username: extra.username,
        password: 'long-enough-password',
        displayName: extra.username,
        departmentId: departments.get(extra.department),
        roles: extra.roles,
      })
      if (res.status !== 201) throw new Error(`create ${extra.username}: ${res.status}`)
    }
    for (const u of await db.query<{ id: string; username: string }>(
      sql`select id, username from users`,
    ))
      ids.set(u.username, u.id)
    for (const name of DEMO_USERS) await login(name, 'demo')
    for (const extra of EXTRA_USERS) await login(extra.username, 'long-enough-password')
    await diversify()
    await shareSome()
    await refreshOracle()
  }, 120_000)

  afterAll(async () => {
    await close?.()
    const entityCount = meta ? meta.entities.size : 0
    const actions = new Set([...stats.combos].map((c) => c.split('|')[2]))
    // How many user × entity read sets are partial (neither nothing nor everything).
    let partial = 0
    if (oracle)
      for (const who of everyone())
        for (const entity of entities()) {
          const n = oracle.allowed(user(who), entity.id, 'read').size
          if (n > 0 && n < oracle.world.records.get(entity.id)!.length) partial++
        }
    console.log(
      `[permissions-shipped ${target.name}] ${everyone().length} users × ${entityCount} entities × ` +
        `${actions.size} actions (${[...actions].join(', ')}): ${stats.combos.size} combinations, ` +
        `${partial} partial read sets, ${stats.checks} checks, ${stats.requests} requests, ` +
        `${stats.rows} list rows compared, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
  })

  const table = (entity: string) =>
    sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName({ id: entity }))}`
  /** Ids of an entity's rows in creation order, optionally only those a user field points at. */
  const rowIds = async (entity: string, where?: { field: string; user: string }) => {
    const filter = where
      ? sql` where ${sql.identifier(columnName({ name: where.field }))} = ${ids.get(where.user)!}`
      : sql``
    const rows = await db.query<{ id: string }>(
      sql`select id from ${table(entity)}${filter} order by created_at, id`,
    )
    return rows.map((r) => String(r.id))
  }

  /**
   * The demo data gives every record to sales people who created it themselves: hand service work
   * to the service team, let others create or own records under customers (child follows
   * parent), leave a customer without owner, and vary the row filters' inputs.
   */
  async function diversify(): Promise<void> {
    const setColumn = async (entity: string, field: string, id: string, value: unknown) => {
      const column = sql.identifier(columnName({ name: field }))
      await db.query(sql`update ${table(entity)} set ${column} = ${value} where id = ${id}`)
    }
    const people = [ids.get('agent1')!, null, ids.get('svc_mgr')!]
    for (const [i, id] of (await rowIds('ticket')).entries())
      if (i % 4 < 3) await setColumn('ticket', 'assignee', id, people[i % 4])
    for (const [i, id] of (await rowIds('dispatch')).entries())
      if (i % 2 === 0) await setColumn('dispatch', 'engineer', id, ids.get('agent1'))
    for (const [i, id] of (await rowIds('returnVisit')).entries())
      if (i % 2 === 0) await setColumn('returnVisit', 'owner', id, ids.get('agent1'))
    // Records someone else created or owns under a customer (child follows parent), and an orphan.
    const sales = ['rep_east1', 'rep_east2', 'rep_west1', 'mgr_east', 'mgr_west', 'fin1', 'agent1']
    const createdBy = async (entity: string, id: string, who: string) =>
      db.query(sql`update ${table(entity)} set created_by = ${ids.get(who)!} where id = ${id}`)
    for (const [i, id] of (await rowIds('contact')).entries())
      if (i % 3 === 0) await createdBy('contact', id, sales[i % sales.length])
    for (const [i, id] of (await rowIds('shipment')).entries())
      if (i % 2 === 0) await createdBy('shipment', id, 'fin1')
    for (const entity of ['invoice', 'payment', 'opportunity', 'followUp', 'salesOrder'])
      for (const [i, id] of (await rowIds(entity)).entries())
        if (i % 3 === 1)
          await setColumn(entity, 'owner', id, ids.get(sales[(i + 2) % sales.length]))
    await setColumn('customer', 'owner', (await rowIds('customer'))[0], null)
    const articles = await rowIds('knowledgeArticle')
    await setColumn('knowledgeArticle', 'author', articles[0], ids.get('agent1'))
    await setColumn('knowledgeArticle', 'published', articles[0], false)
    await setColumn('knowledgeArticle', 'published', articles[1], false)
    const notices = await rowIds('announcement')
    await setColumn('announcement', 'audience', notices[0], departments.get('Sales East'))
    await setColumn('announcement', 'audience', notices[1], null)
  }

  /** Shares of every kind: to a user, to a department, read and write, expired, without a grant. */
  async function shareSome(): Promise<void> {
    const ownedBy = (entity: string, owner: string) =>
      rowIds(entity, { field: 'owner', user: owner })
    const share = async (entity: string, id: string, body: Json) => {
      const res = await api('POST', `/api/data/${entity}/${id}/shares`, 'admin', body)
      if (res.status !== 201)
        throw new Error(`share ${entity}: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body.id as string
    }
    const west = await ownedBy('customer', 'rep_west1')
    await share('customer', west[0], { userId: ids.get('rep_east1'), access: 'read' })
    await share('customer', west[1], {
      departmentId: departments.get('Sales East'),
      access: 'write',
    })
    const east = await ownedBy('customer', 'rep_east1')
    const expired = await share('customer', east[0], {
      userId: ids.get('rep_west1'),
      access: 'write',
      expiresAt: new Date(clock.now().getTime() + 3_600_000).toISOString(),
    })
    await db.query(
      sql`update record_shares set expires_at = ${new Date(clock.now().getTime() - 60_000).toISOString()}::timestamptz where id = ${expired}`,
    )
    const [ticket] = await rowIds('ticket')
    await share('ticket', ticket, { userId: ids.get('hr1'), access: 'read' })
    const opportunity = (await ownedBy('opportunity', 'rep_east1'))[0]
    await share('opportunity', opportunity, { userId: ids.get('agent1'), access: 'write' })
  }

  it('agrees with the closure tables on the manager chain and the department tree', async () => {
    const managers = await db.query<{ manager_id: string; report_id: string }>(
      sql`select manager_id, report_id from manager_closure`,
    )
    const fromTable = new Set(managers.map((m) => `${m.manager_id}>${m.report_id}`))
    const computed = new Set(
      [...oracle.world.users.keys()].flatMap((m) =>
        [...oracle.reportsOf(m)].map((r) => `${m}>${r}`),
      ),
    )
    expect(diff(computed, fromTable)).toEqual({ missing: [], extra: [] })
    const tree = await db.query<{ ancestor_id: string; descendant_id: string }>(
      sql`select ancestor_id, descendant_id from department_closure`,
    )
    const treeTable = new Set(tree.map((t) => `${t.ancestor_id}>${t.descendant_id}`))
    const treeComputed = new Set(
      [...oracle.world.departmentParents.keys()].flatMap((d) =>
        [...oracle.subtreeOf(d)].map((x) => `${d}>${x}`),
      ),
    )
    expect(diff(treeComputed, treeTable)).toEqual({ missing: [], extra: [] })
    // Every shipped role is held by someone, so every role is in the matrix below.
    const held = new Set([...oracle.world.users.values()].flatMap((u) => u.roles))
    expect([...meta.roles.keys()].filter((r) => !held.has(r))).toEqual([])
  })

  it('compiles every action of every role into SQL that reaches exactly the records the oracle allows', async () => {
    const problems: string[] = []
    for (const who of everyone()) {
      const me = await api('GET', '/api/auth/me', who)
      const ctx = { db, meta, clock, user: me.body.user as CurrentUser }
      const u = user(who)
      for (const entity of entities()) {
        const table = sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(entity))}`
        for (const action of ACTIONS) {
          mark(who, entity.id, action)
          stats.checks++
          if (canAttempt(ctx, entity.id, action) !== oracle.canAttempt(u, entity.id, action))
            problems.push(`${who} may attempt ${action} on ${entity.id}: oracle disagrees`)
          const scope = scopePredicate(ctx, entity.id, action) ?? sql`true`
          const rows = await db.query<{ id: string }>(sql`select id from ${table} where ${scope}`)
          const d = diff(
            oracle.allowed(u, entity.id, action),
            new Set(rows.map((r) => String(r.id))),
          )
          if (d.missing.length || d.extra.length)
            problems.push(
              `${who} ${action} ${entity.id}: missing ${d.missing.length}, extra ${d.extra.length}`,
            )
        }
      }
    }
    expect(problems).toEqual([])
  }, 120_000)

  it('lists exactly the records each role reaches, page by page, without hidden fields', async () => {
    const problems: string[] = []
    for (const who of everyone())
      problems.push(
        ...(await checkLists(
          who,
          entities().map((e) => e.id),
        )),
      )
    expect(problems).toEqual([])
  }, 120_000)

  it('pages through small sorted pages to exactly the same records', async () => {
    const problems: string[] = []
    for (const who of everyone())
      for (const entity of entities()) {
        const u = user(who)
        const title = entity.titleField
        if (
          !oracle.canAttempt(u, entity.id, 'read') ||
          !title ||
          oracle.hidden(u, entity.id).has(title)
        )
          continue
        const { status, rows } = await listAll(who, entity.id, undefined, {
          limit: 7,
          sort: `-${title}`,
        })
        stats.checks++
        const got = rows.map((r) => r.id as string)
        const d = diff(oracle.allowed(u, entity.id, 'read'), new Set(got))
        if (
          status !== 200 ||
          new Set(got).size !== got.length ||
          d.missing.length ||
          d.extra.length
        )
          problems.push(`${who} pages ${entity.id}: ${status} ${JSON.stringify(d)}`)
      }
    expect(problems).toEqual([])
  }, 120_000)

  it('counts exactly the records each role reaches', async () => {
    const problems: string[] = []
    for (const who of everyone())
      for (const entity of entities()) {
        if (!oracle.canAttempt(user(who), entity.id, 'read')) continue
        const res = await api('GET', `/api/data/${entity.id}?count=true&limit=1`, who)
        stats.checks++
        const want = oracle.allowed(user(who), entity.id, 'read').size
        if (res.body.total !== want)
          problems.push(`${who} counts ${entity.id}: ${res.body.total}, want ${want}`)
      }
    expect(problems).toEqual([])
  }, 120_000)

  it('opens readable records with their history and related lists, and answers 404 for the rest', async () => {
    const problems: string[] = []
    for (const who of everyone()) {
      const u = user(who)
      for (const entity of entities()) {
        const all = oracle.world.records.get(entity.id)!.map((r) => r.id)
        const readable = oracle.allowed(u, entity.id, 'read')
        const outside = all.filter((id) => !readable.has(id))
        for (const id of sample(readable, SAMPLE))
          problems.push(...(await checkReadable(who, entity, id)))
        for (const id of sample(outside, SAMPLE)) {
          const got = await api('GET', `/api/data/${entity.id}/${id}`, who)
          const history = await api('GET', `/api/data/${entity.id}/${id}/history`, who)
          const shares = await api('GET', `/api/data/${entity.id}/${id}/shares`, who)
          stats.checks += 3
          if (got.status !== 404) problems.push(`${who} GET ${entity.id} outside: ${got.status}`)
          if (history.status !== 404)
            problems.push(`${who} history of ${entity.id} outside: ${history.status}`)
          if (shares.status !== 404)
            problems.push(`${who} shares of ${entity.id} outside: ${shares.status}`)
        }
      }
    }
    expect(problems).toEqual([])
  }, 120_000)

  /** GET ?related=true and history of a record the oracle says is readable. */
  async function checkReadable(who: string, entity: Entity, id: string): Promise<string[]> {
    const problems: string[] = []
    const u = user(who)
    const res = await api('GET', `/api/data/${entity.id}/${id}?related=true`, who)
    stats.checks++
    if (res.status !== 200) return [`${who} GET readable ${entity.id}: ${res.status}`]
    const hidden = oracle.hidden(u, entity.id)
    const bad = leaked(who, entity.id, res.body)
    if (bad.length) problems.push(`${who} ${entity.id} record shows ${bad}`)
    // Nothing readable is stripped either.
    for (const field of entity.fields)
      if (!hidden.has(field.name) && !(field.name in res.body))
        problems.push(`${who} ${entity.id} record lacks readable '${field.name}'`)
    for (const field of entity.fields.filter((f) => f.type === 'childTable')) {
      for (const row of (res.body[field.name] as Json[] | undefined) ?? []) {
        const badChild = leaked(who, field.entity!, row)
        if (badChild.length) problems.push(`${who} ${field.entity} child row shows ${badChild}`)
      }
    }
    const form = defaultForm(meta, entity.id)
    const related = (res.body.related ?? {}) as Record<string, { data: Json[]; hasMore: boolean }>
    for (const list of form?.relatedLists ?? []) {
      stats.checks++
      const got = related[list.id]
      if (!got) {
        problems.push(`${who} ${entity.id} lacks related list ${list.id}`)
        continue
      }
      const readableRel = oracle.allowed(u, list.entity, 'read')
      const want = oracle.world.records
        .get(list.entity)!
        .filter((r) => r.values[list.field] === id && readableRel.has(r.id))
      const limit = Math.max(1, Math.min(list.limit ?? 5, 100))
      const gotIds = got.data.map((r) => r.id as string)
      const foreign = gotIds.filter((x) => !want.some((r) => r.id === x))
      if (foreign.length)
        problems.push(`${who} ${entity.id}.${list.id} shows ${foreign.length} unreadable`)
      if (gotIds.length !== Math.min(limit, want.length) || got.hasMore !== want.length > limit)
        problems.push(`${who} ${entity.id}.${list.id}: ${gotIds.length} rows, want ${want.length}`)
      for (const row of got.data) {
        const badRel = leaked(who, list.entity, row)
        if (badRel.length) problems.push(`${who} ${entity.id}.${list.id} row shows ${badRel}`)
      }
    }
    const history = await api('GET', `/api/data/${entity.id}/${id}/history`, who)
    stats.checks++
    if (history.status !== 200)
      problems.push(`${who} history of readable ${entity.id}: ${history.status}`)
    for (const entry of (history.body.data as { changes: Json }[] | undefined) ?? []) {
      const badHistory = Object.keys(entry.changes).filter((k) => hidden.has(k))
      if (badHistory.length) problems.push(`${who} ${entity.id} history shows ${badHistory}`)
    }
    return problems
  }

  it('answers 403 for writes and deletes outside their scope, 404 outside the read scope', async () => {
    const problems: string[] = []
    for (const who of everyone()) {
      const u = user(who)
      for (const entity of entities().filter((e) => !e.childOf)) {
        const all = oracle.world.records.get(entity.id)!.map((r) => r.id)
        const readable = oracle.allowed(u, entity.id, 'read')
        for (const action of ['update', 'delete'] as const) {
          mark(who, entity.id, action)
          const inScope = oracle.allowed(u, entity.id, action)
          const groups = [
            all.filter((id) => readable.has(id) && inScope.has(id)),
            all.filter((id) => readable.has(id) && !inScope.has(id)),
            all.filter((id) => !readable.has(id)),
          ]
          for (const id of groups.flatMap((g) => sample(g, WRITE_SAMPLE))) {
            const want = !readable.has(id) ? 404 : !inScope.has(id) ? 403 : 409
            const path = `/api/data/${entity.id}/${id}`
            const res =
              action === 'update'
                ? await api('PATCH', path, who, { version: STALE_VERSION })
                : await api('DELETE', path, who)
            stats.checks++
            if (res.status !== want)
              problems.push(
                `${who} ${action} ${entity.id} ${id.slice(0, 8)}: ${res.status}, want ${want}`,
              )
          }
        }
        problems.push(...(await checkFieldWrites(who, entity)))
        if (entity.ownerField) problems.push(...(await checkTransfers(who, entity)))
      }
    }
    expect(problems).toEqual([])
  }, 120_000)

  /**
   * Bulk transfer needs 'assign' on every id: 403 without the right, 404 for an unreadable id,
   * 403 for one outside the assign scope; in scope, a transfer to the current owner moves nothing.
   */
  async function checkTransfers(who: string, entity: Entity): Promise<string[]> {
    const problems: string[] = []
    const u = user(who)
    mark(who, entity.id, 'assign')
    const records = oracle.world.records.get(entity.id)!
    const readable = oracle.allowed(u, entity.id, 'read')
    const assignable = oracle.allowed(u, entity.id, 'assign')
    const may = oracle.canAttempt(u, entity.id, 'assign')
    const owned = records.filter((r) => typeof r.values[entity.ownerField!] === 'string')
    const groups = [
      owned.filter((r) => readable.has(r.id) && assignable.has(r.id)),
      owned.filter((r) => readable.has(r.id) && !assignable.has(r.id)),
      owned.filter((r) => !readable.has(r.id)),
    ]
    for (const id of groups.flatMap((g) =>
      sample(
        g.map((r) => r.id),
        1,
      ),
    )) {
      const owner = record(entity.id, id).values[entity.ownerField!] as string
      const res = await api('POST', `/api/data/${entity.id}/bulk/transfer`, who, {
        ids: [id],
        toUserId: owner,
      })
      stats.checks++
      const want = !may ? 403 : !readable.has(id) ? 404 : !assignable.has(id) ? 403 : 200
      if (res.status !== want || (want === 200 && res.body.transferred !== 0))
        problems.push(
          `${who} transfers ${entity.id} ${id.slice(0, 8)}: ${res.status}, want ${want}`,
        )
    }
    return problems
  }

  /** A read-only field changed on an updatable record: 403 naming the field (stale version: no write). */
  async function checkFieldWrites(who: string, entity: Entity): Promise<string[]> {
    const access = oracle.fieldAccess(user(who), entity.id)
    if (!access) return []
    const field = entity.fields.find(
      (f) =>
        access.get(f.name) !== 'write' &&
        ['text', 'longText', 'boolean', 'select'].includes(f.type),
    )
    const [id] = sample(oracle.allowed(user(who), entity.id, 'update'), 1)
    if (!field || !id) return []
    const current = record(entity.id, id).values[field.name]
    const value =
      field.type === 'boolean'
        ? !current
        : field.type === 'select'
          ? field.options!.map((o) => o.value).find((v) => v !== current)
          : `${String(current)} (changed)`
    const res = await api('PATCH', `/api/data/${entity.id}/${id}`, who, {
      [field.name]: value,
      version: STALE_VERSION,
    })
    stats.checks++
    const path = ((res.body.error as { details?: { path: string }[] })?.details ?? [])[0]?.path
    if (res.status !== 403 || path !== field.name)
      return [`${who} writes read-only ${entity.id}.${field.name}: ${res.status} ${path}`]
    return []
  }

  it('finds by title only readable records, even when searching for an unreadable one', async () => {
    const problems: string[] = []
    for (const who of everyone()) {
      const u = user(who)
      for (const entity of entities()) {
        const title = entity.fields.find((f) => f.name === entity.titleField)
        if (!oracle.canAttempt(u, entity.id, 'read')) continue
        problems.push(...(await checkHiddenSearch(who, entity.id)))
        if (!title || !['text', 'autoNumber'].includes(title.type)) continue
        if (oracle.hidden(u, entity.id).has(title.name)) continue
        const records = oracle.world.records.get(entity.id)!
        const readable = oracle.allowed(u, entity.id, 'read')
        const probes = [
          ...sample(
            records.filter((r) => readable.has(r.id)).map((r) => r.id),
            1,
          ),
          ...sample(
            records.filter((r) => !readable.has(r.id)).map((r) => r.id),
            1,
          ),
        ]
        for (const id of probes) {
          const value = record(entity.id, id).values[title.name]
          const filter = { '==': [{ var: title.name }, value] }
          const { status, rows } = await listAll(who, entity.id, filter)
          stats.checks++
          const want = new Set(
            records
              .filter((r) => r.values[title.name] === value && readable.has(r.id))
              .map((r) => r.id),
          )
          const got = new Set(rows.map((r) => r.id as string))
          const d = diff(want, got)
          if (status !== 200 || d.missing.length || d.extra.length)
            problems.push(
              `${who} searches ${entity.id} by ${title.name}: ${status} ${JSON.stringify(d)}`,
            )
        }
      }
    }
    expect(problems).toEqual([])
  }, 120_000)

  it('searches only readable records and fields, ranked, grouped and limited as promised', async () => {
    const problems: string[] = []
    for (const who of everyone()) {
      for (const q of GLOBAL_QUERIES) problems.push(...(await checkSearch(who, q)))
      for (const entity of entities().filter((e) => !e.childOf)) {
        if (!oracle.canAttempt(user(who), entity.id, 'read')) continue
        mark(who, entity.id, 'read')
        for (const q of searchProbes(who, entity))
          problems.push(...(await checkSearch(who, q, entity.id)))
      }
    }
    expect(problems).toEqual([])
  }, 120_000)

  /**
   * Texts to search the entity for: the titles of readable records (they must be found), of an
   * unreadable one (it must not be), and the value of a hidden field (never matched).
   */
  function searchProbes(who: string, entity: Entity): string[] {
    const u = user(who)
    const records = oracle.world.records.get(entity.id)!
    const readable = oracle.allowed(u, entity.id, 'read')
    const ids = (inside: boolean) =>
      records.filter((r) => readable.has(r.id) === inside).map((r) => r.id)
    const valueOf = (id: string, field: string | undefined) =>
      field ? Array.from(String(record(entity.id, id).values[field] ?? '').trim()) : []
    const title = entity.fields.find((f) => f.name === entity.titleField && isTextType(f.type))
    const hiddenText = entity.fields.find(
      (f) => oracle.hidden(u, entity.id).has(f.name) && isTextType(f.type),
    )
    const probes = [
      ...[...sample(ids(true), 2), ...sample(ids(false), 1)].map((id) => valueOf(id, title?.name)),
      ...sample(ids(true), 1).map((id) => valueOf(id, hiddenText?.name)),
    ]
    return [...new Set(probes.map((chars) => chars.slice(0, 60).join('').trim()))].filter(Boolean)
  }

  /**
   * One search compared with the search oracle: per entity exactly the expected hits up to the
   * limit (and `more` when cut), their matched fields and titles, best first.
   */
  async function checkSearch(who: string, q: string, entityId?: string): Promise<string[]> {
    const u = user(who)
    const limit = entityId ? 50 : 5
    const query = new URLSearchParams({ q, limit: String(limit) })
    if (entityId) query.set('entities', entityId)
    const res = await api('GET', `/api/search?${query}`, who)
    stats.checks++
    if (res.status !== 200) return [`${who} searches '${q}' in ${entityId ?? 'all'}: ${res.status}`]
    const hits = res.body.data as {
      entity: string
      id: string
      title: unknown
      matched: string[]
    }[]
    const more = new Set(res.body.more as string[])
    const targets = entityId ? [entityId] : entities().map((e) => e.id)
    const problems = hits
      .filter((h) => !targets.includes(h.entity))
      .map((h) => `${who} searches '${q}' in ${entityId}: a hit in ${h.entity}`)
    for (const target of targets) {
      const want = search.hits(u, target, q)
      const got = hits.filter((h) => h.entity === target)
      const where = `${who} searches ${target} for '${q}'`
      if (got.length !== Math.min(limit, want.length) || more.has(target) !== want.length > limit)
        problems.push(
          `${where}: ${got.length} hits (more ${more.has(target)}), want ${want.length}`,
        )
      const byId = new Map(want.map((w) => [w.id, w]))
      const last = byId.get(got[got.length - 1]?.id)
      const skipped = want.filter(
        (w) => last && w.rank < last.rank && !got.some((h) => h.id === w.id),
      )
      if (skipped.length) problems.push(`${where}: skips ${skipped.length} better-ranked hits`)
      got.forEach((hit, i) =>
        problems.push(
          ...checkHit(where, u, target, hit, byId.get(hit.id), byId.get(got[i - 1]?.id)),
        ),
      )
    }
    return problems
  }

  /** A hit is expected, shows only readable matched fields and title, and follows a better one. */
  function checkHit(
    where: string,
    u: OracleUser,
    entityId: string,
    hit: { id: string; title: unknown; matched: string[] },
    want: ExpectedHit | undefined,
    before: ExpectedHit | undefined,
  ): string[] {
    const hidden = oracle.hidden(u, entityId)
    const shows = hit.matched.filter((name) => hidden.has(name))
    if (shows.length) return [`${where}: hit matched on hidden ${shows}`]
    if (!want) {
      const readable = oracle.allowed(u, entityId, 'read').has(hit.id)
      return [`${where}: unexpected hit ${hit.id.slice(0, 8)} (readable ${readable})`]
    }
    const problems: string[] = []
    if (hit.matched.join() !== want.matched.join())
      problems.push(`${where}: matched ${hit.matched}, want ${want.matched}`)
    if (
      before &&
      (before.rank > want.rank || (before.rank === want.rank && before.createdAt < want.createdAt))
    )
      problems.push(`${where}: ${hit.id.slice(0, 8)} out of order`)
    const entity = meta.entities.get(entityId)!
    const title = entity.fields.find((f) => f.name === entity.titleField)
    const value = record(entityId, hit.id).values[title?.name ?? '']
    const expected = !title || hidden.has(title.name) ? null : (value ?? null)
    if ((!title || isTextType(title.type)) && hit.title !== expected)
      problems.push(
        `${where}: title ${JSON.stringify(hit.title)}, want ${JSON.stringify(expected)}`,
      )
    return problems
  }

  it('exports exactly the rows of the export scope within the read scope, without a column for a hidden field', async () => {
    const problems: string[] = []
    for (const who of everyone())
      for (const entity of entities()) {
        mark(who, entity.id, 'export')
        problems.push(...(await checkExport(who, entity)))
      }
    expect(problems).toEqual([])
  }, 120_000)

  /** GET …/export as CSV: 403 without the right, else its records (by id) are the export scope. */
  async function checkExport(who: string, entity: Entity): Promise<string[]> {
    const u = user(who)
    const res = await app.request(`/api/data/${entity.id}/export`, {
      headers: { authorization: `Bearer ${tokens.get(who)}`, 'x-trellis-locale': 'en' },
    })
    stats.requests++
    stats.checks++
    const text = await res.text()
    const where = `${who} exports ${entity.id}`
    if (!oracle.canAttempt(u, entity.id, 'export'))
      return res.status === 403 ? [] : [`${where}: ${res.status}, want 403`]
    if (res.status !== 200) return [`${where}: ${res.status}`]
    const [header, ...rows] = parseCsv(text)
    stats.rows += rows.length
    const hidden = oracle.hidden(u, entity.id)
    // The columns are headed by the fields' labels (English here), money with its currency.
    const labelOf = (f: Entity['fields'][number]) => toLabel(f.label, 'en', f.name)
    const columns = entity.fields
      .filter((f) => f.type !== 'childTable' && !hidden.has(f.name))
      .flatMap((f) =>
        f.type === 'money' ? [labelOf(f), `${labelOf(f)} (currency)`] : [labelOf(f)],
      )
    const hiddenLabels = new Set(entity.fields.filter((f) => hidden.has(f.name)).map(labelOf))
    const visibleLabels = new Set(columns)
    const problems: string[] = []
    const shown = header.filter(
      (c) => hiddenLabels.has(c.replace(/ \(currency\)$/, '')) && !visibleLabels.has(c),
    )
    if (shown.length) problems.push(`${where}: columns for hidden ${shown}`)
    else if (header.join() !== columns.join())
      problems.push(`${where}: columns ${header}, want ${columns}`)
    // The default columns leave the id out; asked for, it tells which records were exported.
    const byId = await app.request(`/api/data/${entity.id}/export?fields=id`, {
      headers: { authorization: `Bearer ${tokens.get(who)}`, 'x-trellis-locale': 'en' },
    })
    stats.requests++
    const [, ...idRows] = parseCsv(await byId.text())
    if (idRows.length !== rows.length) problems.push(`${where}: ${rows.length} rows, ${idRows.length} ids`)
    const got = idRows.map((r) => r[0])
    if (new Set(got).size !== got.length) problems.push(`${where}: a row twice`)
    // An export reaches the export scope within the read scope.
    const read = oracle.allowed(u, entity.id, 'read')
    const scope = new Set([...oracle.allowed(u, entity.id, 'export')].filter((id) => read.has(id)))
    const d = diff(scope, new Set(got))
    if (d.missing.length || d.extra.length)
      problems.push(`${where}: missing ${d.missing.length}, extra ${d.extra.length}`)
    return problems
  }

  /** Filtering or sorting on a field the caller may not read: 403 naming the field. */
  async function checkHiddenSearch(who: string, entityId: string): Promise<string[]> {
    const problems: string[] = []
    for (const name of oracle.hidden(user(who), entityId)) {
      const filter = encodeURIComponent(JSON.stringify({ '!=': [{ var: name }, null] }))
      for (const query of [`filter=${filter}`, `sort=-${name}`]) {
        const res = await api('GET', `/api/data/${entityId}?${query}`, who)
        stats.checks++
        const details = (res.body.error as { details?: { message: string }[] })?.details ?? []
        if (res.status !== 403 || !details[0]?.message.includes(`'${name}'`))
          problems.push(
            `${who} ${entityId} ${query.split('=')[0]} on hidden ${name}: ${res.status}`,
          )
      }
    }
    return problems
  }

  it('reports duplicates it may not show as a title and an owner name only, never an id', async () => {
    const problems: string[] = []
    const customers = oracle.world.records.get('customer')!
    for (const who of everyone()) {
      const u = user(who)
      mark(who, 'customer', 'read')
      const readable = oracle.allowed(u, 'customer', 'read')
      const may =
        oracle.canAttempt(u, 'customer', 'read') || oracle.canAttempt(u, 'customer', 'create')
      const probes = [
        ...sample(
          customers.filter((r) => readable.has(r.id)).map((r) => r.id),
          2,
        ),
        ...sample(
          customers.filter((r) => !readable.has(r.id)).map((r) => r.id),
          2,
        ),
      ]
      for (const id of probes) {
        const name = record('customer', id).values.name as string
        const res = await api('POST', '/api/data/customer/duplicates', who, { values: { name } })
        stats.checks++
        if (!may) {
          if (res.status !== 403) problems.push(`${who} duplicates: ${res.status}, want 403`)
          continue
        }
        if (res.status !== 200) {
          problems.push(`${who} duplicates: ${res.status}`)
          continue
        }
        const hits = res.body.data as Json[]
        for (const hit of hits) {
          if (hit.readable === true && !readable.has(hit.id as string))
            problems.push(`${who} duplicates: readable hit ${hit.id} the oracle hides`)
          if (
            hit.readable !== true &&
            Object.keys(hit).sort().join() !== 'ownerName,readable,title'
          )
            problems.push(`${who} duplicates: unreadable hit carries ${Object.keys(hit)}`)
        }
        const exact = customers.filter((r) => r.values.name === name)
        for (const match of exact) {
          const found = readable.has(match.id)
            ? hits.some((h) => h.id === match.id)
            : hits.some((h) => h.readable === false && h.title === name)
          if (!found) problems.push(`${who} duplicates: match ${match.id.slice(0, 8)} not reported`)
        }
      }
    }
    expect(problems).toEqual([])
  }, 60_000)

  it('shows a manager the customers of their reports but never those of the sibling team', async () => {
    const owners = async (who: string) => {
      const { rows } = await listAll(who, 'customer')
      const shared = new Set(
        oracle.world.shares.filter((s) => s.entity === 'customer').map((s) => s.recordId),
      )
      return new Set(
        rows.filter((r) => !shared.has(r.id as string)).map((r) => nameOf(r.owner as string)),
      )
    }
    expect([...(await owners('mgr_east'))].sort()).toEqual(['mgr_east', 'rep_east1', 'rep_east2'])
    expect([...(await owners('mgr_west'))].sort()).toEqual(['mgr_west', 'rep_west1'])
    expect([...(await owners('director'))].sort()).toEqual([
      'mgr_east',
      'mgr_west',
      'rep_east1',
      'rep_east2',
      'rep_west1',
    ])
    expect([...(await owners('rep_east1'))]).toEqual(['rep_east1'])
    // The sibling team's customer itself is not found, and neither are its contacts.
    const westCustomer = oracle.world.records
      .get('customer')!
      .find(
        (r) =>
          r.values.owner === ids.get('rep_west1') &&
          !oracle.allowed(user('mgr_east'), 'customer', 'read').has(r.id),
      )!
    expect((await api('GET', `/api/data/customer/${westCustomer.id}`, 'mgr_east')).status).toBe(404)
    expect((await api('GET', `/api/data/customer/${westCustomer.id}`, 'mgr_west')).status).toBe(200)
  })

  it('applies a change of manager or department at the very next request', async () => {
    const repEast2 = ids.get('rep_east2')!
    const theirCustomers = oracle.world.records
      .get('customer')!
      .filter((r) => r.values.owner === repEast2)
      .map((r) => r.id)
    expect(theirCustomers.length).toBeGreaterThan(0)
    const sees = async (who: string) =>
      new Set((await listAll(who, 'customer')).rows.map((r) => r.id as string))
    expect(
      theirCustomers.every((id) => !oracle.allowed(user('mgr_west'), 'customer', 'read').has(id)),
    ).toBe(true)

    const moved = await api('PATCH', `/api/admin/users/${repEast2}`, 'admin', {
      managerId: ids.get('mgr_west'),
    })
    expect(moved.status).toBe(200)
    const west = await sees('mgr_west')
    const east = await sees('mgr_east')
    expect(theirCustomers.filter((id) => !west.has(id))).toEqual([])
    expect(theirCustomers.filter((id) => east.has(id))).toEqual([])
    await refreshOracle()
    const sales = ['director', 'mgr_east', 'mgr_west', 'rep_east2']
    const related = ['customer', 'contact', 'opportunity', 'followUp', 'salesOrder', 'orderLine']
    const problems: string[] = []
    for (const who of sales) problems.push(...(await checkLists(who, related)))

    // A department move: rep_east2 leaves Sales East (its announcement, its department share).
    const announcementEast = oracle.world.records
      .get('announcement')!
      .find((r) => r.values.audience === departments.get('Sales East'))!
    expect(oracle.allowed(user('rep_east2'), 'announcement', 'read').has(announcementEast.id)).toBe(
      true,
    )
    const [deptShare] = oracle.world.shares.filter(
      (s) => s.departmentId === departments.get('Sales East'),
    )
    expect((await api('GET', `/api/data/customer/${deptShare.recordId}`, 'rep_east2')).status).toBe(
      200,
    )
    const rehomed = await api('PATCH', `/api/admin/users/${repEast2}`, 'admin', {
      departmentId: departments.get('Sales West'),
    })
    expect(rehomed.status).toBe(200)
    expect(
      (await api('GET', `/api/data/announcement/${announcementEast.id}`, 'rep_east2')).status,
    ).toBe(404)
    expect((await api('GET', `/api/data/customer/${deptShare.recordId}`, 'rep_east2')).status).toBe(
      404,
    )
    // agent1 leaves Service: the service manager's department-scoped updates no longer reach their tickets.
    const agentTicket = oracle.world.records
      .get('ticket')!
      .find((r) => r.values.assignee === ids.get('agent1'))!
    const before = await api('PATCH', `/api/data/ticket/${agentTicket.id}`, 'svc_mgr', {
      version: STALE_VERSION,
    })
    expect(before.status).toBe(409)
    expect(
      (
        await api('PATCH', `/api/admin/users/${ids.get('agent1')}`, 'admin', {
          departmentId: departments.get('HR'),
        })
      ).status,
    ).toBe(200)
    const after = await api('PATCH', `/api/data/ticket/${agentTicket.id}`, 'svc_mgr', {
      version: STALE_VERSION,
    })
    expect(after.status).toBe(403)
    await refreshOracle()
    for (const who of ['rep_east2', 'agent1', 'svc_mgr', 'mgr_east'])
      problems.push(...(await checkLists(who, ['announcement', 'customer', 'ticket', 'dispatch'])))

    // A change of roles: rep_west1 keeps only 'employee' and loses customers at the next request.
    const repWest1 = ids.get('rep_west1')!
    expect((await api('GET', '/api/data/customer', 'rep_west1')).status).toBe(200)
    const demoted = await api('PATCH', `/api/admin/users/${repWest1}`, 'admin', {
      roles: ['employee'],
    })
    expect(demoted.status).toBe(200)
    expect((await api('GET', '/api/data/customer', 'rep_west1')).status).toBe(403)
    expect(
      (
        await api('PATCH', `/api/admin/users/${repWest1}`, 'admin', {
          roles: ['salesRep', 'employee'],
        })
      ).status,
    ).toBe(200)
    expect((await api('GET', '/api/data/customer', 'rep_west1')).status).toBe(200)
    // Disabling ends the sessions at once.
    expect(
      (await api('PATCH', `/api/admin/users/${repWest1}`, 'admin', { disabled: true })).status,
    ).toBe(200)
    expect((await api('GET', '/api/data/customer', 'rep_west1')).status).toBe(401)
    expect(
      (await api('PATCH', `/api/admin/users/${repWest1}`, 'admin', { disabled: false })).status,
    ).toBe(200)
    await login('rep_west1', 'demo')

    // Back as it was: the lists follow again at once.
    for (const [name, patch] of [
      [
        'rep_east2',
        { managerId: ids.get('mgr_east'), departmentId: departments.get('Sales East') },
      ],
      ['agent1', { departmentId: departments.get('Service') }],
    ] as const) {
      expect((await api('PATCH', `/api/admin/users/${ids.get(name)}`, 'admin', patch)).status).toBe(
        200,
      )
    }
    await refreshOracle()
    for (const who of [...sales, 'agent1', 'svc_mgr'])
      problems.push(...(await checkLists(who, [...related, 'announcement', 'ticket'])))
    expect(problems).toEqual([])
  }, 60_000)

  it('grants read through a share until it expires, and not a moment after', async () => {
    const readable = oracle.allowed(user('rep_east1'), 'customer', 'read')
    const sharedOne = oracle.world.records
      .get('customer')!
      .find((r) => r.values.owner === ids.get('rep_west1') && !readable.has(r.id))!
    const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString()
    const shared = await api('POST', `/api/data/customer/${sharedOne.id}/shares`, 'rep_west1', {
      userId: ids.get('rep_east1'),
      access: 'read',
      expiresAt,
    })
    expect(shared.status).toBe(201)
    expect((await api('GET', `/api/data/customer/${sharedOne.id}`, 'rep_east1')).status).toBe(200)
    expect(
      (
        await api('PATCH', `/api/data/customer/${sharedOne.id}`, 'rep_east1', {
          version: STALE_VERSION,
        })
      ).status,
    ).toBe(403)
    await refreshOracle()
    expect(oracle.allowed(user('rep_east1'), 'customer', 'read').has(sharedOne.id)).toBe(true)
    const problems = await checkLists('rep_east1', [
      'customer',
      'contact',
      'followUp',
      'salesOrder',
    ])

    clock.advance(61_000)
    expect((await api('GET', `/api/data/customer/${sharedOne.id}`, 'rep_east1')).status).toBe(404)
    expect(
      (await api('GET', `/api/data/customer/${sharedOne.id}/history`, 'rep_east1')).status,
    ).toBe(404)
    await refreshOracle()
    expect(oracle.allowed(user('rep_east1'), 'customer', 'read').has(sharedOne.id)).toBe(false)
    problems.push(
      ...(await checkLists('rep_east1', ['customer', 'contact', 'followUp', 'salesOrder'])),
    )
    expect(problems).toEqual([])
  })

  it('refuses a new customer owned by someone outside the create scope, and creates nothing', async () => {
    const problems: string[] = []
    const before = oracle.world.records.get('customer')!.length
    for (const who of everyone()) {
      const u = user(who)
      if (oracle.unrestricted(u) || !oracle.canAttempt(u, 'customer', 'create')) continue
      const scopes = u.roles.map(
        (r) => meta.roles.get(r)?.grants.find((g) => g.entity === 'customer')?.scopes.create,
      )
      if (scopes.some((s) => s === 'all')) continue
      const res = await api('POST', '/api/data/customer', who, {
        name: `Oracle probe for ${who}`,
        owner: ids.get(who === 'rep_west1' ? 'rep_east1' : 'rep_west1'),
      })
      stats.checks++
      if (res.status !== 403)
        problems.push(`${who} creates a customer for someone else: ${res.status}`)
    }
    await refreshOracle()
    expect(oracle.world.records.get('customer')!.length).toBe(before)
    expect(problems).toEqual([])
  })

  it('limits an API token to its roles: it reaches what those roles reach, no more', async () => {
    const created = await api('POST', '/api/auth/tokens', 'fin_rep', {
      name: 'sales only',
      roles: ['salesRep'],
    })
    expect(created.status).toBe(201)
    tokens.set('fin_rep:salesRep', created.body.token as string)
    const asToken = { ...user('fin_rep'), roles: ['salesRep'] }
    const problems: string[] = []
    for (const entity of [
      'customer',
      'contact',
      'product',
      'payment',
      'employee',
      'announcement',
    ]) {
      const { status, rows } = await listAll('fin_rep:salesRep', entity)
      stats.checks++
      if (!oracle.canAttempt(asToken, entity, 'read')) {
        if (status !== 403) problems.push(`token lists ${entity}: ${status}, want 403`)
        continue
      }
      const d = diff(
        oracle.allowed(asToken, entity, 'read'),
        new Set(rows.map((r) => r.id as string)),
      )
      if (status !== 200 || d.missing.length || d.extra.length)
        problems.push(`token lists ${entity}: ${status} ${JSON.stringify(d)}`)
      const hidden = oracle.hidden(asToken, entity)
      for (const row of rows)
        for (const key of Object.keys(row))
          if (hidden.has(key)) problems.push(`token ${entity} row shows ${key}`)
    }
    // The same person with all three roles sees every customer and the cost price.
    expect(oracle.hidden(user('fin_rep'), 'product').has('costPrice')).toBe(false)
    expect(oracle.hidden(asToken, 'product').has('costPrice')).toBe(true)
    expect(problems).toEqual([])
  })

  it('refuses to create records of an entity no role lets the caller create', async () => {
    const problems: string[] = []
    for (const who of everyone())
      for (const entity of entities().filter((e) => !e.childOf)) {
        mark(who, entity.id, 'create')
        if (oracle.canAttempt(user(who), entity.id, 'create')) continue
        const res = await api('POST', `/api/data/${entity.id}`, who, {})
        stats.checks++
        if (res.status !== 403)
          problems.push(`${who} creates ${entity.id}: ${res.status}, want 403`)
      }
    expect(problems).toEqual([])
  })
})
