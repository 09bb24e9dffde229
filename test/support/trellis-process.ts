import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { freePort } from './private-redis'

const ROOT = new URL('../../', import.meta.url).pathname

/** A `trellis start` or `trellis worker` child process. */
export interface TrellisProcess {
  /** The API's http://127.0.0.1:<port> (a worker has none). */
  url: string
  /** Everything it wrote to stdout and stderr so far. */
  output(): string
  /** SIGTERM, then SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>
}

/**
 * Starts `trellis start` (an API process on a free port, `TRELLIS_DEMO=false`) or `trellis
 * worker` with `env` (DATABASE_URL, REDIS_URL, …) and resolves once it says it is ready.
 * @example const api = await startTrellisProcess('start', { DATABASE_URL: url, REDIS_URL: redis })
 */
export async function startTrellisProcess(
  command: 'start' | 'worker',
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<TrellisProcess> {
  const port = command === 'start' ? await freePort() : 0
  const child = spawn(process.execPath, ['bin/trellis.mjs', command], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TRELLIS_DEMO: 'false',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const ready = command === 'start' ? /Trellis listening on/ : /Trellis worker running/
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${command} not ready in ${timeoutMs} ms:\n${log}`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      if (ready.test(log)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${command} exited with ${code} before it was ready:\n${log}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => log,
    stop: () => stopChild(child),
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}
