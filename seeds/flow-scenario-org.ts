import type { OrgView, UserId } from '../runtime/flows/approval-instance'
import { DEMO_COMPANY, DEMO_DEPARTMENTS, DEMO_PEOPLE } from './demo/people'

/** A person a scenario file adds to the demo organisation (a second finance clerk, …). */
export interface ScenarioPerson {
  username: string
  department?: string
  manager?: string
  /** Roles besides `employee`, which everyone holds. */
  roles: string[]
}

/** One member of the scenario organisation, by user id. */
export interface OrgMember {
  id: UserId
  username: string
  department: string
  manager: UserId | null
  roles: string[]
}

/** The demo organisation (plus a scenario's extra people) and the OrgView over it. */
export interface ScenarioOrg {
  view: OrgView
  members: Map<UserId, OrgMember>
  /** A username's user id; throws on a name nobody has, so a typo in a scenario fails loudly. */
  idOf(username: string): UserId
  /** A user id's username (for readable failures). */
  nameOf(id: UserId): string
}

/** The user id a scenario gives a username: readable in failures, unique, not a username. */
export const scenarioUserId = (username: string): UserId => `user:${username}`

/**
 * Builds the fake organisation scenarios run in: the demo people of seeds/demo/people.ts with
 * their managers, departments (heads included) and roles, everyone holding `employee`.
 */
export function scenarioOrg(extra: ScenarioPerson[] = []): ScenarioOrg {
  const people = [
    ...DEMO_PEOPLE.map((p) => ({ ...p, roles: [p.role] })),
    ...extra.map((p) => ({ ...p })),
  ]
  const members = new Map<UserId, OrgMember>(
    people.map((p) => [
      scenarioUserId(p.username),
      {
        id: scenarioUserId(p.username),
        username: p.username,
        department: p.department ?? DEMO_COMPANY,
        manager: p.manager ? scenarioUserId(p.manager) : null,
        roles: [...p.roles, 'employee'],
      },
    ]),
  )
  const heads = new Map(
    DEMO_DEPARTMENTS.map((d) => [d.name, d.head ? scenarioUserId(d.head) : null]),
  )
  const idOf = (username: string): UserId => {
    const id = scenarioUserId(username)
    if (!members.has(id)) throw new Error(`no demo person '${username}'`)
    return id
  }
  const view: OrgView = {
    userByName: (name) => (members.has(scenarioUserId(name)) ? scenarioUserId(name) : null),
    managerOf: (u) => members.get(u)?.manager ?? null,
    departmentOf: (u) => members.get(u)?.department ?? null,
    departmentHead: (department) => heads.get(department) ?? null,
    roleMembers: (role) =>
      [...members.values()].filter((m) => m.roles.includes(role)).map((m) => m.id),
    hasRole: (u, role) => members.get(u)?.roles.includes(role) ?? false,
    usernameOf: (u) => members.get(u)?.username ?? null,
    rolesOf: (u) => [...(members.get(u)?.roles ?? [])],
    substituteOf: () => null,
    admins: () => [...members.values()].filter((m) => m.roles.includes('admin')).map((m) => m.id),
    isActive: (u) => members.has(u),
  }
  return { view, members, idOf, nameOf: (id) => members.get(id)?.username ?? id }
}
