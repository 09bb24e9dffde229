import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { migrate as migratePg } from 'drizzle-orm/postgres-js/migrator'
import { migrate as migrateLite } from 'drizzle-orm/pglite/migrator'
import { sql } from 'drizzle-orm'
import type { Db } from './db'

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url))

/** The installation's secrets (`platform_secrets`), each made once from the OS's randomness. */
const SECRETS = ['approval-links']

/**
 * Applies drizzle-kit's migrations of the platform tables, then makes sure `app` exists and the
 * installation's secrets are made (a process racing this one keeps the first).
 */
export async function migratePlatform(db: Db): Promise<void> {
  if (db.dialect === 'pglite') await migrateLite(db.orm as never, { migrationsFolder })
  else await migratePg(db.orm as never, { migrationsFolder })
  await db.query(sql`create schema if not exists app`)
  for (const name of SECRETS) {
    await db.query(sql`insert into platform_secrets (name, value)
      values (${name}, ${randomBytes(32).toString('base64url')}) on conflict (name) do nothing`)
  }
}
