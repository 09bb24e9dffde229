import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Flow } from '../../metadata/flow'
import type { Role } from '../../metadata/role'
import type { Clock } from '../../runtime/clock'
import { silentLogger, type Ctx } from '../../runtime/context'
import { createUser } from '../../runtime/identity'
import { createMetadataCache, type MetadataBundle } from '../../runtime/registry'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import type { TestTarget } from '../support/databases'
import { responseChecker, type Doc } from './openapi-doc-checks'

const label = (en: string) => ({ en, 'zh-CN': `${en}（中）`, ko: en })

const leave: Entity = {
  id: 'leave',
  module: 'hr',
  label: label('Leave request'),
  titleField: 'title',
  ownerField: 'owner',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'days', type: 'integer', label: label('Days'), min: 0 },
    { name: 'reason', type: 'text', label: label('Reason') },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      default: 'draft',
      options: ['draft', 'pending', 'approved', 'rejected'].map((value) => ({
        value,
        label: label(value),
      })),
    },
    { name: 'owner', type: 'user', label: label('Owner') },
  ],
}

/** Leave: the manager approves; above 3 days HR approves after them. */
export const LEAVE_FLOW: Flow = {
  id: 'leaveFlow',
  module: 'hr',
  label: label('Leave approval'),
  entity: 'leave',
  stateField: 'status',
  states: [
    { id: 'draft', initial: true },
    { id: 'pending', lock: { editable: ['reason'], by: 'approver' } },
    { id: 'approved', final: true },
    { id: 'rejected' },
  ],
  transitions: [
    {
      id: 'submit',
      label: label('Submit'),
      from: ['draft'],
      to: 'approved',
      style: 'primary',
      approval: {
        pending: 'pending',
        rejected: 'rejected',
        steps: [
          { id: 'manager', label: label('Manager review'), approvers: [{ manager: 1 }] },
          {
            id: 'hr',
            label: label('HR review'),
            when: { '>': [{ var: 'days' }, 3] },
            approvers: [{ role: 'hr' }],
          },
        ],
      },
    },
    { id: 'reopen', label: label('Back to draft'), from: ['rejected'], to: 'draft' },
  ],
}

const own = { read: 'own', create: 'all', update: 'own', transition: 'own' } as const

const roles: Role[] = [
  { id: 'employee', label: label('Employee'), grants: [{ entity: 'leave', scopes: own }] },
  {
    id: 'manager',
    label: label('Manager'),
    grants: [
      {
        entity: 'leave',
        scopes: { ...own, read: 'ownAndSubordinates', update: 'ownAndSubordinates' },
      },
    ],
  },
  { id: 'hr', label: label('HR'), grants: [{ entity: 'leave', scopes: { ...own, read: 'all' } }] },
  // Manages rep3 but may read no leave request: their task must stay out of their inbox.
  { id: 'outsider', label: label('Outsider'), grants: [] },
]

export const APPROVALS_BUNDLE: MetadataBundle = {
  packages: [{ id: 'hr', version: '1.0.0', label: label('HR'), navigation: ['leave'] }],
  entities: [leave],
  forms: [],
  views: [],
  roles,
  flows: [LEAVE_FLOW],
}

/** The people: mgr manages rep1 and rep2, outsider manages rep3; hr1 and sub hold HR. */
export const PEOPLE = ['mgr', 'rep1', 'rep2', 'rep3', 'outsider', 'hr1', 'sub'] as const
export type Person = (typeof PEOPLE)[number]
const ROLE_OF: Record<Person, string> = {
  mgr: 'manager',
  rep1: 'employee',
  rep2: 'employee',
  rep3: 'employee',
  outsider: 'outsider',
  hr1: 'hr',
  sub: 'hr',
}
const MANAGER_OF: Partial<Record<Person, Person>> = { rep1: 'mgr', rep2: 'mgr', rep3: 'outsider' }

/** A parsed response body the suites index into freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any

export interface ApprovalsFixture extends AppFixture {
  ids: Record<Person, string>
  /**
   * Calls `url` as `who` (or without a session: null) and checks the answer against the
   * documented operation `path` (its `{param}` template); answers status and parsed body.
   */
  call2(
    who: Person | 'admin' | null,
    method: string,
    path: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Json; problems: string[] }>
  /** A leave request owned by `who`, made as them; answers id and version. */
  leave(who: Person, values?: Record<string, unknown>): Promise<{ id: string; version: number }>
  /** Fires `submit` as the owner and answers the public ids of the pending tasks it made. */
  submit(who: Person, id: string, version: number): Promise<string[]>
  /** The runtime context of `who` (for calls the API has no route for, like making a link). */
  ctxOf(): Promise<Ctx>
}

/** The app over APPROVALS_BUNDLE with the people above signed in. */
export async function openApprovalsFixture(
  target: TestTarget,
  clock: Clock,
): Promise<ApprovalsFixture> {
  const f = await openAppFixture(target, { bundle: APPROVALS_BUNDLE, clock })
  const ids = {} as Record<Person, string>
  for (const who of PEOPLE) {
    const user = await createUser(
      { db: f.db },
      { username: who, password: `${who}-password`, displayName: `Person ${who}` },
    )
    ids[who] = user.id
    await f.db.query(
      sql`insert into user_roles (user_id, role_id) values (${user.id}::uuid, ${ROLE_OF[who]})`,
    )
  }
  for (const [who, boss] of Object.entries(MANAGER_OF) as [Person, Person][]) {
    await f.db.query(
      sql`update users set manager_id = ${ids[boss]}::uuid where id = ${ids[who]}::uuid`,
    )
    await f.db.query(sql`insert into manager_closure (manager_id, report_id, depth)
      values (${ids[boss]}::uuid, ${ids[who]}::uuid, 1)`)
  }
  const tokens = {} as Record<Person, string>
  for (const who of PEOPLE) {
    const res = await f.call('POST', '/api/auth/login', {
      body: { username: who, password: `${who}-password` },
    })
    tokens[who] = ((await res.json()) as { token: string }).token
  }
  const check = responseChecker((await (await f.call('GET', '/api/openapi.json')).json()) as Doc)
  const call2: ApprovalsFixture['call2'] = async (who, method, path, url, body, headers) => {
    const token = who === null ? undefined : who === 'admin' ? f.adminToken : tokens[who]
    const res = await f.call(method, url, { token, body, headers })
    const problems = await check(method.toLowerCase(), path, res)
    const text = await res.text()
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : null, problems }
  }
  const leaveOf: ApprovalsFixture['leave'] = async (who, values = {}) => {
    const res = await f.call('POST', '/api/data/leave', {
      token: tokens[who],
      body: { title: `Leave of ${who}`, days: 2, ...values },
    })
    const body = (await res.json()) as Json
    if (res.status !== 201) throw new Error(`leave: ${res.status} ${JSON.stringify(body)}`)
    return { id: body.id, version: body.version }
  }
  const submit: ApprovalsFixture['submit'] = async (who, id, version) => {
    const res = await f.call('POST', `/api/data/leave/${id}/transitions/submit`, {
      token: tokens[who],
      body: { version },
    })
    if (res.status !== 200) throw new Error(`submit: ${res.status} ${await res.text()}`)
    const rows = await f.db.query<{ id: string }>(sql`select id::text as id from approval_tasks
      where record_id = ${id}::uuid and status = 'pending' order by created_at, task_key`)
    return rows.map((r) => r.id)
  }
  const metadata = createMetadataCache(f.db)
  const ctxOf = async (): Promise<Ctx> => ({
    db: f.db,
    user: null,
    clock,
    log: silentLogger,
    meta: await metadata.current(),
  })
  return { ...f, ids, call2, leave: leaveOf, submit, ctxOf }
}
