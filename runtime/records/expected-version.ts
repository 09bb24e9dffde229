import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import type { EntityPlan } from './entity-plan'
import { versionWords } from './version-texts'

/**
 * The version a write of an `entityId` record expects: the If-Match value, else the body's
 * `version`; 422 when neither or not a positive integer, in the caller's language.
 * @example requireExpectedVersion(ctx, 'quote', 3, undefined) // 3
 */
export function requireExpectedVersion(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
  given: unknown,
  body: Record<string, unknown> | undefined,
): number {
  const version = given ?? body?.version
  const refuse = (key: 'versionRequired' | 'versionInvalid') => {
    const w = versionWords(ctx, entityId)
    return new ValidationError(w(key), [{ path: 'version', message: w(`${key}Field`) }])
  }
  if (version === undefined || version === null) throw refuse('versionRequired')
  if (
    typeof version !== 'number' ||
    !Number.isInteger(version) ||
    version < 1 ||
    version > 2147483647
  ) {
    throw refuse('versionInvalid')
  }
  return version
}

/** The 409 for a stale version of an `entityId` record, carrying the current one. */
export function staleVersion(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
  currentVersion: number,
): ConflictError {
  const w = versionWords(ctx, entityId)
  return new ConflictError(
    w('stale'),
    [{ path: 'version', message: w('staleField', { version: String(currentVersion) }) }],
    { currentVersion },
  )
}

/** After a guarded write touched no row: 404 when the record is gone, else 409 with its version. */
export async function explainMissedWrite(ctx: Ctx, plan: EntityPlan, id: string): Promise<Error> {
  const rows = await ctx.db.query<{ version: number }>(
    sql`select version from ${plan.table} where id = ${id}`,
  )
  const entityId = plan.entity.id
  if (rows.length) return staleVersion(ctx, entityId, Number(rows[0].version))
  const w = versionWords(ctx, entityId)
  return new NotFoundError(w('gone'), [{ path: 'id', message: w('goneField') }])
}
