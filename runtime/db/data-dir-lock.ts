import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { isLockHolderAlive, readBootId, readStartTime, type LockHolder } from './lock-holder'

const LOCK = 'trellis.lock'
// A takeover marker older than this was left by a starter that died mid-takeover.
const MARKER_STALE_MS = 10_000

/**
 * PGlite is one process on one folder. The lock file names its holder by pid, process start
 * time, boot id and a random token, so a live process that merely reuses the pid (after a
 * container restart or a reboot) is not mistaken for the holder. A live holder is refused; a
 * stale lock is taken over, by exactly one of several starters racing for it.
 * @example const release = acquireDataDirLock('./data')
 */
export function acquireDataDirLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, LOCK)
  const me: LockHolder = {
    pid: process.pid,
    startTime: readStartTime(process.pid),
    bootId: readBootId(),
    hostname: hostname(),
    token: randomBytes(12).toString('hex'),
  }
  // Long enough to outwait a takeover marker a crashed starter left behind.
  const deadline = Date.now() + MARKER_STALE_MS + 2_000
  while (Date.now() < deadline) {
    if (createLock(dataDir, file, me)) return releaser(file, me.token)
    const holder = readLock(file)
    if (!holder) continue
    if (holder.pid !== process.pid && isLockHolderAlive(holder)) {
      throw new Error(
        `The data folder ${dataDir} is in use by another Trellis process (pid ${holder.pid} on ` +
          `${holder.hostname ?? 'this host'}). PGlite serves one process: stop that one, or set ` +
          'TRELLIS_DATA_DIR to another folder, or use DATABASE_URL for PostgreSQL.',
      )
    }
    // Another starter may be taking it over right now: give it a moment before looking again.
    if (!removeStaleLock(dataDir, holder.token)) sleepSync(20)
  }
  throw new Error(`Could not lock the data folder ${dataDir}`)
}

/** Creates the lock with our content in one step (a hard link fails when it exists). */
function createLock(dataDir: string, file: string, me: LockHolder): boolean {
  const temp = join(dataDir, `${LOCK}.new-${me.token}`)
  writeFileSync(temp, JSON.stringify(me))
  try {
    linkSync(temp, file)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return false
  } finally {
    rmSync(temp, { force: true })
  }
}

/** The holder a lock file names; an older file holds only a pid. Null when it is gone. */
function readLock(file: string): LockHolder | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  if (/^\s*\d+\s*$/.test(text)) return { pid: Number(text), token: `pid-only:${text.trim()}` }
  try {
    const value = JSON.parse(text) as LockHolder
    if (Number.isInteger(value.pid) && typeof value.token === 'string') return value
  } catch {
    // Not ours: fall through to the error below.
  }
  throw new Error(`The lock file ${file} is not a Trellis lock: remove it if no Trellis runs`)
}

/**
 * Removes the stale lock of `dataDir` whose token is `token` (exported for the race test). A marker file named after that token, created
 * exclusively, lets one starter at a time do it; the token is checked again under the marker, so
 * a lock another starter has meanwhile created is never removed.
 */
export function removeStaleLock(dataDir: string, token: string): boolean {
  const file = join(dataDir, LOCK)
  const marker = join(dataDir, `${LOCK}.takeover-${token.replace(/[^\w-]/g, '_')}`)
  try {
    writeFileSync(marker, String(process.pid), { flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    const at = statSync(marker, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()
    if (Date.now() - at > MARKER_STALE_MS) rmSync(marker, { force: true })
    return false
  }
  try {
    if (readLock(file)?.token === token) rmSync(file, { force: true })
  } finally {
    rmSync(marker, { force: true })
  }
  return true
}

/** Blocks for `ms`: the lock is taken at start-up, before anything else runs. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/** Removes the lock on release or exit, unless another process has taken it over meanwhile. */
function releaser(file: string, token: string): () => void {
  let released = false
  const release = () => {
    if (released) return
    released = true
    try {
      if (readLock(file)?.token === token) rmSync(file, { force: true })
    } catch {
      // A lock file that is no longer ours (or no lock at all) is left alone.
    }
  }
  process.once('exit', release)
  return release
}
