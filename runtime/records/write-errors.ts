import { ConflictError, TrellisError, ValidationError } from '../errors'
import type { EntityPlan } from './entity-plan'

interface PgError {
  code?: string
  detail?: string
  column?: string
  column_name?: string
  message?: string
}

/** The field behind a column named in a PostgreSQL error, or the column itself. */
function fieldOf(plan: EntityPlan, error: PgError): string {
  const column = error.column ?? error.column_name
  if (column) return plan.stored.find((s) => s.columns.includes(column))?.name ?? column
  // `Key (code)=(…)`, or an expression index: `Key (lower(btrim(… normalize(name, NFKC) …)))=(…)`
  const key = /Key \((.+?)\)=\(/.exec(error.detail ?? '')?.[1] ?? ''
  const words = new Set(key.split(/[^a-z0-9_]+/))
  return plan.stored.find((s) => s.columns.some((c) => words.has(c)))?.name ?? ''
}

/**
 * Turns a constraint or data error of a write into the typed error the API answers with
 * (a unique column → 409, a missing referenced record → 422, …); anything else is rethrown.
 * `locate` turns the field into the issue path (child rows: `lines[2].product`).
 */
export function toWriteError(
  plan: EntityPlan,
  err: unknown,
  locate: (field: string, detail: string) => string = (field) => field,
): unknown {
  if (err instanceof TrellisError) return err
  const error = err as PgError
  const code = error.code ?? ''
  const path = locate(fieldOf(plan, error), error.detail ?? '')
  if (code === '23505') {
    return new ConflictError('A record with this value already exists', [
      { path, message: 'must be unique' },
    ])
  }
  if (code === '23503') {
    return new ValidationError('A referenced record does not exist', [
      { path, message: 'refers to a record that does not exist' },
    ])
  }
  // Two writers each waiting on a lock the other holds (a row and a dedup key): PostgreSQL ends
  // one of them; the caller may try again, as after any concurrent change.
  if (code === '40P01')
    return new ConflictError('The record was changed at the same time; try again', [])
  if (code === '23502')
    return new ValidationError('The record is not valid', [{ path, message: 'is required' }])
  if (code === '23514' || code.startsWith('22')) {
    return new ValidationError('The record is not valid', [
      { path, message: 'has a value the database cannot store' },
    ])
  }
  return err
}
