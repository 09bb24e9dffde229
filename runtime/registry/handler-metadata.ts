import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import type { MetadataSet } from './metadata-set'
import { loadPublishedMetadata, readMetadataVersion } from './published'

/**
 * The published metadata as event and timer handlers read it: through the database handle they
 * are given (their transaction — on PGlite, with one connection, a query through another handle
 * would wait for that transaction for ever), loaded again only when the metadata version moved.
 * `latest()` answers the last set read, without I/O (for handlers' cheap "does this event
 * concern me" checks; null before the first read), `readAt()` when that read began, on the
 * database's clock (epoch ms, comparable with `outbox.created_at`): a publish committed before
 * then is in it.
 * @example const meta = createHandlerMetadata(); registerSlaHandlers(handlers, { meta: meta.read })
 */
export function createHandlerMetadata(known?: MetadataSet): {
  read(db: Db): Promise<MetadataSet>
  latest(): MetadataSet | null
  readAt(): number
} {
  // A set the process has just loaded saves the first read its load (only the version is read).
  let cached: MetadataSet | null = known ?? null
  let readAt = 0
  return {
    async read(db) {
      const [{ at }] = await db.query<{ at: Date | string }>(sql`select clock_timestamp() as at`)
      const began = new Date(at).getTime()
      const version = await readMetadataVersion(db)
      if (cached?.version !== version) cached = await loadPublishedMetadata(db)
      readAt = Math.max(readAt, began)
      return cached
    },
    latest: () => cached,
    readAt: () => readAt,
  }
}
