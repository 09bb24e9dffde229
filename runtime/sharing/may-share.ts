import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'
import { isAdministrator, requireCaller } from './caller'
import type { Target } from './load-targets'

/**
 * Throws 403 naming the first target the caller may not share: sharing is for the record's
 * owner, anyone above the owner in the manager chain, and administrators.
 */
export async function assertMayShare(
  ctx: Ctx,
  entityId: string,
  targets: Target[],
  paths: string[],
): Promise<void> {
  const me = requireCaller(ctx).id
  if (isAdministrator(ctx)) return
  const owners = [...new Set(targets.map((t) => t.owner).filter((o): o is string => !!o))]
  const below = new Set<string>()
  const others = owners.filter((o) => o !== me)
  if (others.length) {
    const rows = await ctx.db.query<{ report_id: string }>(sql`
      select report_id::text as report_id from manager_closure
      where manager_id = ${me}::uuid and report_id in (${sql.join(
        others.map((o) => sql`${o}::uuid`),
        sql`, `,
      )})`)
    for (const row of rows) below.add(row.report_id)
  }
  targets.forEach((target, i) => {
    if (target.owner === me || (target.owner && below.has(target.owner))) return
    throw new ForbiddenError(
      `Only the owner, their managers or an administrator may share ${entityId} '${target.id}'`,
      [{ path: paths[i], message: 'not the owner or above the owner' }],
    )
  })
}
