import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Form } from '../../metadata/form'
import type { Role } from '../../metadata/role'
import { fixedClock, type Clock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx, type CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createRecord } from '../../runtime/records'
import { publishMetadata, type MetadataBundle, type MetadataSet } from '../../runtime/registry'
import type { TestTarget } from '../support/databases'

const label = (en: string) => ({ en })

/** Accounts have an owner field, hidden and read-only fields, child lines and contacts. */
export const account: Entity = {
  id: 'account',
  label: label('Account'),
  titleField: 'name',
  ownerField: 'owner',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'region', type: 'text', label: label('Region'), index: true },
    { name: 'secret', type: 'text', label: label('Secret'), index: true },
    { name: 'credit', type: 'integer', label: label('Credit') },
    { name: 'lines', type: 'childTable', entity: 'accountLine', label: label('Lines') },
  ],
}

export const accountLine: Entity = {
  id: 'accountLine',
  label: label('Line'),
  childOf: 'account',
  fields: [
    { name: 'item', type: 'text', label: label('Item') },
    { name: 'cost', type: 'integer', label: label('Cost') },
  ],
}

/** Owned by created_by; readable through the account it belongs to. */
export const contact: Entity = {
  id: 'contact',
  label: label('Contact'),
  titleField: 'name',
  permissionParent: 'account',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'region', type: 'text', label: label('Region') },
    { name: 'account', type: 'reference', entity: 'account', label: label('Account') },
  ],
}

const accountForm: Form = {
  id: 'account',
  entity: 'account',
  label: label('Account'),
  tabs: [
    { id: 'main', label: label('Main'), sections: [{ id: 's', fields: [{ field: 'name' }] }] },
  ],
  relatedLists: [{ id: 'contacts', entity: 'contact', field: 'account', limit: 20 }],
}

/** The users of the small organisation, by key. */
export const PEOPLE = ['director', 'mgrEast', 'rep1', 'rep2', 'mgrWest', 'repW', 'agent'] as const
export type Person = (typeof PEOPLE)[number]

/** Department tree: company → sales → (east, west); company → service. */
export const DEPARTMENTS = {
  company: null,
  sales: 'company',
  east: 'sales',
  west: 'sales',
  service: 'company',
} as const
export type Dept = keyof typeof DEPARTMENTS

export const HOME: Record<Person, Dept> = {
  director: 'sales',
  mgrEast: 'east',
  rep1: 'east',
  rep2: 'east',
  mgrWest: 'west',
  repW: 'west',
  agent: 'service',
}
export const MANAGER: Record<Person, Person | null> = {
  director: null,
  mgrEast: 'director',
  rep1: 'mgrEast',
  rep2: 'mgrEast',
  mgrWest: 'director',
  repW: 'mgrWest',
  agent: null,
}
export const REGION: Record<Person, string> = {
  director: 'north',
  mgrEast: 'east',
  rep1: 'east',
  rep2: 'north',
  mgrWest: 'west',
  repW: 'west',
  agent: 'south',
}

export interface PermissionsFixture {
  db: Db
  meta: MetadataSet
  admin: Ctx
  ids: Record<Person, string>
  depts: Record<Dept, string>
  managers: Record<Person, Person | null>
  /** A context for a person holding `roles` (loaded as sessions will: department, manager, attributes). */
  as(person: Person, roles: string[], clock?: Clock): Ctx
  /** Moves a person under another manager and rebuilds manager_closure (what runtime/org does). */
  setManager(person: Person, manager: Person | null): Promise<void>
  close(): Promise<void>
}

export const NOW = '2026-05-01T10:00:00Z'

/**
 * A fresh database with the org above, the entities and `roles` published, and `more`
 * definitions (entities, reports, templates, …) beside them.
 */
export async function openPermissionsFixture(
  target: TestTarget,
  roles: Role[],
  more: Partial<MetadataBundle> = {},
): Promise<PermissionsFixture> {
  const { db, close } = await target.open()
  const clock = fixedClock(NOW)
  const depts = {} as Record<Dept, string>
  for (const [key, parent] of Object.entries(DEPARTMENTS) as [Dept, Dept | null][]) {
    const [row] = await db.query<{ id: string }>(sql`
      insert into departments (name, kind, parent_id) values (${key}, ${parent ? 'department' : 'company'},
        ${parent ? depts[parent] : null}) returning id`)
    depts[key] = row.id
  }
  for (const key of Object.keys(DEPARTMENTS) as Dept[]) {
    let at: Dept | null = key
    for (let depth = 0; at; depth++, at = DEPARTMENTS[at]) {
      await db.query(sql`insert into department_closure (ancestor_id, descendant_id, depth)
        values (${depts[at]}, ${depts[key]}, ${depth})`)
    }
  }
  const ids = {} as Record<Person, string>
  for (const person of PEOPLE) {
    const [row] = await db.query<{ id: string }>(sql`
      insert into users (username, display_name, password_hash, department_id, attributes)
      values (${person}, ${person}, 'x', ${depts[HOME[person]]}, ${JSON.stringify({ region: REGION[person] })}::jsonb)
      returning id`)
    ids[person] = row.id
  }
  const managers = { ...MANAGER }
  const base = { db, user: SYSTEM_USER, clock, log: silentLogger }
  const { meta } = await publishMetadata(base, {
    ...more,
    packages: more.packages ?? [],
    entities: [account, accountLine, contact, ...(more.entities ?? [])],
    forms: [accountForm, ...(more.forms ?? [])],
    views: more.views ?? [],
    roles,
  })
  const setManager = async (person: Person, manager: Person | null) => {
    managers[person] = manager
    await db.transaction(async (tx) => {
      await tx.query(
        sql`update users set manager_id = ${manager ? ids[manager] : null} where id = ${ids[person]}`,
      )
      await tx.query(sql`delete from manager_closure`)
      for (const report of PEOPLE) {
        let boss = managers[report]
        for (let depth = 1; boss; depth++, boss = managers[boss]) {
          await tx.query(sql`insert into manager_closure (manager_id, report_id, depth)
            values (${ids[boss]}, ${ids[report]}, ${depth})`)
        }
      }
    })
  }
  for (const person of PEOPLE) await setManager(person, MANAGER[person])
  const admin: Ctx = { ...base, meta, user: { ...SYSTEM_USER, id: ids.director, isAdmin: true } }
  const as = (person: Person, roleIds: string[], at: Clock = clock): Ctx => {
    const user: CurrentUser = {
      id: ids[person],
      username: person,
      displayName: person,
      locale: 'en',
      isAdmin: false,
      departmentId: depts[HOME[person]],
      managerId: managers[person] ? ids[managers[person]!] : null,
      roles: roleIds,
      attributes: { region: REGION[person] },
    }
    return { db, user, clock: at, log: silentLogger, meta, requestId: `as-${person}` }
  }
  return { db, meta, admin, ids, depts, managers, as, setManager, close }
}

/** Creates an account owned by `owner` (as the admin). */
export async function seedAccount(
  f: PermissionsFixture,
  name: string,
  owner: Person,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const { record } = await createRecord(f.admin, 'account', {
    name,
    owner: f.ids[owner],
    region: REGION[owner],
    secret: `secret of ${name}`,
    ...extra,
  })
  return record.id as string
}

/** Creates a contact created by `creator` (their created_by), as an unrestricted caller. */
export async function seedContact(
  f: PermissionsFixture,
  name: string,
  creator: Person,
  accountId: string | null,
  region = 'east',
): Promise<string> {
  const ctx: Ctx = { ...f.admin, user: { ...f.admin.user!, id: f.ids[creator] } }
  const { record } = await createRecord(ctx, 'contact', { name, account: accountId, region })
  return record.id as string
}
