import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from './db'
import { openDb } from './open'

describe('PGlite behind the Db interface', () => {
  let db: Db
  // Starting PGlite compiles its WebAssembly: seconds beside other test files on two cores.
  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory://' })
  }, 60_000)
  afterAll(() => db?.close())

  it('lets the event loop turn during a long chain of statements', async () => {
    // A timer set before the chain stands for a request waiting to be accepted.
    let timerFiredAt = -1
    let done = 0
    setTimeout(() => (timerFiredAt = done), 0)
    const started = performance.now()
    while (performance.now() - started < 300) {
      await db.query(sql`select 1`)
      done++
    }
    // Without the turns the timer fires only once the whole chain is over.
    expect(timerFiredAt).toBeGreaterThanOrEqual(0)
    expect(timerFiredAt).toBeLessThan(done)
  })
})
