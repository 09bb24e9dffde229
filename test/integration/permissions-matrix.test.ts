import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role, Scope } from '../../metadata/role'
import type { Ctx } from '../../runtime/context'
import { TrellisError } from '../../runtime/errors'
import { scopePredicate } from '../../runtime/permissions'
import { deleteRecord, getRecord, listRecords, updateRecord } from '../../runtime/records'
import { testTargets } from '../support/databases'
import {
  DEPARTMENTS,
  HOME,
  PEOPLE,
  REGION,
  openPermissionsFixture,
  seedAccount,
  seedContact,
  type Dept,
  type PermissionsFixture,
  type Person,
} from './permissions-fixture'

const SCOPES: Scope[] = [
  'none',
  'own',
  'ownAndSubordinates',
  'department',
  'departmentTree',
  'all',
  'filter',
]
const ACTIONS = ['read', 'update', 'delete'] as const
type MatrixAction = (typeof ACTIONS)[number]
const REGION_FILTER = { '==': [{ var: 'region' }, { var: '$user.region' }] }

/** One generated role per (scope, action): that scope for that action on both entities. */
function roleFor(scope: Scope, action: MatrixAction, readScope: Scope): Role {
  const scopes = { read: readScope, [action]: scope }
  const filters = Object.fromEntries(
    Object.entries(scopes)
      .filter(([, s]) => s === 'filter')
      .map(([a]) => [a, REGION_FILTER]),
  )
  const grant = (entity: string) => ({
    entity,
    scopes,
    ...(Object.keys(filters).length ? { filters } : {}),
  })
  return {
    id: `${action}-${scope}`,
    label: { en: `${action} ${scope}` },
    grants: [grant('account'), grant('contact')],
  }
}

/** Accounts: one per person (owner), regions of the owner; contacts: by creator, under an account. */
const ACCOUNTS: { name: string; owner: Person; region: string }[] = PEOPLE.map((p, i) => ({
  name: `acc-${p}`,
  owner: p,
  region: i % 2 ? REGION[p] : 'north',
}))
const CONTACTS: { name: string; creator: Person; account: string | null; region: string }[] = [
  { name: 'con-1', creator: 'repW', account: 'acc-rep1', region: 'east' },
  { name: 'con-2', creator: 'rep1', account: 'acc-repW', region: 'west' },
  { name: 'con-3', creator: 'agent', account: null, region: 'south' },
  { name: 'con-4', creator: 'mgrEast', account: 'acc-director', region: 'north' },
  { name: 'con-5', creator: 'rep2', account: 'acc-rep2', region: 'east' },
]
/** A share: record → person, read-only. */
const SHARES: { account: string; to: Person; access: 'read' | 'write' }[] = [
  { account: 'acc-agent', to: 'rep1', access: 'read' },
  { account: 'acc-mgrWest', to: 'rep2', access: 'write' },
]

/** The oracle: the same rules, computed in TypeScript from the same org and records. */
function oracle(managers: Record<Person, Person | null>) {
  const reports = (boss: Person) =>
    PEOPLE.filter((p) => {
      for (let m = managers[p]; m; m = managers[m]) if (m === boss) return true
      return false
    })
  const under = (dept: Dept): Dept[] =>
    (Object.keys(DEPARTMENTS) as Dept[]).filter((d) => {
      for (let at: Dept | null = d; at; at = DEPARTMENTS[at]) if (at === dept) return true
      return false
    })
  const inScope = (scope: Scope, me: Person, owner: Person, region: string) => {
    switch (scope) {
      case 'none':
        return false
      case 'own':
        return owner === me
      case 'ownAndSubordinates':
        return owner === me || reports(me).includes(owner)
      case 'department':
        return HOME[owner] === HOME[me]
      case 'departmentTree':
        return under(HOME[me]).includes(HOME[owner])
      case 'all':
        return true
      case 'filter':
        return region === REGION[me]
    }
  }
  const account = (scope: Scope, action: MatrixAction, me: Person, name: string) => {
    const a = ACCOUNTS.find((x) => x.name === name)!
    const shared = SHARES.some(
      (s) =>
        s.account === name &&
        s.to === me &&
        (action === 'read' || (action === 'update' && s.access === 'write')),
    )
    return inScope(scope, me, a.owner, a.region) || shared
  }
  const contact = (
    scope: Scope,
    action: MatrixAction,
    readScope: Scope,
    me: Person,
    name: string,
  ) => {
    const c = CONTACTS.find((x) => x.name === name)!
    if (inScope(scope, me, c.creator, c.region)) return true
    return action === 'read' && c.account !== null && account(readScope, 'read', me, c.account)
  }
  return { account, contact }
}

const ROLES = ACTIONS.flatMap((action) =>
  SCOPES.map((scope) => roleFor(scope, action, action === 'read' ? scope : 'all')),
)

async function ids(ctx: Ctx, entity: string, action: MatrixAction): Promise<string[]> {
  if (action === 'read') {
    const page = await listRecords(ctx, entity, { limit: 500 })
    return page.data.map((r) => r.name as string).sort()
  }
  const predicate = scopePredicate(ctx, entity, action) ?? sql`true`
  const table = sql.identifier(entity)
  const rows = await ctx.db.query<{ name: string }>(
    sql`select name from app.${table} where ${predicate} order by name`,
  )
  return rows.map((r) => r.name)
}

async function status(run: () => Promise<unknown>): Promise<number | 'ok'> {
  try {
    await run()
    return 'ok'
  } catch (err) {
    if (err instanceof TrellisError) return err.status
    throw err
  }
}

describe.each(testTargets())('the permission matrix on $name', (target) => {
  let f: PermissionsFixture
  const byName: Record<string, string> = {}

  beforeAll(async () => {
    f = await openPermissionsFixture(target, ROLES)
    for (const a of ACCOUNTS)
      byName[a.name] = await seedAccount(f, a.name, a.owner, { region: a.region })
    for (const c of CONTACTS)
      byName[c.name] = await seedContact(
        f,
        c.name,
        c.creator,
        c.account && byName[c.account],
        c.region,
      )
    for (const s of SHARES)
      await f.db.query(sql`insert into record_shares (entity, record_id, user_id, access)
        values ('account', ${byName[s.account]}, ${f.ids[s.to]}, ${s.access})`)
  })
  afterAll(async () => f?.close())

  it('returns exactly the oracle rows for every role × entity × action × person', async () => {
    const o = oracle(f.managers)
    let compared = 0
    for (const action of ACTIONS) {
      for (const scope of SCOPES) {
        const readScope: Scope = action === 'read' ? scope : 'all'
        for (const me of PEOPLE) {
          const ctx = f.as(me, [`${action}-${scope}`])
          const where = `${action} ${scope} as ${me}`
          if (action === 'read' && scope === 'none') {
            expect(await status(() => listRecords(ctx, 'account', {})), where).toBe(403)
            continue
          }
          const accounts = ACCOUNTS.filter((a) => o.account(scope, action, me, a.name)).map(
            (a) => a.name,
          )
          expect(await ids(ctx, 'account', action), `account ${where}`).toEqual(accounts.sort())
          const contacts = CONTACTS.filter((c) =>
            o.contact(scope, action, readScope, me, c.name),
          ).map((c) => c.name)
          expect(await ids(ctx, 'contact', action), `contact ${where}`).toEqual(contacts.sort())
          compared += 2
        }
      }
    }
    expect(compared).toBeGreaterThan(200)
  })

  it('answers single reads, updates and deletes as the oracle says (404 hidden, 403 readable)', async () => {
    const o = oracle(f.managers)
    for (const scope of SCOPES) {
      for (const me of ['rep1', 'mgrEast', 'director'] as Person[]) {
        for (const a of ACCOUNTS) {
          const id = byName[a.name]
          const reader = f.as(me, [`read-${scope}`])
          const readable = o.account(scope, 'read', me, a.name)
          expect(
            await status(() => getRecord(reader, 'account', id)),
            `${scope} ${me} ${a.name}`,
          ).toBe(readable ? 'ok' : 404)
          // update-<scope> reads everything: refusals are 403 unless the scope reaches the row.
          const writer = f.as(me, [`update-${scope}`])
          const version = (await getRecord(f.admin, 'account', id)).version as number
          const expected = o.account(scope, 'update', me, a.name) ? 'ok' : 403
          expect(
            await status(() => updateRecord(writer, 'account', id, { credit: version }, version)),
            `update ${scope} ${me} ${a.name}`,
          ).toBe(expected)
          const deleter = f.as(me, [`delete-${scope}`])
          const deletable = o.account(scope, 'delete', me, a.name)
          if (!deletable)
            expect(
              await status(() => deleteRecord(deleter, 'account', id, 999)),
              `delete ${scope}`,
            ).toBe(403)
          else expect(await status(() => deleteRecord(deleter, 'account', id, 999))).toBe(409)
        }
      }
    }
  })
})
