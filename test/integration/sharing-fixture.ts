import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Role } from '../../metadata/role'
import type { Clock } from '../../runtime/clock'
import { createUser } from '../../runtime/identity'
import type { MetadataBundle } from '../../runtime/registry'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import type { TestTarget } from '../support/databases'

const label = (en: string) => ({ en, 'zh-CN': en, ko: en })

const customer: Entity = {
  id: 'customer',
  module: 'sales',
  label: label('Customer'),
  titleField: 'name',
  ownerField: 'owner',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'email', type: 'email', label: label('Email') },
    { name: 'employees', type: 'integer', label: label('Employees') },
    { name: 'notes', type: 'text', label: label('Notes') },
    { name: 'owner', type: 'user', label: label('Owner') },
  ],
  dedup: [
    { id: 'sameName', fields: ['name'], match: 'normalized', action: 'warn' },
    { id: 'sameEmail', fields: ['email'], match: 'exact', action: 'warn' },
    { id: 'sameSize', fields: ['employees'], match: 'exact', action: 'warn' },
  ],
}

const contact: Entity = {
  id: 'contact',
  module: 'sales',
  label: label('Contact'),
  titleField: 'name',
  ownerField: 'owner',
  permissionParent: 'customer',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'customer', type: 'reference', entity: 'customer', label: label('Customer') },
    { name: 'owner', type: 'user', label: label('Owner') },
  ],
}

const reach = (scope: 'own' | 'ownAndSubordinates') => ({
  read: scope,
  create: 'all' as const,
  update: scope,
  assign: scope,
})

const roles: Role[] = [
  {
    id: 'rep',
    label: label('Rep'),
    grants: [
      { entity: 'customer', scopes: reach('own') },
      { entity: 'contact', scopes: reach('own') },
    ],
  },
  {
    id: 'manager',
    label: label('Manager'),
    grants: [
      { entity: 'customer', scopes: reach('ownAndSubordinates') },
      { entity: 'contact', scopes: reach('ownAndSubordinates') },
    ],
  },
  {
    id: 'viewer',
    label: label('Viewer'),
    grants: [
      { entity: 'customer', scopes: { read: 'own' }, fields: { email: 'none', notes: 'read' } },
    ],
  },
  {
    // Nothing on customers: reaches one only when it is shared.
    id: 'helper',
    label: label('Helper'),
    grants: [{ entity: 'contact', scopes: { read: 'own' } }],
  },
]

/** Customers and contacts (contacts follow their customer), four roles. */
export const SHARING_BUNDLE: MetadataBundle = {
  packages: [{ id: 'sales', version: '1.0.0', label: label('Sales'), navigation: ['customer'] }],
  entities: [customer, contact],
  forms: [],
  views: [],
  roles,
}

/** The people of the sharing suites: two teams under their managers, a viewer and a helper. */
export const PEOPLE = ['mgr', 'rep1', 'rep2', 'mgrW', 'repW', 'viewer', 'helper'] as const
export type Person = (typeof PEOPLE)[number]

export interface SharingFixture extends AppFixture {
  ids: Record<Person, string>
  departments: { east: string; west: string }
  tokens: Record<Person, string>
  /** Calls as `who` ('admin' or one of PEOPLE). */
  as(who: Person | 'admin', method: string, path: string, body?: unknown): Promise<Response>
  /** Creates a record as the admin and returns its id. */
  create(entity: string, values: Record<string, unknown>): Promise<string>
}

/** A mutable clock the suites move forward. */
export function movableClock(start: string): Clock & { advance(ms: number): void } {
  let at = new Date(start).getTime()
  return { now: () => new Date(at), advance: (ms) => void (at += ms) }
}

async function addPerson(
  f: AppFixture,
  name: string,
  dept: string,
  role: string,
  manager?: string,
) {
  const user = await createUser(
    { db: f.db },
    { username: name, password: `${name}-password`, displayName: `Person ${name}` },
  )
  await f.db
    .query(sql`update users set department_id = ${dept}::uuid, manager_id = ${manager ?? null}::uuid
    where id = ${user.id}::uuid`)
  await f.db.query(
    sql`insert into user_roles (user_id, role_id) values (${user.id}::uuid, ${role})`,
  )
  if (manager) {
    await f.db.query(sql`insert into manager_closure (manager_id, report_id, depth)
      values (${manager}::uuid, ${user.id}::uuid, 1)`)
  }
  return user.id
}

async function addDepartment(f: AppFixture, name: string): Promise<string> {
  const [row] = await f.db.query<{ id: string }>(
    sql`insert into departments (name) values (${name}) returning id::text as id`,
  )
  await f.db.query(sql`insert into department_closure (ancestor_id, descendant_id, depth)
    values (${row.id}::uuid, ${row.id}::uuid, 0)`)
  return row.id
}

/** The app over SHARING_BUNDLE with the people above (built in SQL) signed in. */
export async function openSharingFixture(
  target: TestTarget,
  clock: Clock,
): Promise<SharingFixture> {
  const f = await openAppFixture(target, { bundle: SHARING_BUNDLE, clock })
  const east = await addDepartment(f, 'Sales East')
  const west = await addDepartment(f, 'Sales West')
  const mgr = await addPerson(f, 'mgr', east, 'manager')
  const mgrW = await addPerson(f, 'mgrW', west, 'manager')
  const ids: Record<Person, string> = {
    mgr,
    rep1: await addPerson(f, 'rep1', east, 'rep', mgr),
    rep2: await addPerson(f, 'rep2', east, 'rep', mgr),
    mgrW,
    repW: await addPerson(f, 'repW', west, 'rep', mgrW),
    viewer: await addPerson(f, 'viewer', west, 'viewer'),
    helper: await addPerson(f, 'helper', west, 'helper'),
  }
  const tokens = {} as Record<Person, string>
  for (const who of PEOPLE) {
    const res = await f.call('POST', '/api/auth/login', {
      body: { username: who, password: `${who}-password` },
    })
    tokens[who] = ((await res.json()) as { token: string }).token
  }
  const as: SharingFixture['as'] = (who, method, path, body) =>
    f.call(method, path, { token: who === 'admin' ? f.adminToken : tokens[who], body })
  const create: SharingFixture['create'] = async (entity, values) => {
    const res = await as('admin', 'POST', `/api/data/${entity}`, values)
    const text = await res.text()
    if (res.status !== 201) throw new Error(`create ${entity}: ${res.status} ${text}`)
    return (JSON.parse(text) as { id: string }).id
  }
  return { ...f, ids, departments: { east, west }, tokens, as, create }
}

/** A parsed response body: arbitrary JSON the suites index into freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any

/** The status and parsed body of a response. */
export async function read(res: Response): Promise<{ status: number; body: Json; text: string }> {
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : null, text }
}

/** The paths an error response names. */
export function errorPaths(body: { error?: { details?: { path: string }[] } }): string[] {
  return body?.error?.details?.map((d) => d.path) ?? []
}
