import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import pino from 'pino'
import type { Report } from '../../metadata/report'
import type { Template } from '../../metadata/template'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createLocalFileStore } from '../../runtime/files'
import {
  buildMetadataSet,
  createMetadataCache,
  publishMetadata,
  type MetadataSet,
} from '../../runtime/registry'
import { APP_SCHEMA, tableName } from '../../runtime/schema'
import { loadSeedBundle } from '../../seeds'
import { buildApp } from '../../server/app'
import { installDemo } from '../../server/cli/demo'
import type { TestTarget } from '../support/databases'
import { appCaller, type Reply } from './permissions-app'
import {
  loadOracleWorld,
  permissionOracle,
  type OracleUser,
  type PermissionOracle,
} from '../support/permission-oracle'

/*
 * The demo organisation with every shipped role held, served over HTTP with files on disk: the
 * world the reports / exports / prints / files matrix runs in (permissions-matrix-io.test.ts).
 */

export const DEMO_USERS = [
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
/** People the demo lacks, so every shipped role is held, one by a user with three roles. */
const EXTRA_USERS = [
  { username: 'svc_mgr', department: 'Service', roles: ['serviceManager', 'employee'] },
  { username: 'fin_rep', department: 'Finance', roles: ['salesRep', 'finance', 'employee'] },
  { username: 'ops', department: 'Trellis Demo Co.', roles: ['admin'] },
]
export const NOW = new Date('2026-06-15T09:00:00Z')

export interface ShippedWorld {
  db: Db
  meta: MetadataSet
  app: ReturnType<typeof buildApp>
  /** Where uploaded files are stored on disk. */
  filesDir: string
  oracle: PermissionOracle
  /** admin, the demo users and the extra users. */
  everyone: string[]
  user(username: string): OracleUser
  /** A request as `who` (a username; '' for none), JSON or FormData bodies. */
  api(method: string, path: string, who: string, body?: unknown): Promise<Reply>
  /** Reloads the oracle from the rows (after writes). */
  refresh(): Promise<void>
  table(entity: string): ReturnType<typeof sql>
  close(): Promise<void>
}

/** The demo (scale 0.1) with `extra` reports and templates published beside the shipped ones. */
export async function openShippedWorld(
  target: TestTarget,
  extra: (meta: MetadataSet) => { reports: Report[]; templates: Template[] },
): Promise<ShippedWorld> {
  const { db, close } = await target.open()
  const clock = fixedClock(NOW)
  const empty = buildMetadataSet({ packages: [], entities: [], forms: [], views: [] }, 0)
  const base: Ctx = { db, user: SYSTEM_USER, clock, log: silentLogger, meta: empty }
  const demo = await installDemo(base, 0.1)
  const seeds = loadSeedBundle()
  const more = extra(demo.meta)
  const { meta } = await publishMetadata(demo, {
    ...seeds,
    reports: [...(seeds.reports ?? []), ...more.reports],
    templates: [...(seeds.templates ?? []), ...more.templates],
  })
  const filesDir = mkdtempSync(join(tmpdir(), 'trellis-io-matrix-'))
  const app = buildApp({
    db,
    clock,
    log: pino({ level: 'silent' }),
    metadata: createMetadataCache(db),
    files: createLocalFileStore(filesDir),
  })
  const tokens = new Map<string, string>()
  const api: ShippedWorld['api'] = appCaller(app, tokens)
  const login = async (username: string, password: string) => {
    const res = await api('POST', '/api/auth/login', '', { username, password })
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`)
    tokens.set(username, res.body.token as string)
  }
  await login('admin', 'admin')
  const departments = new Map(
    (await db.query<{ id: string; name: string }>(sql`select id, name from departments`)).map(
      (d) => [d.name, d.id],
    ),
  )
  for (const u of EXTRA_USERS) {
    const res = await api('POST', '/api/admin/users', 'admin', {
      username: u.username,
      password: 'long-enough-password',
      displayName: u.username,
      departmentId: departments.get(u.department),
      roles: u.roles,
    })
    if (res.status !== 201) throw new Error(`create ${u.username}: ${res.status}`)
    await login(u.username, 'long-enough-password')
  }
  for (const name of DEMO_USERS) await login(name, 'demo')
  const world: ShippedWorld = {
    db,
    meta,
    app,
    filesDir,
    oracle: undefined as unknown as PermissionOracle,
    everyone: ['admin', ...DEMO_USERS, ...EXTRA_USERS.map((u) => u.username)],
    user(username) {
      const found = [...world.oracle.world.users.values()].find((u) => u.username === username)
      if (!found) throw new Error(`no user ${username}`)
      return found
    },
    api,
    async refresh() {
      world.oracle = permissionOracle(await loadOracleWorld(db, meta), clock.now())
    },
    table: (entity) =>
      sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName({ id: entity }))}`,
    async close() {
      await close()
      rmSync(filesDir, { recursive: true, force: true })
    },
  }
  await world.refresh()
  return world
}
