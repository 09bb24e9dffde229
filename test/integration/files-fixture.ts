import { sql } from 'drizzle-orm'
import pino from 'pino'
import type { Hono } from 'hono'
import type { Entity } from '../../metadata/entity'
import type { Role } from '../../metadata/role'
import { fixedClock, systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createMemoryFileStore, type FileStore, type UploadLimits } from '../../runtime/files'
import {
  createMetadataCache,
  loadPublishedMetadata,
  publishMetadata,
  type MetadataBundle,
} from '../../runtime/registry'
import { buildApp, type AppEnv } from '../../server/app'
import type { TestTarget } from '../support/databases'
import { fixturePasswordHash } from '../support/fixture-password-hash'

const label = (en: string) => ({ en, 'zh-CN': en, ko: en })

const customer: Entity = {
  id: 'customer',
  module: 'sales',
  label: label('Customer'),
  titleField: 'name',
  ownerField: 'owner',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'owner', type: 'user', label: label('Owner'), default: { dynamic: 'currentUser' } },
    { name: 'documents', type: 'attachments', label: label('Documents') },
    {
      name: 'logo',
      type: 'attachment',
      label: label('Logo'),
      accept: ['image/*'],
      maxFileSize: 2000,
    },
    { name: 'secret', type: 'attachment', label: label('Secret') },
    { name: 'visits', type: 'childTable', entity: 'visit', label: label('Visits') },
  ],
}

const visit: Entity = {
  id: 'visit',
  label: label('Visit'),
  childOf: 'customer',
  fields: [
    { name: 'place', type: 'text', label: label('Place') },
    { name: 'photo', type: 'attachment', label: label('Photo') },
  ],
}

/** Reps read and write their own customers and never see `secret`. */
const rep: Role = {
  id: 'rep',
  label: label('Rep'),
  grants: [
    {
      entity: 'customer',
      scopes: { read: 'own', create: 'all', update: 'own' },
      fields: { secret: 'none' },
    },
  ],
}

const BUNDLE: MetadataBundle = {
  packages: [{ id: 'sales', version: '1.0.0', label: label('Sales'), navigation: ['customer'] }],
  entities: [customer, visit],
  forms: [],
  views: [],
  roles: [rep],
}

const PASSWORD = 'files-password-1'

export interface FilesFixture {
  app: Hono<AppEnv>
  db: Db
  store: FileStore
  /** Bearer tokens. */
  admin: string
  rep1: string
  rep2: string
  /** A user with no role at all. */
  guest: string
  /** The runtime context of a user (for storeFile and direct record writes). */
  ctxOf(username: 'admin' | 'rep1' | 'rep2'): Promise<Ctx>
  call(method: string, path: string, token: string, body?: unknown): Promise<Response>
  /** POST /api/files with one multipart part named `file`. */
  upload(
    token: string,
    target: string,
    file: { name: string; type?: string; bytes: Uint8Array | string },
  ): Promise<Response>
  close(): Promise<void>
}

/** A fresh database with a customer entity holding attachment fields, two reps and an admin. */
export async function openFilesFixture(
  target: TestTarget,
  options: { uploads?: UploadLimits } = {},
): Promise<FilesFixture> {
  const { db, close } = await target.open()
  const clock = systemClock
  await publishMetadata(
    { db, user: SYSTEM_USER, clock: fixedClock(clock.now()), log: silentLogger },
    BUNDLE,
  )
  // Inserted with a cheap hash: sign-in still runs the real verifyPassword.
  const hash = fixturePasswordHash(PASSWORD)
  const users = {} as Record<'admin' | 'rep1' | 'rep2' | 'guest', { id: string; username: string }>
  for (const username of ['admin', 'rep1', 'rep2', 'guest'] as const) {
    const [row] = await db.query<{ id: string }>(sql`
      insert into users (username, display_name, password_hash, locale, is_admin)
      values (${username}, ${username}, ${hash}, 'en', ${username === 'admin'})
      returning id::text as id`)
    users[username] = { id: row.id, username }
    if (username === 'rep1' || username === 'rep2')
      await db.query(sql`insert into user_roles (user_id, role_id) values (${row.id}::uuid, 'rep')`)
  }
  const store = createMemoryFileStore()
  const log = pino({ level: 'silent' })
  const app = buildApp({
    db,
    clock,
    log,
    metadata: createMetadataCache(db),
    files: store,
    ...options,
  })
  const call: FilesFixture['call'] = (method, path, token, body) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }
    return Promise.resolve(app.request(path, init))
  }
  const tokenOf = async (username: string) => {
    const res = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    })
    return ((await res.json()) as { token: string }).token
  }
  const meta = await loadPublishedMetadata(db)
  return {
    app,
    db,
    store,
    admin: await tokenOf('admin'),
    rep1: await tokenOf('rep1'),
    rep2: await tokenOf('rep2'),
    guest: await tokenOf('guest'),
    async ctxOf(username) {
      const user = users[username]
      const roles = username === 'admin' ? [] : ['rep']
      const current = {
        ...user,
        displayName: username,
        isAdmin: username === 'admin',
        roles,
        locale: 'en',
      }
      return { db, clock, log: silentLogger, meta, files: store, user: current }
    },
    call,
    upload(token, target, file) {
      const form = new FormData()
      const bytes = typeof file.bytes === 'string' ? Buffer.from(file.bytes) : file.bytes
      form.append('file', new Blob([bytes], { type: file.type ?? '' }), file.name)
      const headers = { authorization: `Bearer ${token}` }
      return Promise.resolve(
        app.request(`/api/files?${target}`, { method: 'POST', headers, body: form }),
      )
    },
    close,
  }
}

/** The smallest well-formed PNG signature plus some bytes: enough for the type check. */
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR-and-some-more-bytes'),
])

/** A PDF's first bytes and a body. */
export const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n')
