import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { startOnFreePort } from './free-port'

/** A Redis server of a test's own, which it may stop and start without disturbing others. */
export interface PrivateRedis {
  port: number
  /** Starts the server (again) on the same port; resolves once it answers. */
  start(): Promise<void>
  /** Kills the server (SIGKILL, as a crash would); resolves once it has exited. */
  stop(): Promise<void>
  /** Stops it for good and deletes what it kept on disk. */
  destroy(): Promise<void>
}

/**
 * Starts `redis-server` on a free loopback port (another one when someone takes the port first),
 * without persistence; `durable` keeps every acknowledged write in an append-only file (fsync on
 * each), as a production Redis for BullMQ is set up, so a server killed and started again still
 * holds its jobs.
 * @example const redis = await startPrivateRedis({ durable: true }); await redis.stop()
 */
export async function startPrivateRedis(
  options: { durable?: boolean } = {},
): Promise<PrivateRedis> {
  const dir = options.durable ? mkdtempSync(join(tmpdir(), 'trellis-redis-')) : null
  const persistence = dir
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]
    : ['--appendonly', 'no']
  let child: ChildProcess | null = null
  const launch = async (port: number) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence]
    const spawned = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child = spawned
    let log = ''
    spawned.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()))
    spawned.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
    try {
      await waitForOwnPing(port, spawned)
    } catch (err) {
      child = null
      if (spawned.exitCode === null) spawned.kill('SIGKILL')
      throw new Error(`redis-server on port ${port}: ${(err as Error).message}\n${log}`)
    }
  }
  const redis: PrivateRedis = {
    port: 0,
    async start() {
      if (!child) await launch(redis.port)
    },
    async stop() {
      const running = child
      child = null
      if (!running || running.exitCode !== null) return
      const exited = once(running, 'exit')
      running.kill('SIGKILL')
      await exited
    },
    async destroy() {
      await redis.stop()
      if (dir) rmSync(dir, { recursive: true, force: true })
    },
  }
  redis.port = await startOnFreePort(launch, (err) => /address already in use/i.test(String(err)))
  return redis
}

/**
 * Waits until `server` answers on `port`, checking it is that process answering and not one
 * that holds the port; throws once `server` has exited or after 10 s.
 */
async function waitForOwnPing(port: number, server: ChildProcess) {
  const end = Date.now() + 10_000
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null)
      throw new Error(`exited with ${server.exitCode ?? server.signalCode} before it answered`)
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => null,
    })
    client.on('error', () => {})
    try {
      await client.connect()
      const info = await client.info('server')
      if (new RegExp(`^process_id:${server.pid}\\r?$`, 'm').test(info)) return
      if (Date.now() > end) throw new Error(`another process answers on port ${port}`)
    } catch (err) {
      if (Date.now() > end) throw err
    } finally {
      client.disconnect()
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}
