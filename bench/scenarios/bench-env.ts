import type postgres from 'postgres'
import type { BenchArgs } from '../lib/args'
import type { ResultRow } from '../lib/report'
import type { Started } from '../lib/servers'

/** What every scenario gets: options, the servers, a token both accept, a SQL pool for checks. */
export interface BenchEnv {
  args: BenchArgs
  sql: postgres.Sql
  benchUrl: string
  token: string
  /** Null when Trellis did not start: scenarios then measure the references alone. */
  trellis: Started | null
  baseline: Started
  bare: Started
  log: (line: string) => void
}

/** A scenario: runs its measurements and answers its table rows. */
export type Scenario = (env: BenchEnv) => Promise<ResultRow[]>
