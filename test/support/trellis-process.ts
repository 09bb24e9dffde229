import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = new URL('../../', import.meta.url).pathname

/** A `trellis start` or `trellis worker` child process. */
export interface TrellisProcess {
  /** The API's http://127.0.0.1:<port> (a worker has none). */
  url: string
  /** The address the API printed once it listened (http://localhost:<port>; a worker has none). */
  announcedUrl: string
  /** Everything it wrote to stdout and stderr so far. */
  output(): string
  /** SIGTERM, then SIGKILL after 10 s; resolves once it has exited (and its data folder is gone). */
  stop(): Promise<void>
}

/** How to start a Trellis process besides its command and environment. */
export interface TrellisProcessOptions {
  /** Gives up (and kills the child) when it is not ready by then; 120 s by default. */
  timeoutMs?: number
  /** Installs the modules and demo data into an empty instance (TRELLIS_DEMO); false by default. */
  demo?: boolean
  /**
   * Runs on a throw-away embedded database in a fresh data folder (deleted by `stop`), ignoring
   * any DATABASE_URL / REDIS_URL the test runner has.
   */
  embedded?: boolean
  /**
   * With `embedded`: starts on a copy of this data folder (a demo template) instead of an empty
   * one; the copy is deleted by `stop` like a fresh folder.
   */
  copyDataFrom?: string
}

const READY = {
  start: /Trellis listening on (http:\/\/\S+)/,
  worker: /Trellis worker running/,
}

/**
 * Starts `trellis start` (an API process on a free port) or `trellis worker` with `env`
 * (DATABASE_URL, REDIS_URL, …) and resolves once it says it is ready.
 * @example const api = await startTrellisProcess('start', { DATABASE_URL: url, REDIS_URL: redis })
 * @example const server = await startTrellisProcess('start', {}, { demo: true, embedded: true })
 */
export async function startTrellisProcess(
  command: 'start' | 'worker',
  env: Record<string, string>,
  options: TrellisProcessOptions = {},
): Promise<TrellisProcess> {
  const { timeoutMs = 120_000, demo = false, embedded = false, copyDataFrom } = options
  // Port 0: the server takes a free one and names it when it listens (no window in which
  // another process could take a port chosen beforehand, as happened with RabbitMQ's 25672).
  const port = 0
  const dataDir = embedded ? mkdtempSync(join(tmpdir(), 'trellis-process-')) : null
  if (dataDir && copyDataFrom) cpSync(copyDataFrom, dataDir, { recursive: true })
  const inherited = { ...process.env }
  if (embedded) {
    delete inherited.DATABASE_URL
    delete inherited.REDIS_URL
  }
  const child = spawn(process.execPath, ['bin/trellis.mjs', command], {
    cwd: ROOT,
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(demo ? {} : { TRELLIS_DEMO: 'false' }),
      ...(dataDir ? { TRELLIS_DATA_DIR: dataDir } : {}),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stop = () => stopChild(child, dataDir)
  const log = { text: '' }
  try {
    const ready = await waitForReady(child, READY[command], log, timeoutMs)
    return {
      url: command === 'start' ? `http://127.0.0.1:${new URL(ready[1]).port}` : '',
      announcedUrl: ready[1]?.replace(/\/$/, '') ?? '',
      output: () => log.text,
      stop,
    }
  } catch (err) {
    await stop()
    throw new Error(`${command} ${(err as Error).message}:\n${log.text}`)
  }
}

/**
 * Collects the child's output into `log` until it matches `ready`; rejects if the child exits or
 * `timeoutMs` passes first.
 */
function waitForReady(
  child: ChildProcess,
  ready: RegExp,
  log: { text: string },
  timeoutMs: number,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in ${timeoutMs} ms`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      log.text += chunk.toString()
      const match = ready.exec(log.text)
      if (match) {
        clearTimeout(timer)
        resolve(match)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code} before it was ready`))
    })
  })
}

async function stopChild(child: ChildProcess, dataDir: string | null): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
}
