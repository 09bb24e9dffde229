import { sql } from 'drizzle-orm'
import pino from 'pino'
import type { Hono } from 'hono'
import type { Entity } from '../../metadata/entity'
import type { Form } from '../../metadata/form'
import type { Role } from '../../metadata/role'
import type { View } from '../../metadata/view'
import { fixedClock, systemClock, type Clock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createUser } from '../../runtime/identity'
import { createMetadataCache, publishMetadata, type MetadataBundle } from '../../runtime/registry'
import { buildApp, type AppEnv } from '../../server/app'
import type { TestTarget } from './databases'

const label = (en: string) => ({ en, 'zh-CN': en, ko: en })

/** The admin every fixture creates. */
export const ADMIN = { username: 'admin', password: 'admin-password-1' }
/** A plain user every fixture creates. */
export const CLERK = { username: 'clerk', password: 'clerk-password-1' }

const customer: Entity = {
  id: 'customer',
  module: 'sales',
  label: label('Customer'),
  pluralLabel: label('Customers'),
  titleField: 'name',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true, maxLength: 100 },
    { name: 'email', type: 'email', label: label('Email') },
    { name: 'employees', type: 'integer', label: label('Employees'), min: 0 },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      options: [
        { value: 'lead', label: label('Lead') },
        { value: 'active', label: label('Active') },
      ],
    },
    { name: 'revenue', type: 'money', label: label('Revenue'), currency: 'CNY' },
    { name: 'since', type: 'date', label: label('Since') },
    { name: 'vip', type: 'boolean', label: label('VIP') },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'notes', type: 'json', label: label('Notes') },
  ],
}

const quote: Entity = {
  id: 'quote',
  module: 'sales',
  label: label('Quote'),
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'customer', type: 'reference', entity: 'customer', label: label('Customer') },
    {
      name: 'tags',
      type: 'multiSelect',
      label: label('Tags'),
      options: [{ value: 'hot', label: label('Hot') }],
    },
    { name: 'lines', type: 'childTable', entity: 'quoteLine', label: label('Lines') },
  ],
}

const quoteLine: Entity = {
  id: 'quoteLine',
  label: label('Quote line'),
  childOf: 'quote',
  fields: [
    { name: 'product', type: 'text', label: label('Product'), required: true },
    { name: 'qty', type: 'integer', label: label('Quantity') },
  ],
}

const customerForm: Form = {
  id: 'customer',
  entity: 'customer',
  label: label('Customer'),
  tabs: [
    {
      id: 'main',
      label: label('Main'),
      sections: [{ id: 'basics', fields: [{ field: 'name' }, { field: 'email' }] }],
    },
  ],
}

const customerList: View = {
  id: 'customer-list',
  entity: 'customer',
  type: 'list',
  label: label('All customers'),
  columns: [{ field: 'name' }, { field: 'status' }],
}

const EVERYTHING = {
  read: 'all',
  create: 'all',
  update: 'all',
  delete: 'all',
  export: 'all',
  print: 'all',
} as const

/** The clerk's role: every record of both entities (permission suites build their own). */
const clerkRole: Role = {
  id: 'clerk',
  label: label('Clerk'),
  grants: [
    { entity: 'customer', scopes: EVERYTHING },
    { entity: 'quote', scopes: EVERYTHING },
  ],
}

/** The small bundle the API suites run against: two entities, one child entity, a form, a view. */
export const FIXTURE_BUNDLE: MetadataBundle = {
  packages: [
    { id: 'sales', version: '1.0.0', label: label('Sales'), navigation: ['quote', 'customer'] },
  ],
  entities: [customer, quote, quoteLine],
  forms: [customerForm],
  views: [customerList],
  roles: [clerkRole],
}

export interface AppFixture {
  app: Hono<AppEnv>
  db: Db
  /** Bearer token of ADMIN / CLERK. */
  adminToken: string
  clerkToken: string
  /** `app.request` with JSON body handling and an optional bearer token. */
  call(
    method: string,
    path: string,
    init?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>
  close(): Promise<void>
}

/** A fresh database with FIXTURE_BUNDLE published, an admin and a clerk, and the app over it. */
export async function openAppFixture(
  target: TestTarget,
  options: { bundle?: MetadataBundle; clock?: Clock } = {},
): Promise<AppFixture> {
  const { db, close } = await target.open()
  const clock = options.clock ?? systemClock
  await publishMetadata(
    { db, user: SYSTEM_USER, clock: fixedClock(clock.now()), log: silentLogger },
    options.bundle ?? FIXTURE_BUNDLE,
  )
  await createUser({ db }, { ...ADMIN, displayName: 'Admin', isAdmin: true })
  const clerk = await createUser({ db }, { ...CLERK, displayName: 'Clerk' })
  const bundle = options.bundle ?? FIXTURE_BUNDLE
  if (bundle.roles?.some((r) => r.id === 'clerk'))
    await db.query(sql`insert into user_roles (user_id, role_id) values (${clerk.id}, 'clerk')`)
  const app = buildApp({
    db,
    clock,
    log: pino({ level: 'silent' }),
    metadata: createMetadataCache(db),
  })
  const call: AppFixture['call'] = (method, path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers }
    if (init.token) headers.authorization = `Bearer ${init.token}`
    let body: string | undefined
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
      headers['content-type'] ??= 'application/json'
    }
    return Promise.resolve(app.request(path, { method, headers, body }))
  }
  const tokenOf = async (who: typeof ADMIN) => {
    const res = await call('POST', '/api/auth/login', { body: who })
    if (res.status !== 200)
      throw new Error(`login of ${who.username} failed: ${res.status} ${await res.text()}`)
    return ((await res.json()) as { token: string }).token
  }
  return {
    app,
    db,
    call,
    adminToken: await tokenOf(ADMIN),
    clerkToken: await tokenOf(CLERK),
    close,
  }
}
