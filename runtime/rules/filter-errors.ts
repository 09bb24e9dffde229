import { BadRequestError } from '../errors'
import type { FilterScope } from './filter-types'

/** Refuses a filter the compiler cannot translate exactly: 400, located at the filter's path. */
export function rejectFilter(scope: Pick<FilterScope, 'path'>, message: string): never {
  throw new BadRequestError(`Invalid ${scope.path}: ${message}`, [{ path: scope.path, message }])
}

/** A short, safe rendering of a value for error messages. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
