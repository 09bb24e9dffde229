import { BadRequestError, type Issue } from '../errors'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a canonical uuid string (anything else never reaches a uuid column). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

/** Pushes an issue for every key of `input` outside `allowed`. */
export function checkKnownKeys(
  input: Record<string, unknown>,
  allowed: readonly string[],
  issues: Issue[],
): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) issues.push({ path: key, message: 'unknown property' })
  }
}

/** A trimmed, non-empty string of at most `max` characters, or an issue at `path`. */
export function checkName(value: unknown, path: string, issues: Issue[], max = 200): string {
  if (typeof value !== 'string' || !value.trim() || value.length > max) {
    issues.push({ path, message: `required text, at most ${max} characters` })
    return ''
  }
  if (value.includes('\u0000')) {
    issues.push({ path, message: 'must not contain a NUL character' })
    return ''
  }
  return value.trim()
}

/** A uuid or null; anything else is an issue at `path`. */
export function checkOptionalId(value: unknown, path: string, issues: Issue[]): string | null {
  if (value === null || value === undefined) return null
  if (!isUuid(value)) {
    issues.push({ path, message: 'must be an id (uuid) or null' })
    return null
  }
  return value.toLowerCase()
}

/** A LIKE pattern matching `text` (the `q` filter) anywhere, its wildcards escaped; lower-cased. */
export function containsPattern(text: string): string {
  // PostgreSQL text cannot hold NUL: refused here rather than failing in the database.
  if (text.includes('\u0000')) {
    throw new BadRequestError('Invalid search text', [
      { path: 'q', message: 'must not contain a NUL character' },
    ])
  }
  return `%${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`
}
