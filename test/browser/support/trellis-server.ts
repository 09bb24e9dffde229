import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = new URL('../../../', import.meta.url).pathname
const READY = /Trellis listening on (http:\/\/\S+)/

/** A `trellis start` child process on a free port with a fresh data folder. */
export interface TrellisServer {
  url: string
  output: () => string
  stop: () => Promise<void>
}

/** Asks the OS for a port nobody listens on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/**
 * Starts the real server (modules + demo data on embedded PGlite) and waits until it listens.
 * TRELLIS_TEST_URL points the tests at an instance that is already running instead.
 */
export async function startTrellis(timeoutMs = 150_000): Promise<TrellisServer> {
  const running = process.env.TRELLIS_TEST_URL
  if (running) return { url: running.replace(/\/$/, ''), output: () => '', stop: async () => {} }
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-browser-'))
  const port = await freePort()
  // Never inherit DATABASE_URL / REDIS_URL: the test owns a throw-away embedded database.
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...env } = process.env
  const child = spawn(process.execPath, ['bin/trellis.mjs', 'start'], {
    cwd: ROOT,
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TRELLIS_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const output = () => log
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server not ready in ${timeoutMs} ms:\n${log}`)),
      timeoutMs,
    )
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const match = READY.exec(log)
      if (match) {
        clearTimeout(timer)
        resolve(match[1].replace(/\/$/, ''))
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code} before listening:\n${log}`))
    })
  })
  return { url, output, stop: () => stopChild(child, dataDir) }
}

async function stopChild(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  rmSync(dataDir, { recursive: true, force: true })
}
