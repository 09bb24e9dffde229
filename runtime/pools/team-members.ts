import { sql } from 'drizzle-orm'
import type { PoolTeam } from '../../metadata/pool'
import type { Db } from '../db'

/** One enabled user a team names, by id and username. */
export interface TeamMember {
  id: string
  username: string
}

/**
 * The enabled users a team names (by username, role, or department name), sorted by username so
 * a round robin walks them in a stable order.
 * @example await teamMembers(db, { roles: ['sales'] }) // [{ id, username: 'ann' }, …]
 */
export async function teamMembers(db: Db, team: PoolTeam): Promise<TeamMember[]> {
  // Lists travel as one json parameter: drizzle would spread an array into `(…)`.
  const list = (names: string[] | undefined) =>
    sql`(select jsonb_array_elements_text(${JSON.stringify(names ?? [])}::jsonb))`
  const rows = await db.query<TeamMember>(sql`
    select u.id::text as id, u.username from users u
    where not u.disabled and (
      u.username in ${list(team.usernames)}
      or exists (select 1 from user_roles r where r.user_id = u.id and r.role_id in ${list(team.roles)})
      or exists (select 1 from departments d where d.id = u.department_id
        and d.name in ${list(team.departments)}))
    order by u.username`)
  return rows
}

/** Whether the user with `userId` belongs to `team`. */
export async function isTeamMember(db: Db, team: PoolTeam, userId: string): Promise<boolean> {
  const members = await teamMembers(db, team)
  return members.some((m) => m.id === userId)
}
