import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { ROOT, tail } from './run-cli'

/** A server the bench started: its pid, base URL, how long it took to say it listens. */
export interface Started {
  name: string
  pid: number
  url: string
  startMs: number
  stop(): Promise<void>
  output(): string
}

const running = new Set<ChildProcess>()

function killAll(): void {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL')
}

process.on('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll()
    process.exit(130)
  })
}

/**
 * Spawns `node <args>` in the repository and resolves once stdout matches `ready`; rejects with
 * the process' output when it exits or `timeoutMs` passes first. Killed when the bench exits.
 */
export function startServer(opts: {
  name: string
  args: string[]
  env: NodeJS.ProcessEnv
  port: number
  ready: RegExp
  timeoutMs?: number
}): Promise<Started> {
  const t0 = performance.now()
  const child = spawn(process.execPath, opts.args, {
    cwd: ROOT,
    env: { ...process.env, ...opts.env, PORT: String(opts.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d))
  child.stderr!.on('data', (d: Buffer) => (out += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000)
      await exited
      clearTimeout(timer)
    }
    running.delete(child)
  }
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearInterval(poll)
      clearTimeout(timer)
      void stop().then(() =>
        reject(new Error(`${opts.name} ${why}. Its output:\n${tail(out, 30)}`)),
      )
    }
    const poll = setInterval(() => {
      if (!opts.ready.test(out)) return
      clearInterval(poll)
      clearTimeout(timer)
      resolve({
        name: opts.name,
        pid: child.pid!,
        url: `http://127.0.0.1:${opts.port}`,
        startMs: performance.now() - t0,
        stop,
        output: () => out,
      })
    }, 5)
    const timer = setTimeout(
      () => fail(`did not start within ${(opts.timeoutMs ?? 60_000) / 1000} s`),
      opts.timeoutMs ?? 60_000,
    )
    child.once('exit', (code, signal) => {
      if (!opts.ready.test(out)) fail(`exited (${signal ?? `code ${code}`}) before listening`)
    })
  })
}

/** Resident set size of a process in MB (Linux /proc), or NaN when unreadable. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1])
    return kb / 1024
  } catch {
    return Number.NaN
  }
}
