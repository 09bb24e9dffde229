import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

/** Lowest port tests pick from; the highest is just below the OS's ephemeral range. */
const LOWEST = 20_000

/**
 * The ports the OS hands out to outgoing connections (Linux's ip_local_port_range), or the
 * IANA range where that file is missing.
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number)
    if (low > 0 && high >= low) return [low, high]
  } catch {
    // Not Linux.
  }
  return [49_152, 65_535]
}

/** Whether nobody listens on loopback `port` (it binds and lets go at once). */
async function isFree(port: number): Promise<boolean> {
  const probe = createServer()
  probe.once('error', () => {})
  probe.listen(port, '127.0.0.1')
  const [event] = await Promise.race([once(probe, 'listening'), once(probe, 'error')])
  if (event instanceof Error) return false
  probe.close()
  await once(probe, 'close')
  return true
}

/**
 * A free loopback port below the ephemeral range, so a server a test stops and starts again
 * finds it still free: an outgoing connection never takes it in between, as it could take a
 * port the OS chose with `listen(0)`.
 * @example const port = await freePort() // e.g. 27311
 */
export async function freePort(): Promise<number> {
  const [low] = ephemeralRange()
  const lowest = low - LOWEST >= 1000 ? LOWEST : 1024
  for (let tries = 0; tries < 100; tries++) {
    const port = lowest + Math.floor(Math.random() * (low - lowest))
    if (await isFree(port)) return port
  }
  throw new Error(`no free port between ${lowest} and ${low - 1}`)
}

/**
 * Runs `start(port)` on a free port and answers the port; when it fails because another process
 * took the port in between (`isBindFailure(error)`), tries another port, up to `attempts` times.
 * @example const port = await startOnFreePort((p) => spawnServer(p), isAddressInUse)
 */
export async function startOnFreePort(
  start: (port: number) => Promise<void>,
  isBindFailure: (error: unknown) => boolean,
  attempts = 5,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    try {
      await start(port)
      return port
    } catch (err) {
      if (attempt >= attempts || !isBindFailure(err)) throw err
    }
  }
}
