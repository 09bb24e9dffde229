import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ConflictError, ValidationError } from '../errors'
import type { EntityPlan } from './entity-plan'
import { recordNotFound } from './get-record'

/** The version a write expects: the If-Match value, else the body's `version`; 422 when neither. */
export function requireExpectedVersion(
  given: unknown,
  body: Record<string, unknown> | undefined,
): number {
  const version = given ?? body?.version
  if (version === undefined || version === null) {
    throw new ValidationError('The record version is required', [
      { path: 'version', message: 'is required for updates (If-Match header or body version)' },
    ])
  }
  if (
    typeof version !== 'number' ||
    !Number.isInteger(version) ||
    version < 1 ||
    version > 2147483647
  ) {
    throw new ValidationError('The record version is invalid', [
      { path: 'version', message: 'must be a positive integer' },
    ])
  }
  return version
}

/** The 409 for a stale version, carrying the current one. */
export function staleVersion(currentVersion: number): ConflictError {
  return new ConflictError(
    'The record was changed by someone else: reload it and try again',
    [{ path: 'version', message: `the current version is ${currentVersion}` }],
    { currentVersion },
  )
}

/** After a guarded write touched no row: 404 when the record is gone, else 409 with its version. */
export async function explainMissedWrite(ctx: Ctx, plan: EntityPlan, id: string): Promise<Error> {
  const rows = await ctx.db.query<{ version: number }>(
    sql`select version from ${plan.table} where id = ${id}`,
  )
  if (!rows.length) return recordNotFound(plan.entity.id, id)
  return staleVersion(Number(rows[0].version))
}
