import { sql, type SQL } from 'drizzle-orm'
import type { StoredField } from './entity-plan'

/**
 * A stored field of the row `alias` as its API value in jsonb (audit and outbox before/after):
 * money as `{ amount, currency }`, datetimes as ISO text in UTC, null as JSON null.
 * @example sql`jsonb_build_object('before', ${apiJson(stored, sql`o`)})`
 */
export function apiJson(stored: StoredField, alias: SQL): SQL {
  const col = (i: number) => sql`${alias}.${stored.idents[i]}`
  if (stored.field.type === 'money') {
    return sql`case when ${col(0)} is null then 'null'::jsonb else jsonb_build_object('amount', ${col(0)}, 'currency', ${col(1)}) end`
  }
  if (stored.field.type === 'datetime') {
    return sql`coalesce(to_jsonb(to_char(${col(0)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), 'null'::jsonb)`
  }
  return sql`coalesce(to_jsonb(${col(0)}), 'null'::jsonb)`
}
