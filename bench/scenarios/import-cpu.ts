import { processCpuMs } from '../lib/cpu'
import type { BenchEnv } from './bench-env'

/** CPU ms of the bench database's processes over a run, by whose they are. */
export interface DatabaseCpu {
  /** The import's own backends: those whose application_name is the run's. */
  own: number
  /** The server-wide writers (WAL writer, checkpointer, background writer) the writes wake. */
  writers: number
  /** Every other backend of the bench database: servers, pollers, other benches and tests. */
  others: number
}

type Kind = keyof DatabaseCpu

/**
 * Counts the CPU the bench database's processes spend from now on, sampled as it goes (an
 * import's own backend starts and ends within the run), split into the run's own backends (named
 * by `app`, its connections' application_name), the server-wide writers, and the rest. On a
 * shared machine the rest is the neighbours' work; it is shown, never charged to the import.
 */
export function countDatabaseCpu(env: BenchEnv, app: string): { stop(): Promise<DatabaseCpu> } {
  const first = new Map<number, number>()
  const last = new Map<number, number>()
  const kinds = new Map<number, Kind>()
  let started = false
  const sample = async () => {
    const rows = await env.sql<{ pid: number; kind: Kind }[]>`select pid,
        case when application_name = ${app} then 'own'
          when backend_type in ('walwriter', 'checkpointer', 'background writer') then 'writers'
          else 'others' end as kind
      from pg_stat_activity
      where (datname = current_database() and pid <> pg_backend_pid())
        or backend_type in ('walwriter', 'checkpointer', 'background writer')`
    for (const { pid, kind } of rows) {
      const ms = processCpuMs(pid)
      if (!Number.isFinite(ms)) continue
      // Processes already running count from their first reading, new ones from zero.
      if (!first.has(pid)) first.set(pid, started ? 0 : ms)
      last.set(pid, ms)
      kinds.set(pid, kind)
    }
    started = true
  }
  let pending = sample()
  const timer = setInterval(() => (pending = pending.then(sample, sample)), 100)
  return {
    async stop() {
      clearInterval(timer)
      await pending
      await sample()
      const total: DatabaseCpu = { own: 0, writers: 0, others: 0 }
      for (const [pid, ms] of last) total[kinds.get(pid)!] += ms - (first.get(pid) ?? 0)
      return total
    },
  }
}
