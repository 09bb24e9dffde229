import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'

const url = process.env.TEST_DATABASE_URL

// postgres.js 3.4.9 writes a small message from a setImmediate; when the connection closed in
// between, that write met a null socket and threw an uncaught TypeError that ended the process
// (porsager/postgres#1154, #1208). bin/patch-postgres.mjs guards it: the query is refused instead.
describe.runIf(url)('the PostgreSQL driver when its backend dies', () => {
  const sql = postgres(url!, { max: 2, onnotice: () => {} })
  const admin = postgres(url!, { max: 1, onnotice: () => {} })
  afterAll(async () => {
    await sql.end({ timeout: 1 }).catch(() => {})
    await admin.end({ timeout: 1 })
  })

  it('refuses a query on a connection whose backend was terminated, and the process lives on', async () => {
    const reserved = await sql.reserve()
    const [{ pid }] = await reserved`select pg_backend_pid() as pid`
    await admin`select pg_terminate_backend(${pid})`
    await new Promise((r) => setTimeout(r, 100))
    const outcomes = await Promise.allSettled([reserved`select 1`, reserved`select 2`])
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason.code)).toEqual([
      'CONNECTION_CLOSED',
      'CONNECTION_CLOSED',
    ])
    // Still here: the failure was the queries', not the process's.
    expect(await admin`select 3 as n`).toEqual([{ n: 3 }])
  })
})
