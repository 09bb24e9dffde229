import { randomUUID } from 'node:crypto'

/**
 * A new id in UUID version 7's layout, as `trellis_uuid7()` makes them in SQL (migration 0016):
 * the wall clock's Unix milliseconds, then random bits. Ids made later sort later, so new rows
 * land at the right edge of a table's indexes instead of on a random page of each.
 * @example timeOrderedId() // '01a24db1-c1cd-786c-ada3-a41df9b2c428'
 */
export function timeOrderedId(now = Date.now()): string {
  const ms = now.toString(16).padStart(12, '0')
  // randomUUID(): xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; keep its random bits after the version.
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${randomUUID().slice(15)}`
}
