import { createServer, connect, type Server } from 'node:net'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb, type Db } from '../../runtime/db'
import { testTargets } from '../support/databases'

/*
 * The database handle's transactions, as every write relies on them: all or nothing, a caught
 * failure still undoes the whole, a savepoint undoes only its own work. On PostgreSQL the
 * pool gets working connections again after one died inside a transaction.
 */

const names = (db: Db) =>
  db
    .query<{ name: string }>(sql`select name from tx_probe order by name`)
    .then((rows) => rows.map((r) => r.name))
const put = (db: Db, name: string) => db.query(sql`insert into tx_probe (name) values (${name})`)

describe.each(testTargets())('transactions on $name', (target) => {
  let db: Db
  let close: () => Promise<void>

  beforeAll(async () => {
    ;({ db, close } = await target.open())
    await db.query(sql`create table tx_probe (name text primary key)`)
  })
  afterAll(() => close())

  it('keeps all of a transaction that resolves, and none of one that throws', async () => {
    await db.query(sql`delete from tx_probe`)
    await db.transaction(async (tx) => {
      await put(tx, 'a')
      await put(tx, 'b')
    })
    await expect(
      db.transaction(async (tx) => {
        await put(tx, 'c')
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')
    expect(await names(db)).toEqual(['a', 'b'])
  })

  it('undoes a transaction whose failed statement the caller caught, and throws', async () => {
    await db.query(sql`delete from tx_probe`)
    await put(db, 'taken')
    const attempt = db.transaction(async (tx) => {
      await put(tx, 'fresh')
      await put(tx, 'taken').catch(() => 'ignored')
      return 'carried on'
    })
    // PostgreSQL names the statement's failure; PGlite says the transaction was rolled back.
    await expect(attempt).rejects.toThrow(/duplicate key|rolled back/i)
    expect(await names(db)).toEqual(['taken'])
  })

  it('undoes only a savepoint that failed, nested or not, and commits the rest', async () => {
    await db.query(sql`delete from tx_probe`)
    await db.transaction(async (tx) => {
      await put(tx, 'outer')
      await expect(
        tx.savepoint(async (s) => {
          await put(s, 'inner-lost')
          await put(s, 'outer')
        }),
      ).rejects.toThrow(/duplicate key|unique/i)
      await tx.savepoint(async (s) => {
        await put(s, 'inner-kept')
        await expect(
          s.savepoint(async (deeper) => {
            await put(deeper, 'deeper-lost')
            throw new Error('refused')
          }),
        ).rejects.toThrow('refused')
      })
      await put(tx, 'after')
    })
    expect(await names(db)).toEqual(['after', 'inner-kept', 'outer'])
  })

  it('joins the outer transaction when one is nested in it', async () => {
    await db.query(sql`delete from tx_probe`)
    await expect(
      db.transaction(async (tx) => {
        await tx.transaction((inner) => put(inner, 'nested'))
        throw new Error('outer fails')
      }),
    ).rejects.toThrow('outer fails')
    expect(await names(db)).toEqual([])
  })
})

const postgresOnly = testTargets().filter((t) => t.name === 'postgres')

describe.each(postgresOnly)('transactions on $name, on the wire', () => {
  let proxy: Server
  let db: Db
  /** What the client sent, one entry per chunk the proxy received. */
  const sent: string[] = []

  beforeAll(async () => {
    const target = new URL(process.env.TEST_DATABASE_URL!)
    proxy = createServer((client) => {
      const server = connect(Number(target.port || 5432), target.hostname)
      client.on('data', (chunk) => {
        sent.push(chunk.toString('latin1'))
        server.write(chunk)
      })
      server.pipe(client)
      client.on('close', () => server.destroy())
      server.on('close', () => client.destroy())
      client.on('error', () => server.destroy())
      server.on('error', () => client.destroy())
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const port = (proxy.address() as { port: number }).port
    const url = new URL(process.env.TEST_DATABASE_URL!)
    url.hostname = '127.0.0.1'
    url.port = String(port)
    db = await openDb({ url: url.toString(), max: 1 })
    await db.query(sql`select 1`)
  })
  afterAll(async () => {
    await db.close()
    await new Promise((resolve) => proxy.close(resolve))
  })

  it('gives the pool working connections again after one died inside a transaction', async () => {
    const admin = await openDb({ url: process.env.TEST_DATABASE_URL!, max: 1 })
    try {
      const attempt = db.transaction(async (tx) => {
        const [me] = await tx.query<{ pid: number }>(sql`select pg_backend_pid() as pid`)
        await admin.query(sql`select pg_terminate_backend(${me.pid})`)
        await tx.query(sql`select 1`)
      })
      await expect(attempt).rejects.toThrow()
      // The pool holds one connection. postgres.js may fail the first statement after the loss;
      // then it connects again. A dead connection handed back as open would fail every one.
      const answers: unknown[] = []
      for (let i = 0; i < 4; i++)
        answers.push(
          await db.query<{ n: number }>(sql`select 41 + 1 as n`).then(
            (rows) => Number(rows[0].n),
            (err: Error) => err.message,
          ),
        )
      expect(answers.slice(-2)).toEqual([42, 42])
    } finally {
      await admin.close()
    }
  })
})
