import { setFlagsFromString } from 'node:v8'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import type { SQL } from 'drizzle-orm'
import postgres from 'postgres'
import type { Db, QueryOptions, Row } from './db'
import { renderQuery } from './bound-query'
import { acquireDataDirLock } from './data-dir-lock'
import * as schema from './platform-schema'

export interface OpenDbOptions {
  /** postgres://… — PostgreSQL. Without it, PGlite in `dataDir`. */
  url?: string
  /** PGlite data folder; `memory://` for a throw-away database. */
  dataDir?: string
  /** Pool size for PostgreSQL. */
  max?: number
  /** PGlite: start from a data folder dumped by `PGlite.dumpDataDir` instead of a new one. */
  loadDataDir?: Blob
  /**
   * PGlite: compile its WebAssembly with V8's baseline compiler only (see `leanWasm`). For a
   * long-running server: about 60 MB less memory, and heavy statements up to twice as slow.
   */
  leanWasm?: boolean
}


/** Opens PGlite or PostgreSQL behind the same `Db` interface. */
export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.url) return openPostgres(options.url, options.max ?? 10)
  if (options.leanWasm) leanWasm()
  return openPglite(options.dataDir ?? 'memory://', options.loadDataDir)
}

/**
 * Keeps V8 from compiling PGlite's WebAssembly a second time with its optimising compiler. By
 * default V8 compiles every function with its baseline compiler and then the hot ones again, and
 * an idle server keeps both codes, plus the compiler's freed memory, resident: about 60 MB of
 * the embedded server's 250. Short statements run as fast either way; scans and aggregates over
 * many rows take up to twice as long. Process-wide, and only for modules compiled after it.
 */
export function leanWasm(): void {
  setFlagsFromString('--liftoff-only')
}

async function openPostgres(url: string, max: number): Promise<Db> {
  const client = postgres(url, {
    max,
    onnotice: () => {},
  })
  const rootOrm = drizzlePostgres({ client, schema })
  const database = {}
  const wrap = (sqlClient: postgres.Sql, tx: Committing | null): Db => {
    let orm = tx ? undefined : rootOrm
    return {
      dialect: 'postgres',
      database,
      // A transaction handle lacks `options`; drizzle only reads the parsers from it.
      get orm() {
        orm ??= drizzlePostgres({
          client: Object.assign(sqlClient, { options: client.options }),
          schema,
        })
        return orm
      },
      async query<T = Row>(q: SQL, options?: QueryOptions) {
        const { sql: text, params } = renderQuery(q)
        return (await sqlClient.unsafe(text, params as never[], {
          prepare: options?.prepare ?? true,
        })) as unknown as T[]
      },
      async listen(channel, onPayload) {
        const { unlisten } = await client.listen(channel, onPayload)
        return unlisten
      },
      async notify(channel, payload) {
        await sqlClient.unsafe('select pg_notify($1, $2)', [channel, payload])
      },
      async transaction<T>(fn: (tx: Db) => Promise<T>) {
        if (tx) return fn(wrap(sqlClient, tx))
        const committing = new Committing()
        const done = (await client.begin((t) =>
          fn(wrap(t as unknown as postgres.Sql, committing)),
        )) as T
        committing.committed(root)
        return done
      },
      async savepoint<T>(fn: (tx: Db) => Promise<T>) {
        if (!tx) return this.transaction(fn)
        // postgres.js fails a whole transaction on any failed query unless it ran in its own
        // savepoint scope, even when the caller caught the error.
        const scope = sqlClient as unknown as postgres.TransactionSql
        return (await scope.savepoint((s) => fn(wrap(s as unknown as postgres.Sql, tx)))) as T
      },
      afterCommit(fn) {
        if (tx) tx.add(fn)
        else runAfterCommit(fn, root)
      },
      close: () => client.end({ timeout: 5 }),
    }
  }
  const root = wrap(client, null)
  return root
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Db> {
  const release = dataDir.startsWith('memory://') ? () => {} : acquireDataDirLock(dataDir)
  let pg: PGlite
  try {
    // PGlite lives in this process's memory: a small buffer pool keeps an idle server lean, and
    // the operating system's file cache still holds the hot pages. pg_trgm backs the trigram
    // indexes search uses (the platform migrations create the extension).
    pg = await PGlite.create(dataDir, {
      postgresqlconf: ['shared_buffers=16MB'],
      extensions: { pg_trgm },
      loadDataDir,
    })
  } catch (err) {
    release()
    throw err
  }
  type Queryable = Pick<PGlite, 'query'>
  // PGlite runs each statement synchronously on this thread, and a chain of awaited statements
  // resumes through microtasks only: a long chain (a backlog of events after the demo install)
  // would hold off every request, the accept included. Every 20 ms of such a chain, one turn of
  // the event loop lets I/O in.
  let lastTurn = performance.now()
  const letIoIn = async () => {
    if (performance.now() - lastTurn < 20) return
    await new Promise((resolve) => setImmediate(resolve))
    lastTurn = performance.now()
  }
  const database = {}
  const wrap = (client: Queryable, tx: Committing | null): Db => {
    let orm: Db['orm'] | undefined
    return {
      dialect: 'pglite',
      database,
      get orm() {
        orm ??= drizzlePglite({ client: client as PGlite, schema })
        return orm
      },
      async query<T = Row>(q: SQL) {
        const { sql: text, params } = renderQuery(q)
        await letIoIn()
        return (await client.query<T>(text, params)).rows
      },
      async listen(channel, onPayload) {
        const unlisten = await pg.listen(channel, onPayload)
        return () => unlisten()
      },
      async notify(channel, payload) {
        await client.query('select pg_notify($1, $2)', [channel, payload])
      },
      async transaction<T>(fn: (tx: Db) => Promise<T>) {
        if (tx) return fn(wrap(client, tx))
        const committing = new Committing()
        const done = await pg.transaction((t) => fn(wrap(t as unknown as Queryable, committing)))
        committing.committed(root)
        return done
      },
      async savepoint<T>(fn: (tx: Db) => Promise<T>) {
        if (!tx) return this.transaction(fn)
        await client.query('savepoint trellis_item')
        try {
          const done = await fn(wrap(client, tx))
          await client.query('release savepoint trellis_item')
          return done
        } catch (err) {
          await client.query('rollback to savepoint trellis_item')
          await client.query('release savepoint trellis_item')
          throw err
        }
      },
      afterCommit(fn) {
        if (tx) tx.add(fn)
        else runAfterCommit(fn, root)
      },
      async close() {
        await pg.close()
        release()
      },
    }
  }
  const root = wrap(pg, null)
  return root
}

/** The work one transaction leaves for after its commit (see `Db.afterCommit`). */
class Committing {
  private readonly after: ((db: Db) => void)[] = []
  add(fn: (db: Db) => void): void {
    this.after.push(fn)
  }
  committed(root: Db): void {
    for (const fn of this.after.splice(0)) runAfterCommit(fn, root)
  }
}

/** Runs one after-commit callback; its failure cannot undo the commit, so it is only reported. */
function runAfterCommit(fn: (db: Db) => void, root: Db): void {
  try {
    fn(root)
  } catch (err) {
    process.emitWarning(`after-commit work failed: ${(err as Error).message}`)
  }
}
