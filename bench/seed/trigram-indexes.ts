import type postgres from 'postgres'

/**
 * Drops the trigram indexes of schema `app` and answers their definitions. Kept up to date row
 * by row during a bulk load they would slow it down several times over; built once afterwards
 * (`restoreIndexes`) they take seconds.
 */
export async function dropTrigramIndexes(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql`select indexname, indexdef from pg_indexes
    where schemaname = 'app' and indexdef like '%gin_trgm_ops%' order by indexname`
  for (const row of rows) await sql`drop index ${sql(`app.${String(row.indexname)}`)}`
  return rows.map((r) => String(r.indexdef))
}

/** Creates indexes again from the definitions `dropTrigramIndexes` answered. */
export async function restoreIndexes(
  sql: postgres.Sql,
  definitions: string[],
  log: (line: string) => void,
): Promise<void> {
  const started = Date.now()
  for (const definition of definitions) await sql.unsafe(definition)
  if (definitions.length)
    log(
      `  ${definitions.length} trigram indexes built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
}
