import type { SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type * as schema from './platform-schema'

export type Row = Record<string, unknown>

/** How one query runs. */
export interface QueryOptions {
  /**
   * false: planned with this call's values every time (PostgreSQL: an unnamed statement), for a
   * statement whose best plan depends on its values, like a search pattern. A prepared statement
   * may settle on one generic plan for every value. Default true; PGlite always plans afresh.
   */
  prepare?: boolean
}

/**
 * The one database handle the runtime uses, on PGlite or PostgreSQL alike.
 * `query` runs a drizzle `sql` template (values are always parameters);
 * `orm` is drizzle's builder over the platform tables, bound to the same transaction.
 */
export interface Db {
  readonly dialect: 'pglite' | 'postgres'
  /**
   * The opened database's identity: one object shared by the handle and every transaction on it,
   * for per-database caches (a WeakMap key).
   */
  readonly database: object
  readonly orm: PgDatabase<PgQueryResultHKT, typeof schema>
  query<T = Row>(query: SQL, options?: QueryOptions): Promise<T[]>
  /**
   * Subscribes to NOTIFY on `channel` (a dedicated connection on PostgreSQL, re-established after
   * a reconnect); resolves to an unsubscribe function.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>
  /** Sends a NOTIFY; inside a transaction it is delivered on commit. */
  notify(channel: string, payload: string): Promise<void>
  /** Runs `fn` in one transaction; nested calls join the outer one. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>
  /**
   * Inside a transaction: runs `fn` under a savepoint, so that when it throws only its own work
   * is undone and the transaction goes on (the error passes on to the caller). Outside one: a
   * transaction of its own. For one item of a batch that may be refused, like an imported row.
   */
  savepoint<T>(fn: (tx: Db) => Promise<T>): Promise<T>
  /**
   * Runs `fn` once the current transaction has committed (never when it rolls back); outside a
   * transaction, at once. `fn` gets the handle outside any transaction. For work that must not
   * hold a commit up, like announcing notices: a NOTIFY sent inside a transaction serialises
   * every notifying commit in the database behind one lock, WAL flush included.
   */
  afterCommit(fn: (db: Db) => void): void
  close(): Promise<void>
}
