import { sql } from 'drizzle-orm'
import type { Calendar } from '../../metadata/calendar'
import type { Entity } from '../../metadata/entity'
import type {
  Approval,
  ApprovalNode,
  ApprovalStep,
  ApproverSource,
  Flow,
  FlowTransition,
} from '../../metadata/flow'
import type { Role } from '../../metadata/role'
import { fixedClock, type Clock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import { registerFlowHandlers } from '../../runtime/flows'
import {
  createHandlerRegistry,
  createInProcessQueue,
  registerBuiltInHandlers,
  runDueJobs,
} from '../../runtime/jobs'
import { loadPublishedMetadata, publishMetadata, type MetadataBundle } from '../../runtime/registry'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { fixturePasswordHash } from '../support/fixture-password-hash'
import type { TestTarget } from '../support/databases'

/*
 * One entity (claim) under one flow whose transitions each carry one approval shape of
 * approvals.md, and an organisation with departments, a manager chain, roles and heads:
 *
 *   ceo (exec) ─ boss (manager, head of Sales) ─ lead (manager) ─ rep1, rep2 (rep)
 *   ceo ─ cfo (exec, head of Finance) ─ fin1, fin2, fin3 (finance)
 *   auditor (reads every claim), viewer (reads, fires nothing), outsider (no grants), sub (rep)
 */

const label = (en: string) => ({ en })
const opt = (value: string) => ({ value, label: label(value) })

export const claim: Entity = {
  id: 'claim',
  module: 'fin',
  label: label('Claim'),
  titleField: 'title',
  ownerField: 'owner',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'amount', type: 'integer', label: label('Amount'), min: 0 },
    { name: 'note', type: 'text', label: label('Note') },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      default: 'draft',
      options: ['draft', 'pending', 'approved', 'rejected'].map(opt),
    },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'checker', type: 'user', label: label('Checker') },
    { name: 'dept', type: 'department', label: label('Department') },
  ],
}

/** A step whose label is its id capitalised. */
const step = (
  id: string,
  approvers: ApproverSource[],
  extra: Partial<ApprovalStep> = {},
): ApprovalStep => ({
  id,
  label: label(id[0].toUpperCase() + id.slice(1)),
  approvers,
  ...extra,
})

const approval = (steps: ApprovalNode[], extra: Partial<Approval> = {}): Approval => ({
  pending: 'pending',
  rejected: 'rejected',
  steps,
  ...extra,
})

const gt = (amount: number) => ({ '>': [{ var: 'amount' }, amount] })
const fin = [{ role: 'finance' }]
const lead = [{ manager: 1 }]
const hour = { minutes: 60 }

/** Transition id → its approval: one shape of approvals.md each. */
export const SHAPES: Record<string, Approval> = {
  entry: approval([step('lead', lead)], { when: gt(1000) }),
  seq: approval([
    step('lead', lead),
    step('finance', fin, { when: gt(500) }),
    step('cfo', [{ user: 'cfo' }]),
  ]),
  branch: approval([
    {
      id: 'route',
      branches: [
        { id: 'big', when: gt(5000), steps: [step('ceoOk', [{ user: 'ceo' }])] },
        { id: 'mid', when: gt(500), steps: [step('cfoOk', [{ user: 'cfo' }])] },
        { id: 'small', steps: [step('leadOk', lead)] },
      ],
    },
  ]),
  para: approval([
    {
      id: 'both',
      parallel: [
        { id: 'money', steps: [step('money', fin)] },
        { id: 'line', steps: [step('line', lead)] },
      ],
    },
    step('close', [{ user: 'cfo' }]),
  ]),
  orsign: approval([step('fin', fin, { mode: 'any' })]),
  counter: approval([step('fin', fin, { mode: 'all' })]),
  vote: approval([step('fin', fin, { mode: 'vote', threshold: 0.6 })]),
  turn: approval([step('pair', [{ user: 'fin2' }, { user: 'fin1' }], { mode: 'sequence' })]),
  byUser: approval([step('s', [{ user: 'cfo' }])]),
  byField: approval([step('s', [{ field: 'checker' }])]),
  byManager2: approval([step('s', [{ manager: 2 }])]),
  chainRole: approval([step('s', [{ managerChain: { upToRole: 'exec' } }])]),
  chainLevels: approval([step('s', [{ managerChain: { levels: 2 } }])]),
  head: approval([step('s', [{ departmentHead: {} }])]),
  headField: approval([step('s', [{ departmentHead: { field: 'dept' } }])]),
  pick: approval([
    step('s', [{ submitterPick: { role: 'finance', min: 1, max: 2 } }], { mode: 'all' }),
  ]),
  nobodyOk: approval([step('s', [{ role: 'vacant' }])], { noApprover: 'approve' }),
  nobodyNo: approval([step('s', [{ role: 'vacant' }])], { noApprover: 'reject' }),
  nobodyAdmin: approval([step('s', [{ role: 'vacant' }])], { noApprover: 'admin' }),
  nobodyDefault: approval([step('s', [{ role: 'vacant' }])]),
  selfSkip: approval([step('s', [{ user: 'lead' }, { user: 'cfo' }], { mode: 'all' })]),
  selfManager: approval([step('s', [{ user: 'lead' }])], { submitterApproves: 'manager' }),
  twice: approval([step('a', lead), step('b', [{ user: 'lead' }])]),
  rejectedStep: approval([step('lead', lead), step('cfo', [{ user: 'cfo' }])], {
    resubmit: 'rejectedStep',
  }),
  remind: approval([
    step('reminded', lead, { timeout: { after: hour, action: 'remind', repeat: 2 } }),
  ]),
  escalate: approval([step('escalated', lead, { timeout: { after: hour, action: 'escalate' } })]),
  autoApprove: approval([
    step('autoApproved', lead, { timeout: { after: hour, action: 'approve' } }),
  ]),
  autoReject: approval([
    step('autoRejected', lead, { timeout: { after: hour, action: 'reject' } }),
  ]),
  office: approval([
    step('officeHours', lead, {
      timeout: { after: { hours: 2 }, calendar: 'office', action: 'escalate' },
    }),
  ]),
  // A timed step whose id ('lead') earlier transitions' steps use too.
  sharedTimeout: approval([step('lead', lead, { timeout: { after: hour, action: 'approve' } })]),
  cc: approval([step('lead', lead, { cc: [{ user: 'auditor' }] })], { cc: [{ user: 'cfo' }] }),
}

/** The claim flow: every shape above as a transition draft → approved, plus two plain ones. */
export function claimFlow(shapes: Record<string, Approval> = SHAPES): Flow {
  const transitions: FlowTransition[] = Object.entries(shapes).map(([id, a]) => ({
    id,
    label: label(id),
    from: ['draft'],
    to: 'approved',
    approval: a,
  }))
  transitions.push(
    // Only an executive may take a claim straight to approved.
    {
      id: 'fast',
      label: label('fast'),
      from: ['draft'],
      to: 'approved',
      guard: { in: ['exec', { var: '$user.roles' }] },
    },
    { id: 'reopen', label: label('reopen'), from: ['rejected'], to: 'draft' },
  )
  return {
    id: 'claimFlow',
    module: 'fin',
    label: label('Claim flow'),
    entity: 'claim',
    stateField: 'status',
    states: [
      { id: 'draft', initial: true },
      { id: 'pending', lock: { editable: ['note'], by: 'approver' } },
      { id: 'approved' },
      { id: 'rejected' },
    ],
    transitions,
  }
}

/** Weekdays 09:00–17:00 UTC. */
const office: Calendar = {
  id: 'office',
  label: label('Office'),
  timeZone: 'UTC',
  hours: Object.fromEntries(
    (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [
      d,
      [{ from: '09:00', to: '17:00' }],
    ]),
  ),
}

const reader = { read: 'all', update: 'all' } as const
const grant = (id: string, scopes: Role['grants'][number]['scopes']): Role => ({
  id,
  label: label(id),
  grants: [{ entity: 'claim', scopes }],
})

const roles: Role[] = [
  grant('rep', { read: 'own', create: 'all', update: 'own', transition: 'own' }),
  grant('manager', { read: 'all', create: 'all', update: 'all', transition: 'own' }),
  grant('finance', { ...reader, create: 'all', transition: 'own' }),
  grant('exec', { read: 'all', create: 'all', update: 'all', transition: 'all' }),
  grant('auditor', { read: 'all' }),
  grant('viewer', reader),
  { id: 'outsider', label: label('outsider'), grants: [] },
  { id: 'vacant', label: label('vacant'), grants: [] },
]

/** The bundle, with the claim flow built from `shapes`. */
export function pointsBundle(shapes: Record<string, Approval> = SHAPES): MetadataBundle {
  return {
    packages: [{ id: 'fin', version: '1.0.0', label: label('Finance'), navigation: ['claim'] }],
    entities: [claim],
    forms: [],
    views: [],
    roles,
    calendars: [office],
    flows: [claimFlow(shapes)],
  }
}

export const PEOPLE = [
  'ceo',
  'boss',
  'lead',
  'rep1',
  'rep2',
  'cfo',
  'fin1',
  'fin2',
  'fin3',
  'auditor',
  'viewer',
  'outsider',
  'sub',
] as const
export type Person = (typeof PEOPLE)[number]
type Who = Person | 'admin'

/** role, department ('sales' | 'finance' | null), manager. */
const ORG: Record<Person, [string, 'sales' | 'finance' | null, Person | null]> = {
  ceo: ['exec', null, null],
  boss: ['manager', 'sales', 'ceo'],
  lead: ['manager', 'sales', 'boss'],
  rep1: ['rep', 'sales', 'lead'],
  rep2: ['rep', 'sales', 'lead'],
  cfo: ['exec', 'finance', 'ceo'],
  fin1: ['finance', 'finance', 'cfo'],
  fin2: ['finance', 'finance', 'cfo'],
  fin3: ['finance', 'finance', 'cfo'],
  auditor: ['auditor', null, null],
  viewer: ['viewer', null, null],
  outsider: ['outsider', null, null],
  sub: ['rep', null, null],
}

/** A parsed response body the suites index into freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any

/** An HTTP answer: status and parsed body. */
export interface Answer {
  status: number
  body: Json
}

export interface PointsFixture extends AppFixture {
  ids: Record<Person, string>
  departments: { sales: string; finance: string }
  /** Person (or 'admin') of a user id. */
  nameOf(id: string): string
  /** Calls `url` as `who`. */
  req(who: Who, method: string, url: string, body?: unknown): Promise<Answer>
  /** A draft claim made by `who`; answers id and version. */
  claim(who: Who, values?: Record<string, unknown>): Promise<{ id: string; version: number }>
  /** Fires `transition` on the claim as `who` with its current version. */
  fire(who: Who, id: string, transition: string, body?: Record<string, unknown>): Promise<Answer>
  /** A new claim of `who` (default rep1) submitted through `transition`; 200 expected. */
  submitted(transition: string, who?: Who, values?: Record<string, unknown>): Promise<string>
  /** The claim as `who` sees it (default admin). */
  record(id: string, who?: Who): Promise<Json>
  /** The approval panel of the claim as `who` (default admin). */
  view(id: string, who?: Who): Promise<Json>
  /** Who holds a task of the claim in `status` (default pending), per the panel, sorted. */
  holders(id: string, status?: string): Promise<string[]>
  /** The items of `who`'s inbox box (all pages of up to 100). */
  inbox(who: Who, box?: string): Promise<Json[]>
  /** `who`'s pending task on the claim, from their inbox (throws when there is none). */
  taskOf(who: Who, id: string): Promise<string>
  /** POST /api/tasks/{task}/{action} as `who`. */
  act(who: Who, task: string, action: string, body?: unknown): Promise<Answer>
  /** `who` finds their task on the claim in their inbox and takes `action` on it (200 expected). */
  decide(who: Who, id: string, action: string, body?: unknown): Promise<Answer>
  /** Runs the due jobs (approval timeouts) as of `at`, the way the worker does. */
  runTimersAt(at: string): Promise<void>
  /** Publishes the bundle again with other shapes (a new flow version) and waits for the app. */
  republish(shapes: Record<string, Approval>): Promise<void>
}

/** The field paths an error answer names. */
export const pathsOf = (a: Answer): string[] =>
  (a.body?.error?.details ?? []).map((d: { path: string }) => d.path)

/** The app over pointsBundle() with the organisation above signed in. */
export async function openPointsFixture(target: TestTarget, clock: Clock): Promise<PointsFixture> {
  const f = await openAppFixture(target, { bundle: pointsBundle(), clock })
  const dept = async (name: string) => {
    const [row] = await f.db.query<{ id: string }>(
      sql`insert into departments (name) values (${name}) returning id::text as id`,
    )
    await f.db.query(sql`insert into department_closure (ancestor_id, descendant_id, depth)
      values (${row.id}::uuid, ${row.id}::uuid, 0)`)
    return row.id
  }
  const departments = { sales: await dept('Sales'), finance: await dept('Finance') }
  const hash = fixturePasswordHash('points-password-1')
  const ids = {} as Record<Person, string>
  for (const who of PEOPLE) {
    const [role, d, boss] = ORG[who]
    const [row] = await f.db.query<{ id: string }>(sql`
      insert into users (username, display_name, password_hash, locale, department_id, manager_id)
      values (${who}, ${who}, ${hash}, 'en', ${d ? departments[d] : null}::uuid,
        ${boss ? ids[boss] : null}::uuid)
      returning id::text as id`)
    ids[who] = row.id
    await f.db.query(
      sql`insert into user_roles (user_id, role_id) values (${row.id}::uuid, ${role})`,
    )
  }
  // The closure of the manager chain (depth 1 and up).
  for (const who of PEOPLE) {
    let boss = ORG[who][2]
    for (let depth = 1; boss; depth++, boss = ORG[boss][2])
      await f.db.query(sql`insert into manager_closure (manager_id, report_id, depth)
        values (${ids[boss]}::uuid, ${ids[who]}::uuid, ${depth})`)
  }
  await f.db.query(sql`update departments set head_user_id = ${ids.boss}::uuid
    where id = ${departments.sales}::uuid`)
  await f.db.query(sql`update departments set head_user_id = ${ids.cfo}::uuid
    where id = ${departments.finance}::uuid`)
  const tokens = { admin: f.adminToken } as Record<Who, string>
  for (const who of PEOPLE) {
    const res = await f.call('POST', '/api/auth/login', {
      body: { username: who, password: 'points-password-1' },
    })
    if (res.status !== 200) throw new Error(`login ${who}: ${res.status} ${await res.text()}`)
    tokens[who] = ((await res.json()) as { token: string }).token
  }
  const names = new Map(Object.entries(ids).map(([k, v]) => [v, k]))
  const nameOf = (id: string) => names.get(id) ?? 'admin'

  const req: PointsFixture['req'] = async (who, method, url, body) => {
    const res = await f.call(method, url, { token: tokens[who], body })
    const text = await res.text()
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : null }
  }
  const record: PointsFixture['record'] = async (id, who = 'admin') => {
    const res = await req(who, 'GET', `/api/data/claim/${id}`)
    if (res.status !== 200) throw new Error(`record: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }
  const claimOf: PointsFixture['claim'] = async (who, values = {}) => {
    const res = await req(who, 'POST', '/api/data/claim', {
      title: `Claim of ${who}`,
      amount: 100,
      ...values,
    })
    if (res.status !== 201) throw new Error(`claim: ${res.status} ${JSON.stringify(res.body)}`)
    return { id: res.body.id, version: res.body.version }
  }
  const fire: PointsFixture['fire'] = async (who, id, transition, body = {}) => {
    const { version } = await record(id)
    return req(who, 'POST', `/api/data/claim/${id}/transitions/${transition}`, {
      version,
      ...body,
    })
  }
  const submitted: PointsFixture['submitted'] = async (transition, who = 'rep1', values = {}) => {
    const { id } = await claimOf(who, values)
    const res = await fire(who, id, transition)
    if (res.status !== 200)
      throw new Error(`${transition}: ${res.status} ${JSON.stringify(res.body)}`)
    return id
  }
  const view: PointsFixture['view'] = async (id, who = 'admin') => {
    const res = await req(who, 'GET', `/api/data/claim/${id}/approval`)
    if (res.status !== 200) throw new Error(`view: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }
  const holders: PointsFixture['holders'] = async (id, status = 'pending') => {
    const v = await view(id)
    return v.steps
      .flatMap((s: Json) => s.tasks)
      .filter((t: Json) => t.status === status)
      .map((t: Json) => nameOf(t.assignee.id))
      .sort()
  }
  const inbox: PointsFixture['inbox'] = async (who, box = 'pending') => {
    const items: Json[] = []
    let cursor: string | null = null
    do {
      const page = await req(
        who,
        'GET',
        `/api/inbox?box=${box}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      )
      if (page.status !== 200) throw new Error(`inbox: ${page.status} ${JSON.stringify(page.body)}`)
      items.push(...page.body.items)
      cursor = page.body.nextCursor
    } while (cursor)
    return items
  }
  const taskOf: PointsFixture['taskOf'] = async (who, id) => {
    const item = (await inbox(who)).find((i) => i.recordId === id)
    if (!item) throw new Error(`${who} has no pending task on ${id}`)
    return item.taskId
  }
  const act: PointsFixture['act'] = (who, task, action, body = {}) =>
    req(who, 'POST', `/api/tasks/${task}/${action}`, body)
  const decide: PointsFixture['decide'] = async (who, id, action, body = {}) => {
    const res = await act(who, await taskOf(who, id), action, body)
    if (res.status !== 200)
      throw new Error(`${who} ${action}: ${res.status} ${JSON.stringify(res.body)}`)
    return res
  }
  const runTimersAt: PointsFixture['runTimersAt'] = async (at) => {
    const queue = createInProcessQueue({ backoffMs: 10 })
    const handlers = registerFlowHandlers(registerBuiltInHandlers(createHandlerRegistry()), (db) =>
      loadPublishedMetadata(db),
    )
    try {
      await runDueJobs({ db: f.db, queue, clock: fixedClock(at), log: silentLogger, handlers })
    } finally {
      await queue.close()
    }
  }
  const republish: PointsFixture['republish'] = async (shapes) => {
    await publishMetadata(
      { db: f.db, user: SYSTEM_USER, clock: fixedClock(clock.now()), log: silentLogger },
      pointsBundle(shapes),
    )
    // The app's metadata cache checks for a new version once a second: wait until it serves it.
    const version = (await loadPublishedMetadata(f.db)).flows.get('claimFlow')?.version
    for (let i = 0; i < 50; i++) {
      await req('admin', 'GET', '/api/data/claim?limit=1')
      if ((await req('admin', 'GET', '/api/meta/flows/claimFlow')).body?.version === version) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`the app never served version ${version} of claimFlow`)
  }
  return {
    ...f,
    ids,
    departments,
    nameOf,
    req,
    claim: claimOf,
    fire,
    submitted,
    record,
    view,
    holders,
    inbox,
    taskOf,
    act,
    decide,
    runTimersAt,
    republish,
  }
}
