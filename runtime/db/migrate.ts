import { fileURLToPath } from 'node:url'
import { migrate as migratePg } from 'drizzle-orm/postgres-js/migrator'
import { migrate as migrateLite } from 'drizzle-orm/pglite/migrator'
import { sql } from 'drizzle-orm'
import type { Db } from './db'

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url))

/** Applies drizzle-kit's migrations of the platform tables, then makes sure `app` exists. */
export async function migratePlatform(db: Db): Promise<void> {
  if (db.dialect === 'pglite') await migrateLite(db.orm as never, { migrationsFolder })
  else await migratePg(db.orm as never, { migrationsFolder })
  await db.query(sql`create schema if not exists app`)
}
