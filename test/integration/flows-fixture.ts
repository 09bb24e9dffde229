import { sql } from 'drizzle-orm'
import type { Calendar } from '../../metadata/calendar'
import type { Entity } from '../../metadata/entity'
import type { Flow } from '../../metadata/flow'
import type { Role } from '../../metadata/role'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx, type CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { loadPublishedMetadata, publishMetadata } from '../../runtime/registry'

const label = (en: string) => ({ en })
const opt = (value: string) => ({ value, label: label(value) })

/** Expenses: a state, an amount, lines, a note the approver may edit, a link to the payment. */
export const expense: Entity = {
  id: 'expense',
  label: label('Expense'),
  titleField: 'title',
  ownerField: 'owner',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'amount', type: 'decimal', label: label('Amount'), scale: 2 },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      options: ['draft', 'pending', 'approved', 'rejected', 'paid'].map(opt),
      default: 'draft',
    },
    { name: 'note', type: 'text', label: label('Note') },
    { name: 'reason', type: 'text', label: label('Reason') },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'payment', type: 'reference', entity: 'payment', label: label('Payment') },
    { name: 'lines', type: 'childTable', entity: 'expenseLine', label: label('Lines') },
  ],
}

export const expenseLine: Entity = {
  id: 'expenseLine',
  label: label('Expense line'),
  childOf: 'expense',
  fields: [
    { name: 'item', type: 'text', label: label('Item') },
    { name: 'cost', type: 'decimal', label: label('Cost'), scale: 2 },
  ],
}

/** What paying an expense creates, with its lines copied. */
export const payment: Entity = {
  id: 'payment',
  label: label('Payment'),
  titleField: 'title',
  ownerField: 'owner',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'amount', type: 'decimal', label: label('Amount'), scale: 2 },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'lines', type: 'childTable', entity: 'paymentLine', label: label('Lines') },
  ],
}

export const paymentLine: Entity = {
  id: 'paymentLine',
  label: label('Payment line'),
  childOf: 'payment',
  fields: [
    { name: 'item', type: 'text', label: label('Item') },
    { name: 'cost', type: 'decimal', label: label('Cost'), scale: 2 },
  ],
}

/**
 * draft → (submit: the manager approves) → approved → (pay: creates the payment) → paid;
 * review: any reviewer approves (or-sign); cancel needs a reason; fastTrack only under 100.
 */
export const expenseFlow: Flow = {
  id: 'expenseFlow',
  label: label('Expense flow'),
  entity: 'expense',
  stateField: 'status',
  states: [
    { id: 'draft', initial: true },
    { id: 'pending', lock: { editable: ['note'], by: 'approver' } },
    { id: 'approved' },
    { id: 'rejected' },
    { id: 'paid', final: true },
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
            id: 'manager',
            label: label('Manager'),
            approvers: [{ manager: 1 }],
            // Four working hours of the office, then the engine approves.
            timeout: { after: { hours: 4 }, calendar: 'office', action: 'approve' },
          },
        ],
      },
    },
    {
      id: 'review',
      label: label('Review'),
      from: ['draft'],
      to: 'approved',
      approval: {
        pending: 'pending',
        rejected: 'rejected',
        steps: [
          { id: 'board', label: label('Board'), approvers: [{ role: 'reviewer' }], mode: 'any' },
        ],
      },
    },
    {
      id: 'cancel',
      label: label('Cancel'),
      from: ['draft'],
      to: 'rejected',
      requires: ['reason'],
    },
    {
      id: 'fastTrack',
      label: label('Fast track'),
      from: ['draft'],
      to: 'approved',
      guard: { '<': [{ var: 'amount' }, 100] },
    },
    {
      id: 'pay',
      label: label('Pay'),
      from: ['approved'],
      to: 'paid',
      effects: [
        {
          type: 'create',
          params: {
            entity: 'payment',
            as: 'payment',
            values: { title: { var: 'title' }, amount: { var: 'amount' } },
            children: [
              {
                from: 'lines',
                to: 'lines',
                values: { item: { var: 'item' }, cost: { var: 'cost' } },
              },
            ],
            linkBack: 'payment',
          },
        },
        { type: 'set', params: { values: { note: { cat: ['paid as ', { var: 'title' }] } } } },
      ],
    },
  ],
}

/** Weekdays 09:00–17:00 UTC. */
export const office: Calendar = {
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

const all = { read: 'all', create: 'all', update: 'all', transition: 'all' } as const

/** Employees work on their own expenses; managers on all; viewers and reviewers only read. */
export const roles: Role[] = [
  {
    id: 'employee',
    label: label('Employee'),
    grants: [
      {
        entity: 'expense',
        scopes: { read: 'own', create: 'own', update: 'own', transition: 'own' },
      },
      { entity: 'payment', scopes: { read: 'own' } },
    ],
  },
  {
    id: 'manager',
    label: label('Manager'),
    grants: [
      { entity: 'expense', scopes: all },
      { entity: 'payment', scopes: { read: 'all' } },
    ],
  },
  {
    id: 'viewer',
    label: label('Viewer'),
    grants: [{ entity: 'expense', scopes: { read: 'all', update: 'all' } }],
  },
  {
    id: 'reviewer',
    label: label('Reviewer'),
    grants: [{ entity: 'expense', scopes: { read: 'all' } }],
  },
]

export type FlowUsers = Record<'emp' | 'mgr' | 'viewer', CurrentUser> & { reviewers: CurrentUser[] }

export interface FlowWorld {
  db: Db
  users: FlowUsers
  as(user: CurrentUser): Promise<Ctx>
  system(): Promise<Ctx>
}

export const AT = new Date('2026-03-02T09:00:00Z')

async function makeUser(
  db: Db,
  username: string,
  role: string,
  locale = 'en',
  managerId: string | null = null,
): Promise<CurrentUser> {
  const [row] = await db.query<{ id: string }>(sql`
    insert into users (username, display_name, password_hash, locale, manager_id)
    values (${username}, ${username}, 'not-a-hash', ${locale}, ${managerId}::uuid)
    returning id::text as id`)
  await db.query(sql`insert into user_roles (user_id, role_id) values (${row.id}::uuid, ${role})`)
  return {
    id: row.id,
    username,
    displayName: username,
    locale,
    isAdmin: false,
    roles: [role],
    departmentId: null,
    managerId,
    attributes: {},
  }
}

/** Publishes the bundle and makes emp (manager: mgr, zh-CN), mgr, a viewer and five reviewers. */
export async function openFlowWorld(db: Db): Promise<FlowWorld> {
  const base = { db, user: SYSTEM_USER, clock: fixedClock(AT), log: silentLogger }
  await publishMetadata(base, {
    packages: [],
    entities: [expense, expenseLine, payment, paymentLine],
    forms: [],
    views: [],
    roles,
    calendars: [office],
    flows: [expenseFlow],
  })
  const mgr = await makeUser(db, 'mgr', 'manager', 'ko')
  const emp = await makeUser(db, 'emp', 'employee', 'zh-CN', mgr.id)
  const viewer = await makeUser(db, 'viewer', 'viewer')
  const reviewers: CurrentUser[] = []
  for (let i = 1; i <= 5; i++) reviewers.push(await makeUser(db, `rev${i}`, 'reviewer'))
  const meta = await loadPublishedMetadata(db)
  const ctxOf = async (user: CurrentUser): Promise<Ctx> => ({ ...base, user, meta })
  return { db, users: { emp, mgr, viewer, reviewers }, as: ctxOf, system: () => ctxOf(SYSTEM_USER) }
}

/** The outbox events of one record, oldest first. */
export async function outboxOf(db: Db, recordId: string) {
  const rows = await db.query<{ event: string; payload: unknown }>(sql`
    select event, payload from outbox where record_id = ${recordId}::uuid order by id`)
  return rows.map((r) => ({
    event: r.event,
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<
      string,
      unknown
    >,
  }))
}

/** The approval task rows of one record. */
export async function tasksOf(db: Db, recordId: string) {
  return db.query<{ id: string; task_key: string; assignee: string; status: string; step: string }>(
    sql`select id::text as id, task_key, assignee::text as assignee, status, step
      from approval_tasks where record_id = ${recordId}::uuid order by created_at, task_key`,
  )
}

/**
 * The record's outbox events that tell a flow's move, oldest first: `transition` rows, and
 * `updated` events whose payload names the flow (a move that updated the record tells it there).
 */
export async function movesOf(db: Db, recordId: string) {
  return (await outboxOf(db, recordId)).filter((x) => x.payload.flow !== undefined)
}
