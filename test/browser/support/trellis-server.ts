import { startTrellisProcess } from '../../support/trellis-process'
import { demoFolder } from './demo-template'

/** A `trellis start` child process on a free port with a fresh data folder. */
export interface TrellisServer {
  url: string
  output: () => string
  stop: () => Promise<void>
}

/**
 * Starts the real server (modules + demo data on embedded PGlite) and waits until it listens;
 * after the run's first, on a copy of the demo the first installed (demo-template.ts).
 * TRELLIS_TEST_URL points the tests at an instance that is already running instead.
 * @example const server = await startTrellis(); await page.goto(`${server.url}/login`)
 */
export async function startTrellis(timeoutMs = 150_000): Promise<TrellisServer> {
  const running = process.env.TRELLIS_TEST_URL
  if (running) return { url: running.replace(/\/$/, ''), output: () => '', stop: async () => {} }
  // The test owns a throw-away embedded database, whatever DATABASE_URL / REDIS_URL say. The
  // run's first server installs the demo into a template folder; every server starts on a copy.
  const template = await demoFolder('start-demo', async (dir) => {
    const first = await startTrellisProcess(
      'start',
      { TRELLIS_DATA_DIR: dir },
      { timeoutMs, demo: true, embedded: true },
    )
    await first.stop()
  })
  const server = await startTrellisProcess(
    'start',
    {},
    { timeoutMs, demo: true, embedded: true, copyDataFrom: template },
  )
  return { url: server.announcedUrl, output: server.output, stop: server.stop }
}
