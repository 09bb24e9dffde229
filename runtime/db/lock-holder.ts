import { readFileSync } from 'node:fs'

/** Who holds a data folder lock; files written before the start time was recorded hold a pid. */
export interface LockHolder {
  pid: number
  /** Start of the process in clock ticks since boot (/proc/<pid>/stat), null where unknown. */
  startTime?: string | null
  /** The kernel's boot id: a pid from another boot is another process. */
  bootId?: string | null
  hostname?: string
  /** Random per holder: tells two locks with the same pid apart. */
  token: string
}

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

/** The start time of a process (Linux), null where /proc does not tell. */
export function readStartTime(pid: number): string | null {
  const stat = readProc(`/proc/${pid}/stat`)
  if (!stat) return null
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return fields[19] ?? null
}

/** The id of the running kernel's boot (Linux), null elsewhere. */
export function readBootId(): string | null {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim() || null
}

function isPidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * False only when the holder is provably gone: another boot, no process with its pid, or a
 * process with its pid that started at another time (or, for a pid-only file, is no Node process).
 * When nothing can be proven the holder counts as alive.
 */
export function isLockHolderAlive(holder: LockHolder): boolean {
  const bootId = readBootId()
  if (holder.bootId && bootId && holder.bootId !== bootId) return false
  if (!Number.isInteger(holder.pid) || holder.pid <= 0 || !isPidRunning(holder.pid)) return false
  const startTime = readStartTime(holder.pid)
  if (holder.startTime && startTime) return holder.startTime === startTime
  if (holder.startTime === undefined) {
    // A pid-only lock: the pid is alive, but a process that is not Node cannot be Trellis.
    const cmdline = readProc(`/proc/${holder.pid}/cmdline`)
    if (cmdline !== null && !/(^|\/)(node|nodejs|trellis)[^/\0]*\0/.test(cmdline)) return false
  }
  return true
}
