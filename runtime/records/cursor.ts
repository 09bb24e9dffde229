import { BadRequestError } from '../errors'

/** Where a page ended: the sort it belongs to, the last row's sort values (as text) and id. */
export interface Cursor {
  sort: string
  values: (string | null)[]
  id: string
}

/** Encodes a cursor as base64url JSON. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.values, cursor.id])).toString('base64url')
}

/**
 * Decodes a cursor made by `encodeCursor` for the same sort with `keys` sort values; anything else
 * is a 400 on `cursor` (never a SQL error).
 */
export function decodeCursor(text: string, sort: string, keys: number): Cursor {
  const bad = (why: string) =>
    new BadRequestError(`Invalid cursor: ${why}`, [{ path: 'cursor', message: why }])
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    throw bad('not a cursor of this list')
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw bad('not a cursor of this list')
  const [cursorSort, values, id] = parsed as unknown[]
  if (cursorSort !== sort) throw bad('the cursor belongs to another sort')
  if (!Array.isArray(values) || values.length !== keys) throw bad('not a cursor of this list')
  if (!values.every((v) => v === null || (typeof v === 'string' && v.length <= 1000))) {
    throw bad('not a cursor of this list')
  }
  if (typeof id !== 'string') throw bad('not a cursor of this list')
  return { sort, values: values as (string | null)[], id }
}
