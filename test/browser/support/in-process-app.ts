import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { serve, type ServerType } from '@hono/node-server'
import pino from 'pino'
import { systemClock } from '../../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../../runtime/context'
import { migratePlatform, openDb, type Db } from '../../../runtime/db'
import { createMetadataCache, loadPublishedMetadata } from '../../../runtime/registry'
import { buildApp, type AppDeps } from '../../../server/app'
import { installDemo } from '../../../server/cli/demo'
import { TrellisResponse } from '../../../server/http/node-response'
import { demoDump } from './demo-template'

const DESIGNER = fileURLToPath(new URL('../../../designer/build', import.meta.url))

/**
 * A database in memory with the four modules and the demo organisation and data at `scale`, for
 * browser tests that drive the server's clock or jobs themselves (in this process). Every call
 * answers a database of its own.
 * @example const db = await openDemoDb()
 */
export async function openDemoDb(scale = 0.1): Promise<Db> {
  const install = async (db: Db) => {
    await migratePlatform(db)
    const meta = await loadPublishedMetadata(db)
    await installDemo({ db, user: SYSTEM_USER, clock: systemClock, log: silentLogger, meta }, scale)
  }
  // Built once per run and copied (demo-template.ts); installed here outside the browser project.
  const copy = await demoDump(`demo-${scale}`, install)
  if (copy) return copy
  const db = await openDb({ dataDir: 'memory://' })
  await install(db)
  return db
}

/**
 * Serves the app over `db` (and the built workspace) on a free loopback port in this process,
 * as `trellis start` serves it; answers its URL and how to stop it.
 * @example const app = await serveInProcess(db, { queue }); await app.close()
 */
export async function serveInProcess(
  db: Db,
  deps: Partial<AppDeps> = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const app = buildApp({
    db,
    clock: systemClock,
    log: pino({ level: 'silent' }),
    metadata: createMetadataCache(db),
    designerDir: existsSync(DESIGNER) ? DESIGNER : undefined,
    ...deps,
  })
  const server = await new Promise<ServerType>((resolve) => {
    const options = { fetch: app.fetch, port: 0, hostname: '127.0.0.1' }
    const s = serve({ ...options, serverOptions: { ServerResponse: TrellisResponse } }, () =>
      resolve(s),
    )
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
