import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { migratePlatform, openDb, type Db } from '../../runtime/db'
import { openMigratedPglite } from './pglite-snapshot'

/** A database the integration suites run against. */
export interface TestTarget {
  name: 'pglite' | 'postgres'
  /** A fresh, migrated, empty database; `close` drops it again. */
  open(): Promise<{ db: Db; url?: string; close(): Promise<void> }>
}

const pgUrl = process.env.TEST_DATABASE_URL

/** PGlite always; PostgreSQL when TEST_DATABASE_URL is set (CI sets it and requires it). */
export function testTargets(): TestTarget[] {
  if (process.env.CI === 'true' && !pgUrl) {
    throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL suite must run in CI')
  }
  const targets: TestTarget[] = [{ name: 'pglite', open: openPglite }]
  if (pgUrl) targets.push({ name: 'postgres', open: () => openFreshPostgres(pgUrl) })
  return targets
}

async function openPglite() {
  const db = await openMigratedPglite()
  return { db, close: () => db.close() }
}

/** Creates a throw-away database beside TEST_DATABASE_URL, so test files never share rows. */
async function openFreshPostgres(baseUrl: string) {
  const name = `trellis_t_${randomBytes(6).toString('hex')}`
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  const db = await openDb({ url: url.toString(), max: 8 })
  await migratePlatform(db)
  return {
    db,
    url: url.toString(),
    async close() {
      await db.close()
      const cleanup = postgres(baseUrl, { max: 1, onnotice: () => {} })
      await cleanup.unsafe(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}
