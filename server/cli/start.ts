import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { createSessionResolver } from '../../runtime/identity'
import { createMetadataCache } from '../../runtime/registry'
import { systemClock } from '../../runtime/clock'
import {
  createLocalFileStore,
  createS3FileStore,
  newStorageKey,
  startFileSweep,
  type FileStore,
} from '../../runtime/files'
import { createChromiumPrinter } from '../../runtime/templates'
import type { Logger } from '../../runtime/context'
import { buildApp } from '../app'
import type { Config } from '../config'
import { TrellisResponse } from '../http/node-response'
import { installDemo } from './demo'
import { startServerAutomation } from './jobs-commands'
import { buildIndexesInBackground, openInstance } from './open-instance'

/** How long an idle kept-alive connection stays open. */
export const KEEP_ALIVE_MS = 65_000

const designerDir = fileURLToPath(new URL('../../designer/build', import.meta.url))

/**
 * The S3-compatible bucket when `TRELLIS_S3_BUCKET` names one, else the data folder's `files/`.
 * The bucket is tried at once: settings it refuses are logged now, not at the first upload.
 */
function openFileStore(config: Config, log: Logger): FileStore {
  if (!config.s3) return createLocalFileStore(config.filesDir)
  const { endpoint, bucket, prefix } = config.s3
  const store = createS3FileStore(config.s3, { log })
  void store.get(newStorageKey()).then(
    () => log.info({ endpoint, bucket, prefix }, 'uploaded files are kept in an S3 bucket'),
    () => {}, // the store logged why
  )
  return store
}

/** `trellis start`: one process serving the API and the workspace, closing pools on shutdown. */
export async function runStart(): Promise<number> {
  const { db, ctx, config, log } = await openInstance(undefined, { server: true })
  const installing = config.demo && ctx.meta.version === 0
  if (installing) {
    log.info('Empty instance: installing the four modules and demo data (first start only)')
    // It takes a while on a small machine: a line every 10 s shows it is moving.
    const began = Date.now()
    const seconds = () => Math.round((Date.now() - began) / 1000)
    const beat = setInterval(() => log.info(`… still installing the demo (${seconds()} s)`), 10_000)
    try {
      await installDemo(ctx, config.demoScale)
    } finally {
      clearInterval(beat)
    }
    log.info(`Demo installed in ${seconds()} s`)
  }
  // What the open loaded serves the first requests and the handlers, unless the demo changed it.
  const known = installing ? undefined : ctx.meta
  const metadata = createMetadataCache(db, { known })
  await metadata.current()
  if (!existsSync(designerDir))
    log.warn('designer/build is missing: run `npm run build` for the workspace')
  const sessions = createSessionResolver(db)
  await sessions.start()
  const jobs = await startServerAutomation(db, log, config, known)
  const files = openFileStore(config, log)
  const stopFileSweep = startFileSweep({ db, clock: systemClock, log }, files)
  const printer = config.chromiumPath
    ? createChromiumPrinter({ executablePath: config.chromiumPath, log })
    : undefined
  if (!printer) log.info('No Chromium (TRELLIS_CHROMIUM): prints answer the HTML print view')
  const app = buildApp({
    files,
    uploads: config.uploads,
    queue: jobs.queue,
    db,
    log,
    clock: systemClock,
    metadata,
    sessions,
    trustedProxies: config.trustedProxies,
    printer,
    timeZone: config.timeZone,
    designerDir: existsSync(designerDir) ? designerDir : undefined,
  })
  const options = { fetch: app.fetch, port: config.port, hostname: config.host }
  const serverOptions = { ServerResponse: TrellisResponse }
  const server = serve({ ...options, serverOptions }, (info) => {
    console.log(`Trellis listening on http://localhost:${info.port} (time zone ${config.timeZone})`)
    // Serving first: building indexes on a big upgraded database may take minutes.
    void buildIndexesInBackground(db, log)
  })
  // Node closes an idle kept-alive connection after 5 s; a client (or a proxy) that sends its
  // next request on it just then reads ECONNRESET. Idle connections stay longer than the usual
  // proxies' 60 s, so the proxy is the side that closes them.
  Object.assign(server, { keepAliveTimeout: KEEP_ALIVE_MS, headersTimeout: KEEP_ALIVE_MS + 1000 })
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    stopFileSweep()
    server.close(
      () =>
        void jobs
          .stop()
          .then(() => sessions.stop())
          .then(() => printer?.close())
          .then(() => db.close())
          .then(() => process.exit(0)),
    )
    setTimeout(() => process.exit(1), 10_000).unref()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  return 0
}
