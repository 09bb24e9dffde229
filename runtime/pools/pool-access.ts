import type { PoolDefinition } from '../../metadata/pool'
import type { Ctx } from '../context'
import { isTeamMember } from './team-members'

/** Whether the caller administers the pool: an administrator, or named in its `admins`. */
export async function canAdminPool(ctx: Ctx, pool: PoolDefinition): Promise<boolean> {
  if (!ctx.user) return false
  if (ctx.user.isAdmin) return true
  return pool.admins ? isTeamMember(ctx.db, pool.admins, ctx.user.id) : false
}

/** Whether the caller may see the pool's records and claim them: a member or an admin of it. */
export async function canUsePool(ctx: Ctx, pool: PoolDefinition): Promise<boolean> {
  if (!ctx.user) return false
  if (await isTeamMember(ctx.db, pool.members, ctx.user.id)) return true
  return canAdminPool(ctx, pool)
}
