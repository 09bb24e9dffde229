import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../metadata/role'
import { fixedClock } from '../../runtime/clock'
import type { Ctx } from '../../runtime/context'
import { TrellisError } from '../../runtime/errors'
import {
  createRecord,
  deleteRecord,
  getRecord,
  getRecordHistory,
  listRecords,
  updateRecord,
} from '../../runtime/records'
import { testTargets } from '../support/databases'
import {
  NOW,
  openPermissionsFixture,
  seedAccount,
  seedContact,
  type PermissionsFixture,
} from './permissions-fixture'

const label = (en: string) => ({ en })
const OWN = { read: 'own', create: 'own', update: 'own', delete: 'own' } as const

const ROLES: Role[] = [
  {
    id: 'rep',
    label: label('Rep'),
    grants: [
      { entity: 'account', scopes: OWN, fields: { secret: 'none', region: 'read' } },
      { entity: 'accountLine', scopes: { read: 'own' }, fields: { cost: 'none' } },
      { entity: 'contact', scopes: OWN },
    ],
  },
  {
    id: 'manager',
    label: label('Manager'),
    grants: [
      {
        entity: 'account',
        scopes: { read: 'ownAndSubordinates', update: 'ownAndSubordinates', delete: 'own' },
      },
      { entity: 'contact', scopes: { read: 'ownAndSubordinates' } },
    ],
  },
  {
    id: 'dept',
    label: label('Dept'),
    grants: [{ entity: 'account', scopes: { read: 'department' } }],
  },
  {
    id: 'tree',
    label: label('Tree'),
    grants: [{ entity: 'account', scopes: { read: 'departmentTree' } }],
  },
  {
    id: 'regional',
    label: label('Regional'),
    grants: [
      {
        entity: 'account',
        scopes: { read: 'filter' },
        filters: { read: { '==': [{ var: 'region' }, { var: '$user.region' }] } },
      },
    ],
  },
  {
    id: 'viewer',
    label: label('Viewer'),
    grants: [{ entity: 'account', scopes: { read: 'all', update: 'own' } }],
  },
]

/** The status of a failed call (a typed error), or 'ok'. */
async function outcome(run: () => Promise<unknown>): Promise<number | 'ok'> {
  try {
    await run()
    return 'ok'
  } catch (err) {
    if (err instanceof TrellisError) return err.status
    throw err
  }
}

async function names(ctx: Ctx, entity = 'account', input = {}): Promise<string[]> {
  const page = await listRecords(ctx, entity, { limit: 500, ...input })
  return page.data.map((r) => r.name as string).sort()
}

describe.each(testTargets())('permission scopes on $name', (target) => {
  let f: PermissionsFixture
  const acc: Record<string, string> = {}

  beforeAll(async () => {
    f = await openPermissionsFixture(target, ROLES)
    acc.a1 = await seedAccount(f, 'a1', 'rep1', { lines: [{ item: 'x', cost: 5 }] })
    acc.a2 = await seedAccount(f, 'a2', 'rep2')
    acc.a3 = await seedAccount(f, 'a3', 'repW')
    acc.a4 = await seedAccount(f, 'a4', 'mgrEast')
    acc.a5 = await seedAccount(f, 'a5', 'director')
    acc.a6 = await seedAccount(f, 'a6', 'agent')
  })
  afterAll(async () => f?.close())

  const version = async (id: string) => (await getRecord(f.admin, 'account', id)).version as number

  it('lets a rep list, read, update and delete only their own accounts', async () => {
    const rep1 = f.as('rep1', ['rep'])
    expect(await names(rep1)).toEqual(['a1'])
    expect(await outcome(() => getRecord(rep1, 'account', acc.a2))).toBe(404)
    expect(await outcome(() => updateRecord(rep1, 'account', acc.a2, { name: 'x' }, 1))).toBe(404)
    expect(await outcome(() => deleteRecord(rep1, 'account', acc.a2, 1))).toBe(404)
    const v = await version(acc.a1)
    const { record } = await updateRecord(rep1, 'account', acc.a1, { name: 'a1', credit: 7 }, v)
    expect(record.credit).toBe(7)
    const page = await listRecords(rep1, 'account', { count: true })
    expect(page.total).toBe(1)
  })

  it('shows a manager their subordinates but never a sibling team', async () => {
    expect(await names(f.as('mgrEast', ['manager']))).toEqual(['a1', 'a2', 'a4'])
    expect(await names(f.as('mgrWest', ['manager']))).toEqual(['a3'])
    expect(await names(f.as('director', ['manager']))).toEqual(['a1', 'a2', 'a3', 'a4', 'a5'])
    const mgr = f.as('mgrEast', ['manager'])
    expect(await outcome(() => getRecord(mgr, 'account', acc.a3))).toBe(404)
    expect(await outcome(() => getRecord(mgr, 'account', acc.a2))).toBe('ok')
  })

  it('refuses with 403 a write to a record that is readable but outside the write scope', async () => {
    const mgr = f.as('mgrEast', ['manager'])
    expect(await outcome(() => deleteRecord(mgr, 'account', acc.a2, 1))).toBe(403)
    const viewer = f.as('rep1', ['viewer'])
    expect(await outcome(() => updateRecord(viewer, 'account', acc.a2, { name: 'z' }, 1))).toBe(403)
    expect(await getRecord(f.admin, 'account', acc.a2)).toMatchObject({ name: 'a2' })
  })

  it('reaches the own department, or the department and its sub-departments', async () => {
    expect(await names(f.as('rep1', ['dept']))).toEqual(['a1', 'a2', 'a4'])
    expect(await names(f.as('director', ['dept']))).toEqual(['a5'])
    expect(await names(f.as('director', ['tree']))).toEqual(['a1', 'a2', 'a3', 'a4', 'a5'])
    expect(await names(f.as('mgrWest', ['tree']))).toEqual(['a3'])
  })

  it('applies a row filter with $user variables, and unites several roles', async () => {
    expect(await names(f.as('rep2', ['regional']))).toEqual(['a2', 'a5'])
    expect(await names(f.as('rep1', ['rep', 'regional']))).toEqual(['a1', 'a4'])
  })

  it('refuses a list to a caller whose roles do not grant the entity, and hides single records', async () => {
    const agent = f.as('agent', [])
    expect(await outcome(() => listRecords(agent, 'account', {}))).toBe(403)
    expect(await outcome(() => getRecord(agent, 'account', acc.a6))).toBe(404)
    expect(await outcome(() => createRecord(agent, 'account', { name: 'n' }))).toBe(403)
  })

  it('applies a manager change at once', async () => {
    try {
      await f.setManager('rep1', 'mgrWest')
      expect(await names(f.as('mgrWest', ['manager']))).toEqual(['a1', 'a3'])
      expect(await names(f.as('mgrEast', ['manager']))).toEqual(['a2', 'a4'])
    } finally {
      await f.setManager('rep1', 'mgrEast')
    }
    expect(await names(f.as('mgrEast', ['manager']))).toEqual(['a1', 'a2', 'a4'])
  })

  it('grants read and write through shares, which expire on time', async () => {
    const expires = new Date(new Date(NOW).getTime() + 3600_000).toISOString()
    await f.db.query(sql`insert into record_shares (entity, record_id, user_id, access, expires_at)
      values ('account', ${acc.a3}, ${f.ids.rep1}, 'read', ${expires}::timestamptz),
             ('account', ${acc.a5}, ${f.ids.rep1}, 'write', null)`)
    await f.db.query(sql`insert into record_shares (entity, record_id, department_id, access)
      values ('account', ${acc.a6}, ${f.depts.east}, 'read')`)
    const rep1 = f.as('rep1', ['rep'])
    expect(await names(rep1)).toEqual(['a1', 'a3', 'a5', 'a6'])
    expect(await names(f.as('rep2', ['rep']))).toEqual(['a2', 'a6'])
    expect(await outcome(() => getRecord(rep1, 'account', acc.a3))).toBe('ok')
    const v3 = await version(acc.a3)
    expect(
      await outcome(() => updateRecord(rep1, 'account', acc.a3, { name: 'a3', credit: 1 }, v3)),
    ).toBe(403)
    const { record } = await updateRecord(
      rep1,
      'account',
      acc.a5,
      { credit: 9 },
      await version(acc.a5),
    )
    expect(record.credit).toBe(9)
    const later = f.as(
      'rep1',
      ['rep'],
      fixedClock(new Date(new Date(NOW).getTime() + 2 * 3600_000)),
    )
    expect(await names(later)).toEqual(['a1', 'a5', 'a6'])
    expect(await outcome(() => getRecord(later, 'account', acc.a3))).toBe(404)
    await f.db.query(sql`delete from record_shares`)
  })

  it('lets the owner of an account read contacts someone else created under it', async () => {
    const c1 = await seedContact(f, 'c1', 'repW', acc.a1)
    await seedContact(f, 'c2', 'repW', acc.a3)
    await seedContact(f, 'c3', 'rep1', null)
    expect(await names(f.as('rep1', ['rep']), 'contact')).toEqual(['c1', 'c3'])
    expect(await names(f.as('rep2', ['rep']), 'contact')).toEqual([])
    expect(await names(f.as('repW', ['rep']), 'contact')).toEqual(['c1', 'c2'])
    expect(await names(f.as('mgrEast', ['manager']), 'contact')).toEqual(['c1', 'c3'])
    // Readable through the parent is not writable: the write scope is the contact's own.
    const rep1 = f.as('rep1', ['rep'])
    expect(
      await outcome(() => updateRecord(rep1, 'contact', c1, { name: 'c1', region: 'x' }, 1)),
    ).toBe(403)
    const withRelated = await getRecord(rep1, 'account', acc.a1, { related: true })
    expect(withRelated.related?.contacts.data.map((c) => c.name)).toEqual(['c1'])
    // Whoever may read every account reads every contact under one, without a contact grant.
    const viewer = f.as('rep1', ['viewer'])
    const related = await getRecord(viewer, 'account', acc.a3, { related: true })
    expect(related.related?.contacts.data.map((c) => c.name)).toEqual(['c2'])
    expect(await outcome(() => listRecords(viewer, 'contact', {}))).toBe(403)
  })

  it('strips unreadable fields from lists, records, child rows and history', async () => {
    const rep1 = f.as('rep1', ['rep'])
    const [listed] = (await listRecords(rep1, 'account', {})).data
    expect(listed).not.toHaveProperty('secret')
    expect(listed).toHaveProperty('region')
    const record = await getRecord(rep1, 'account', acc.a1)
    expect(record).not.toHaveProperty('secret')
    expect(record.lines).toEqual([expect.not.objectContaining({ cost: expect.anything() })])
    expect((record.lines as { item: string }[])[0].item).toBe('x')
    const v = await version(acc.a1)
    await updateRecord(f.admin, 'account', acc.a1, { secret: 'new secret' }, v)
    const history = await getRecordHistory(rep1, 'account', acc.a1)
    expect(JSON.stringify(history)).not.toContain('secret')
    expect(await outcome(() => getRecordHistory(rep1, 'account', acc.a2))).toBe(404)
  })

  it('refuses with 403 naming the field a write, filter or sort on a field the role may not use', async () => {
    const rep1 = f.as('rep1', ['rep'])
    const refused = async (run: () => Promise<unknown>) => {
      try {
        await run()
      } catch (err) {
        return err as TrellisError
      }
      throw new Error('expected a refusal')
    }
    const create = await refused(() => createRecord(rep1, 'account', { name: 'n', secret: 's' }))
    expect(create.status).toBe(403)
    expect(create.details).toEqual([{ path: 'secret', message: expect.stringContaining('secret') }])
    const v = await version(acc.a1)
    const update = await refused(() => updateRecord(rep1, 'account', acc.a1, { region: 'moon' }, v))
    expect(update.status).toBe(403)
    expect(update.details[0].path).toBe('region')
    // Echoing the stored value of a read-only field is a round-trip, not a write.
    await updateRecord(rep1, 'account', acc.a1, { region: 'east', credit: 3 }, v)
    const filter = await refused(() =>
      listRecords(rep1, 'account', { filter: { '==': [{ var: 'secret' }, 'x'] } }),
    )
    expect(filter.status).toBe(403)
    expect(filter.details).toEqual([
      { path: 'filter', message: expect.stringContaining("'secret'") },
    ])
    const sort = await refused(() => listRecords(rep1, 'account', { sort: '-secret' }))
    expect(sort.status).toBe(403)
    expect(sort.details[0]).toMatchObject({
      path: 'sort',
      message: expect.stringContaining('secret'),
    })
    const line = await refused(() =>
      updateRecord(rep1, 'account', acc.a1, { lines: [{ item: 'y', cost: 1 }] }, v + 1),
    )
    expect(line.status).toBe(403)
    expect(line.details[0].path).toBe('lines[0].cost')
  })

  it('sets the owner to the creator and keeps new records inside the create scope', async () => {
    const rep2 = f.as('rep2', ['rep'])
    const { record } = await createRecord(rep2, 'account', { name: 'mine' })
    expect(record.owner).toBe(f.ids.rep2)
    expect(
      await outcome(() => createRecord(rep2, 'account', { name: 'theirs', owner: f.ids.rep1 })),
    ).toBe(403)
    expect(
      await names(f.admin, 'account', { filter: { '==': [{ var: 'name' }, 'theirs'] } }),
    ).toEqual([])
    await deleteRecord(rep2, 'account', record.id as string, 1)
  })

  it('never answers an attack with a server error, a hidden value or an out-of-scope row', async () => {
    const rep1 = f.as('rep1', ['rep'])
    const evil = [
      "name'; drop table app.account; --",
      'secret.amount',
      '$user.id',
      'name") or true --',
      '__proto__',
      'constructor',
      'owner"; select 1; --',
    ]
    const filters: unknown[] = [
      ...evil.map((v) => ({ '==': [{ var: v }, 'x'] })),
      ...evil.map((v) => ({ '==': [{ var: 'name' }, v] })),
      { or: [{ '==': [1, 1] }, { var: 'secret' }] },
      { missing: ['secret'] },
      { '!': { '==': [{ var: 'secret' }, null] } },
      { in: ['secret', { var: 'secret' }] },
      { some: [{ var: 'lines' }, { '==': [{ var: 'cost' }, 5] }] },
      { var: [{ cat: ['sec', 'ret'] }] },
      { '==': [{ var: '' }, 1] },
    ]
    const sorts = [...evil, 'secret', '-secret,name', 'name;drop table x', 'owner,secret', '']
    const seen: unknown[] = []
    for (const filter of filters) {
      const result = await outcome(async () =>
        seen.push(...(await listRecords(rep1, 'account', { filter: filter as never })).data),
      )
      expect(result === 'ok' || (result >= 400 && result < 500), JSON.stringify(filter)).toBe(true)
    }
    for (const sort of sorts) {
      const result = await outcome(async () =>
        seen.push(...(await listRecords(rep1, 'account', { sort })).data),
      )
      expect(result === 'ok' || (result >= 400 && result < 500), sort).toBe(true)
    }
    expect(JSON.stringify(seen)).not.toContain('secret of')
    for (const row of seen as { owner: string }[]) expect(row.owner).toBe(f.ids.rep1)
    const tables = await f.db.query(sql`select 1 from app.account limit 1`)
    expect(tables.length).toBe(1)
  })
})
