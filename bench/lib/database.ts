import postgres from 'postgres'

/** Where the bench creates its database: BENCH_DATABASE_URL names the server (any database on it). */
export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

/** The bench database's name (BENCH_DB_NAME, default `trellis_bench`). */
export function benchDbName(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.BENCH_DB_NAME ?? 'trellis_bench'
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`BENCH_DB_NAME '${name}' is not a plain identifier`)
  return name
}

/** The admin URL (to create/drop the bench database) and the bench database's own URL. */
export function benchUrls(env: NodeJS.ProcessEnv = process.env): {
  adminUrl: string
  benchUrl: string
} {
  const adminUrl = env.BENCH_DATABASE_URL ?? DEFAULT_ADMIN_URL
  const url = new URL(adminUrl)
  url.pathname = `/${benchDbName(env)}`
  return { adminUrl, benchUrl: url.toString() }
}

/** A small postgres.js pool for the bench's own queries (never on the measured path). */
export function openSql(url: string, max = 2): postgres.Sql {
  return postgres(url, { max, onnotice: () => {} })
}
