import { readFileSync } from 'node:fs'
import type postgres from 'postgres'

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100

/** CPU time a process (all its threads) has used, in ms; NaN when it cannot be read. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces) start at state; utime and stime are
    // the 14th and 15th fields of the line.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return Number.NaN
  }
}

/**
 * The PostgreSQL processes that work for the bench database: its client backends and the
 * server-wide writers (WAL writer, checkpointer, background writer), whose work the bench's
 * writes cause. Other databases' backends (tests running beside the bench) are left out.
 */
export async function databasePids(sql: postgres.Sql): Promise<number[]> {
  const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity
    where (datname = current_database() and pid <> pg_backend_pid())
      or backend_type in ('walwriter', 'checkpointer', 'background writer')`
  return rows.map((r) => r.pid)
}

/** CPU ms a run cost, per request: the server's process and the database's. */
export interface CpuPerRequest {
  server: number
  database: number
}

/**
 * Starts counting the CPU of a server process and of the bench database's processes; the
 * answered function takes the run's request count and answers ms per request of each. Backends
 * that start during the run are counted from zero, those that end are counted to their last read.
 */
export async function startCpuCount(
  sql: postgres.Sql,
  serverPid: number,
): Promise<(requests: number) => Promise<CpuPerRequest>> {
  const server0 = processCpuMs(serverPid)
  const before = new Map((await databasePids(sql)).map((pid) => [pid, processCpuMs(pid)]))
  return async (requests) => {
    const pids = new Set([...before.keys(), ...(await databasePids(sql))])
    let database = 0
    for (const pid of pids) {
      const now = processCpuMs(pid)
      if (Number.isFinite(now)) database += now - (before.get(pid) ?? 0)
    }
    const per = (ms: number) => (requests > 0 ? ms / requests : Number.NaN)
    return { server: per(processCpuMs(serverPid) - server0), database: per(database) }
  }
}
