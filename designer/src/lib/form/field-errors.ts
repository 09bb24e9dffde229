import type { Entity } from '$metadata/entity'
import type { FormState } from '$runtime/forms'
import { isEmptyValue } from './form-layout'

/** Error messages keyed by path: `name`, or `lines[2].quantity` inside a grid. */
export type FieldErrors = Record<string, string>

/** Indexes the server's issue list by path (the first message per path wins). */
export function toFieldErrors(details: { path: string; message: string }[]): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of details) {
    const path = issue.path.replace(/^\//, '').replace(/\//g, '.')
    if (!(path in errors)) errors[path] = issue.message
  }
  return errors
}

/** Required-but-empty checks the browser can make before asking the server. */
export function findMissing(
  entity: Entity,
  state: FormState,
  record: Record<string, unknown>,
  message: string,
): FieldErrors {
  const errors: FieldErrors = {}
  for (const field of entity.fields) {
    const s = state[field.name]
    if (s?.visible && s.required && !s.readOnly && isEmptyValue(field, record[field.name])) {
      errors[field.name] = message
    }
  }
  return errors
}

/** The errors that no field on screen shows (listed in the banner instead). */
export function unplacedErrors(errors: FieldErrors, shown: Set<string>): string[] {
  return Object.entries(errors)
    .filter(([path]) => !shown.has(path.replace(/\[.*$/, '')))
    .map(([path, message]) => (path ? `${path}: ${message}` : message))
}
