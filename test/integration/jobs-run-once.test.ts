import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../runtime/db'
import { BadRequestError } from '../../runtime/errors'
import { runOnce } from '../../runtime/jobs'
import { testTargets, type TestTarget } from '../support/databases'

describe.each(testTargets())('runOnce on $name', (target: TestTarget) => {
  let db: Db
  let close: () => Promise<void>
  beforeAll(async () => {
    ;({ db, close } = await target.open())
    await db.query(sql`create table effect_log (key text not null, n int not null)`)
  })
  afterAll(() => close?.())

  const effects = async (key: string) =>
    (
      await db.query<{ n: number }>(sql`select n from effect_log where key = ${key} order by n`)
    ).map((r) => r.n)

  it('runs the effect, records its key with it and returns its value', async () => {
    const result = await runOnce(db, 'once-a', 'test', async (tx) => {
      await tx.query(sql`insert into effect_log (key, n) values ('once-a', 1)`)
      return 'value'
    })
    expect(result).toEqual({ done: true, value: 'value' })
    expect(await effects('once-a')).toEqual([1])
    const [row] = await db.query(sql`select job from job_effects where key = 'once-a'`)
    expect(row).toEqual({ job: 'test' })
  })

  it('skips the effect when its key is done already', async () => {
    await runOnce(db, 'once-b', 'test', (tx) =>
      tx.query(sql`insert into effect_log (key, n) values ('once-b', 1)`),
    )
    let ran = false
    const again = await runOnce(db, 'once-b', 'test', async (tx) => {
      ran = true
      await tx.query(sql`insert into effect_log (key, n) values ('once-b', 2)`)
    })
    expect(again).toEqual({ done: false })
    expect(ran).toBe(false)
    expect(await effects('once-b')).toEqual([1])
  })

  it('keeps neither the key nor the writes of an effect that fails, so a retry runs it', async () => {
    const failing = runOnce(db, 'once-c', 'test', async (tx) => {
      await tx.query(sql`insert into effect_log (key, n) values ('once-c', 1)`)
      throw new Error('mail server away')
    })
    await expect(failing).rejects.toThrow('mail server away')
    expect(await effects('once-c')).toEqual([])
    const retry = await runOnce(db, 'once-c', 'test', (tx) =>
      tx.query(sql`insert into effect_log (key, n) values ('once-c', 2)`).then(() => 2),
    )
    expect(retry).toEqual({ done: true, value: 2 })
    expect(await effects('once-c')).toEqual([2])
  })

  it('lets exactly one of 50 simultaneous callers with one key run the effect', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        runOnce(db, 'once-race', 'test', async (tx) => {
          await tx.query(sql`insert into effect_log (key, n) values ('once-race', ${i})`)
          await tx.query(sql`select pg_sleep(0.01)`) // widen the window for a second runner
          return i
        }),
      ),
    )
    const done = results.filter((r) => r.done)
    expect(done).toHaveLength(1)
    expect(await effects('once-race')).toEqual([(done[0] as { value: number }).value])
  })

  it('lets one of two racing callers run when the first one fails', async () => {
    let first = true
    const results = await Promise.allSettled(
      [0, 1].map((i) =>
        runOnce(db, 'once-fail-race', 'test', async (tx) => {
          await tx.query(sql`insert into effect_log (key, n) values ('once-fail-race', ${i})`)
          await tx.query(sql`select pg_sleep(0.05)`)
          if (first) {
            first = false
            throw new Error('first failed')
          }
          return i
        }),
      ),
    )
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(await effects('once-fail-race')).toHaveLength(1)
  })

  it('refuses an empty key, naming it', async () => {
    const err = await runOnce(db, '', 'test', async () => 1).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BadRequestError)
    expect((err as BadRequestError).details).toEqual([
      { path: 'key', message: 'must be a non-empty string' },
    ])
  })
})
