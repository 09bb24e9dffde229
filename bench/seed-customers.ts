// Creates (or reuses) the bench database: platform tables, the four modules, a bench admin, the
// demo organisation, N customers (owned by the sales people) with related contacts and
// opportunities. Run: npx tsx bench/seed-customers.ts --rows 100000
import { parseArgs } from 'node:util'
import type postgres from 'postgres'
import { benchDbName, benchUrls, openSql } from './lib/database'
import { createDemoOrganisation, weightedOwners } from './seed/demo-org'
import { BENCH_USER, installModules } from './seed/install-modules'
import { dropTrigramIndexes, restoreIndexes } from './seed/trigram-indexes'
import {
  buildBulkInsert,
  CONTACT_COLUMNS,
  CUSTOMER_COLUMNS,
  OPPORTUNITY_COLUMNS,
} from './seed/generators'

export { BENCH_USER }

const BATCH = 100_000
const OWNER_COUNT = 8
/** Bumped whenever the seeded data changes shape: an older bench database is seeded again. */
export const SEED_VERSION = 2

export interface SeedResult {
  benchUrl: string
  rows: number
  reused: boolean
  installedWith: 'cli' | 'runtime' | 'existing'
  seconds: number
}

async function seededRows(benchUrl: string): Promise<number | null> {
  const sql = openSql(benchUrl, 1)
  try {
    const [info] =
      await sql`select rows from bench.seed_info where complete and version = ${SEED_VERSION}`
    return info ? Number(info.rows) : null
  } catch {
    return null
  } finally {
    await sql.end()
  }
}

async function tableColumns(sql: postgres.Sql, table: string) {
  const rows = await sql`
    select column_name, is_nullable = 'NO' and column_default is null as required
    from information_schema.columns where table_schema = 'app' and table_name = ${table}`
  return rows.map((r) => ({ name: String(r.column_name), required: Boolean(r.required) }))
}

/**
 * Owner users for the records the create scenario adds (they cannot sign in: the hash is not a
 * password hash). The seeded customers belong to the demo organisation's sales people.
 */
async function ensureOwners(sql: postgres.Sql): Promise<string[]> {
  for (let i = 1; i <= OWNER_COUNT; i++) {
    await sql`insert into users (username, display_name, password_hash)
      values (${`owner${i}`}, ${`Owner ${i}`}, 'not-a-login') on conflict do nothing`
  }
  const rows = await sql`select id from users where username like 'owner%' order by username`
  return rows.map((r) => String(r.id))
}

async function bulkCustomers(
  sql: postgres.Sql,
  rows: number,
  owners: string[],
  log: (l: string) => void,
) {
  const cols = await tableColumns(sql, 'customer')
  if (!cols.length) throw new Error('app.customer does not exist: publishing the seeds failed')
  const insert = buildBulkInsert(
    'customer',
    CUSTOMER_COLUMNS,
    cols,
    'generate_series($1::bigint, $2::bigint) n',
  )
  for (let start = 1; start <= rows; start += BATCH) {
    const end = Math.min(rows, start + BATCH - 1)
    await sql.unsafe(insert, [start, end, owners])
    log(`  customers ${end.toLocaleString('en')} / ${rows.toLocaleString('en')}`)
  }
}

/** Every 10th customer gets 3 contacts and 2 opportunities; every 100th 8 contacts (more than 5). */
async function bulkRelated(
  sql: postgres.Sql,
  rows: number,
  owners: string[],
  log: (l: string) => void,
) {
  const related: [string, Record<string, string>, string][] = [
    ['contact', CONTACT_COLUMNS, `case when n % 100 = 0 then 8 else 3 end`],
    ['opportunity', OPPORTUNITY_COLUMNS, '2'],
  ]
  for (const [table, generators, perCustomer] of related) {
    const cols = await tableColumns(sql, table)
    if (!cols.length) {
      log(`  app.${table} missing: no ${table} rows`)
      continue
    }
    const from = `generate_series($1::bigint, $2::bigint) n cross join lateral generate_series(1, ${perCustomer}) k where n % 10 = 0`
    const insert = buildBulkInsert(table, generators, cols, from)
    for (let start = 1; start <= rows; start += BATCH * 2) {
      await sql.unsafe(insert, [start, Math.min(rows, start + BATCH * 2 - 1), owners])
    }
    const [{ count }] = await sql`select count(*)::int as count from ${sql(`app.${table}`)}`
    log(`  ${table}: ${Number(count).toLocaleString('en')} rows`)
  }
}

/** Auto-number continues after the seeded codes, so created customers get fresh numbers. */
async function bumpAutoNumber(sql: postgres.Sql, rows: number) {
  await sql`insert into auto_numbers (entity, field, period, value) values ('customer', 'code', '', ${rows})
    on conflict (entity, field, period) do update set value = greatest(auto_numbers.value, excluded.value)`.catch(
    () => {},
  )
  // CUS-{#####} has no date token: its numbers come from a sequence (created at install).
  await sql`select setval(s, ${rows}) from to_regclass('app.customer_code_seq') s where s is not null`
}

/**
 * The bench database with `rows` customers: reused when a complete seed of that size exists,
 * else dropped, created, installed and bulk-loaded (then VACUUM ANALYZE).
 */
export async function ensureSeeded(
  rows: number,
  log: (line: string) => void = console.log,
): Promise<SeedResult> {
  const started = Date.now()
  const { adminUrl, benchUrl } = benchUrls()
  const name = benchDbName()
  if ((await seededRows(benchUrl)) === rows) {
    log(`Reusing ${name}: ${rows.toLocaleString('en')} customers already seeded`)
    return {
      benchUrl,
      rows,
      reused: true,
      installedWith: 'existing',
      seconds: (Date.now() - started) / 1000,
    }
  }
  const admin = openSql(adminUrl, 1)
  try {
    log(`Creating database ${name}`)
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.unsafe(`create database "${name}"`)
  } finally {
    await admin.end()
  }
  const installedWith = await installModules(benchUrl, log)
  const people = await createDemoOrganisation(benchUrl)
  log(`demo organisation created (${people.size} people, password demo)`)
  const owners = weightedOwners(people)
  const sql = openSql(benchUrl, 1)
  try {
    await ensureOwners(sql)
    const trigrams = await dropTrigramIndexes(sql)
    log(`Seeding ${rows.toLocaleString('en')} customers`)
    await bulkCustomers(sql, rows, owners, log)
    await bulkRelated(sql, rows, owners, log)
    await restoreIndexes(sql, trigrams, log)
    await bumpAutoNumber(sql, rows)
    log('VACUUM ANALYZE')
    await sql.unsafe('vacuum analyze')
    await sql`create schema if not exists bench`
    await sql`create table if not exists bench.seed_info (rows int not null, complete boolean not null, version int not null, seeded_at timestamptz not null default now())`
    await sql`delete from bench.seed_info`
    await sql`insert into bench.seed_info (rows, complete, version) values (${rows}, true, ${SEED_VERSION})`
  } finally {
    await sql.end()
  }
  const seconds = (Date.now() - started) / 1000
  log(`Seeded in ${seconds.toFixed(1)} s`)
  return { benchUrl, rows, reused: false, installedWith, seconds }
}

if (process.argv[1]?.endsWith('seed-customers.ts')) {
  const { values } = parseArgs({ options: { rows: { type: 'string' } } })
  const rows = Number(values.rows ?? 1_000_000)
  if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a positive integer')
  ensureSeeded(rows).then(
    (r) => console.log(`Bench database: ${r.benchUrl}`),
    (err: Error) => {
      console.error(err.message)
      process.exit(1)
    },
  )
}
