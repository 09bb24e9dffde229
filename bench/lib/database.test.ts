import { describe, expect, it } from 'vitest'
import { benchDbName, benchUrls } from './database'

describe('bench database urls', () => {
  it('points the bench url at trellis_bench on the admin server by default', () => {
    expect(benchUrls({})).toEqual({
      adminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      benchUrl: 'postgres://postgres@127.0.0.1:5432/trellis_bench',
    })
  })

  it('keeps credentials and query of BENCH_DATABASE_URL and uses BENCH_DB_NAME', () => {
    const env = {
      BENCH_DATABASE_URL: 'postgres://u:p@db:6543/x?sslmode=disable',
      BENCH_DB_NAME: 'b1',
    }
    expect(benchUrls(env).benchUrl).toBe('postgres://u:p@db:6543/b1?sslmode=disable')
  })

  it('refuses a database name that is not a plain identifier', () => {
    expect(() => benchDbName({ BENCH_DB_NAME: 'x; drop' })).toThrow(/plain identifier/)
  })
})
