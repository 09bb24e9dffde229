import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import pino from 'pino'
import { fixedClock } from '../../runtime/clock'
import { createLocalFileStore } from '../../runtime/files'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { fixturePasswordHash } from '../support/fixture-password-hash'
import { NOW, PEOPLE, type PermissionsFixture, type Person } from './permissions-fixture'

const PASSWORD = 'matrix-password-1'

/** An answer: status, text and (for JSON) the parsed body. */
export interface Reply {
  status: number
  text: string
  body: Record<string, any>
  headers: Headers
}

export interface PermissionsApp {
  app: ReturnType<typeof buildApp>
  /** Where uploaded files are stored. */
  filesDir: string
  /** A request as a person of the fixture: JSON or FormData body. */
  call(method: string, path: string, who: Person, body?: unknown): Promise<Reply>
  close(): void
}

/** Requests to `app` as a signed-in user (their token in `tokens`): JSON or FormData bodies. */
export function appCaller(
  app: { request(path: string, init: RequestInit): Response | Promise<Response> },
  tokens: Map<string, string>,
) {
  return async (method: string, path: string, who: string, body?: unknown): Promise<Reply> => {
    const headers: Record<string, string> = {}
    if (tokens.has(who)) headers.authorization = `Bearer ${tokens.get(who)}`
    let payload: FormData | string | undefined
    if (body instanceof FormData) payload = body
    else if (body !== undefined) {
      payload = JSON.stringify(body)
      headers['content-type'] = 'application/json'
    }
    const res = await app.request(path, { method, headers, body: payload })
    const binary = res.headers.get('content-type')?.includes('spreadsheetml')
    // A workbook's bytes as base64, so a reply stays text.
    const text = binary ? Buffer.from(await res.arrayBuffer()).toString('base64') : await res.text()
    const json = res.headers.get('content-type')?.includes('json') && text
    return { status: res.status, text, body: json ? JSON.parse(text) : {}, headers: res.headers }
  }
}

/**
 * The HTTP app over a permissions fixture, files on disk in a temporary folder, each person
 * signed in holding `roles[person]` (stored in user_roles, as sessions load them).
 */
export async function openPermissionsApp(
  f: PermissionsFixture,
  roles: Partial<Record<Person, string[]>>,
): Promise<PermissionsApp> {
  await f.db.query(sql`update users set password_hash = ${fixturePasswordHash(PASSWORD)}`)
  for (const [person, list] of Object.entries(roles) as [Person, string[]][])
    for (const role of list)
      await f.db.query(
        sql`insert into user_roles (user_id, role_id) values (${f.ids[person]}::uuid, ${role})`,
      )
  const filesDir = mkdtempSync(join(tmpdir(), 'trellis-permissions-app-'))
  const app = buildApp({
    db: f.db,
    clock: fixedClock(NOW),
    log: pino({ level: 'silent' }),
    metadata: createMetadataCache(f.db),
    files: createLocalFileStore(filesDir),
  })
  const tokens = new Map<string, string>()
  const call = appCaller(app, tokens)
  for (const person of PEOPLE) {
    const res = await call('POST', '/api/auth/login', person, {
      username: person,
      password: PASSWORD,
    })
    if (res.status !== 200) throw new Error(`login ${person}: ${res.status} ${res.text}`)
    tokens.set(person, res.body.token as string)
  }
  return { app, filesDir, call, close: () => rmSync(filesDir, { recursive: true, force: true }) }
}
