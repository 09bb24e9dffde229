import { execFile, execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './private-redis'

/** A PostgreSQL cluster of a test's own, which it may stop and restart without disturbing others. */
export interface PrivatePostgres {
  port: number
  /** postgres://… of the cluster's `postgres` database (trust auth). */
  url: string
  /** Stops the server (`pg_ctl stop -m fast`: clients are cut off at once). */
  stop(): Promise<void>
  /** Starts it again on the same port and waits until it accepts connections. */
  start(): Promise<void>
  /** Stops it for good and deletes its data folder. */
  destroy(): Promise<void>
}

/**
 * The newest PostgreSQL server binaries installed the Debian way, at
 * /usr/lib/postgresql/<version>/bin (or PG_BIN); throws naming the path when there are none.
 */
export function findPostgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions.length === 0)
    throw new Error(`no PostgreSQL server binaries at ${root}/<version>/bin (or set PG_BIN)`)
  return join(root, versions[0], 'bin')
}

/**
 * `initdb` into a fresh temporary folder and starts the cluster on a free loopback port, with
 * trust auth and its socket in its own folder. PostgreSQL refuses to run as root, so as root
 * the folder goes to the `postgres` user and every command runs through `runuser`.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPostgresBin()
  const dir = mkdtempSync(join(tmpdir(), 'trellis-pg-'))
  const data = join(dir, 'data')
  const asRoot = userInfo().uid === 0
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }))
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }))
    chownSync(dir, uid, gid)
  }
  const run = async (tool: string, args: string[]) => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
      : [join(bin, tool), args]
    await promisify(execFile)(file, argv, { timeout: 120_000 })
  }
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'])
  const port = await freePort()
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`
  const pgCtl = (...args: string[]) => run('pg_ctl', ['-D', data, '-w', '-t', '60', ...args])
  const cluster: PrivatePostgres = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await pgCtl('-o', options, '-l', join(dir, 'server.log'), 'start')
    },
    async stop() {
      await pgCtl('-m', 'fast', 'stop')
    },
    async destroy() {
      try {
        await pgCtl('-m', 'immediate', 'stop')
      } catch {
        // Not running.
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
  await cluster.start()
  return cluster
}
