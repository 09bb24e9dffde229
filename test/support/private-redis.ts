import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'

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
 * Starts `redis-server` on a free loopback port, without persistence; `durable` keeps every
 * acknowledged write in an append-only file (fsync on each), as a production Redis for BullMQ is
 * set up, so a server killed and started again still holds its jobs.
 */
export async function startPrivateRedis(
  options: { durable?: boolean } = {},
): Promise<PrivateRedis> {
  const port = await freePort()
  const dir = options.durable ? mkdtempSync(join(tmpdir(), 'trellis-redis-')) : null
  const persistence = dir
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]
    : ['--appendonly', 'no']
  let child: ChildProcess | null = null
  const redis: PrivateRedis = {
    port,
    async start() {
      if (child) return
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence]
      child = spawn('redis-server', args, { stdio: 'ignore' })
      await waitForPing(port)
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
  await redis.start()
  return redis
}

/** Asks the OS for a loopback port nobody listens on. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

async function waitForPing(port: number) {
  const end = Date.now() + 10_000
  for (;;) {
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => null,
    })
    client.on('error', () => {})
    try {
      await client.connect()
      if ((await client.ping()) === 'PONG') return
    } catch (err) {
      if (Date.now() > end) throw err
    } finally {
      client.disconnect()
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}
