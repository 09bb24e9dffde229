import { execFile, execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startOnFreePort } from './free-port'

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
 * `initdb` into a fresh temporary folder and starts the cluster on a free loopback port (another
 * one when someone takes the port first), with trust auth and its socket in its own folder.
 * PostgreSQL refuses to run as root, so as root the folder goes to the `postgres` user and every
 * command runs through `runuser`.
 * @example const pg = await startPrivatePostgres(); await pg.stop(); await pg.start()
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
  const log = join(dir, 'server.log')
  const pgCtl = (...args: string[]) => run('pg_ctl', ['-D', data, '-w', '-t', '60', ...args])
  const readLog = () => (existsSync(log) ? readFileSync(log, 'utf8') : '')
  let logBefore = 0
  const startOn = (port: number) => {
    logBefore = readLog().length
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`
    return pgCtl('-o', options, '-l', log, 'start')
  }
  // The server writes why it stopped to its log; pg_ctl only says it could not start.
  const isBindFailure = () =>
    /could not bind|could not create any TCP\/IP sockets/.test(readLog().slice(logBefore))
  const port = await startOnFreePort(startOn, isBindFailure)
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => startOn(port),
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
}
