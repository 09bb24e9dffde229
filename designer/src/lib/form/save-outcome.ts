import { ApiError } from '$lib/api/client'
import { toFieldErrors, type FieldErrors } from './field-errors'

/** What the editor shows after a failed save. */
export type SaveFailure =
  | { kind: 'invalid'; message: string; errors: FieldErrors }
  | { kind: 'stale'; currentVersion: number | null }
  | { kind: 'duplicate'; message: string; existingId: string | null; errors: FieldErrors }
  | { kind: 'other'; message: string }

/**
 * Classifies a failed save. A 409 on an update is a stale version when the stored version moved
 * on (from the error body or, failing that, from `currentVersion()`); otherwise a duplicate.
 */
export async function toSaveFailure(
  err: unknown,
  sentVersion: number | undefined,
  currentVersion: () => Promise<number | null>,
): Promise<SaveFailure> {
  if (!(err instanceof ApiError)) return { kind: 'other', message: String(err) }
  if (err.status === 422 || err.status === 400) {
    return { kind: 'invalid', message: err.message, errors: toFieldErrors(err.details) }
  }
  if (err.status !== 409) return { kind: 'other', message: err.message }
  const existingId = findExistingId(err.body)
  if (sentVersion !== undefined && !existingId) {
    const fromBody = numberIn(err.body, ['currentVersion', 'version'])
    const now = fromBody ?? (await currentVersion().catch(() => null))
    if (now === null || now !== sentVersion) return { kind: 'stale', currentVersion: now }
  }
  return { kind: 'duplicate', message: err.message, existingId, errors: toFieldErrors(err.details) }
}

function findExistingId(body: Record<string, unknown>): string | null {
  const existing = body.existing as { id?: unknown } | undefined
  const candidates = [body.existingId, existing?.id, body.recordId, body.duplicateId]
  const extra = body.extra as Record<string, unknown> | undefined
  if (extra) candidates.push(extra.existingId, (extra.existing as { id?: unknown } | undefined)?.id)
  const hit = candidates.find((c) => typeof c === 'string' && c)
  return (hit as string | undefined) ?? null
}

function numberIn(body: Record<string, unknown>, keys: string[]): number | null {
  const extra = (body.extra ?? {}) as Record<string, unknown>
  for (const key of keys) {
    const v = body[key] ?? extra[key]
    if (typeof v === 'number') return v
  }
  return null
}
