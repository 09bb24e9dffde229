import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Role } from '../../metadata/role'
import { SYSTEM_USER, type Ctx } from '../../runtime/context'
import { TrellisError } from '../../runtime/errors'
import {
  createRecord,
  getRecord,
  getRecordHistory,
  listRecords,
  updateRecord,
  type RecordData,
} from '../../runtime/records'
import { publishMetadata, type MetadataSet } from '../../runtime/registry'
import { testTargets } from '../support/databases'
import {
  REGION,
  account,
  accountLine,
  contact,
  openPermissionsFixture,
  type Person,
  type PermissionsFixture,
} from './permissions-fixture'

const label = (en: string) => ({ en })
const OWN = { read: 'own', create: 'own', update: 'own', delete: 'own' } as const
const LINE_GRANT = { entity: 'accountLine', scopes: { read: 'own' }, fields: { cost: 'none' } }

/** The fixture's account with an e-mail, dedup rules and formulas over hidden and open fields. */
const dedupAccount: Entity = {
  ...account,
  fields: [
    ...account.fields,
    { name: 'email', type: 'email', label: label('E-mail') },
    {
      name: 'secretTag',
      type: 'formula',
      label: label('Secret tag'),
      formula: { cat: ['tag:', { var: 'secret' }] },
      resultType: 'text',
    },
    {
      name: 'secretTagLength',
      type: 'formula',
      label: label('Secret tag length'),
      formula: { length: [{ var: 'secretTag' }] },
      resultType: 'number',
    },
    {
      name: 'creditTwice',
      type: 'formula',
      label: label('Credit twice'),
      formula: { '*': [{ var: 'credit' }, 2] },
      resultType: 'number',
    },
    {
      name: 'lineCost',
      type: 'formula',
      label: label('Line cost'),
      formula: {
        reduce: [{ var: 'lines' }, { '+': [{ var: 'accumulator' }, { var: 'current.cost' }] }, 0],
      },
      resultType: 'number',
    },
    {
      name: 'lineCount',
      type: 'formula',
      label: label('Line count'),
      formula: { reduce: [{ var: 'lines' }, { '+': [{ var: 'accumulator' }, 1] }, 0] },
      resultType: 'number',
    },
  ],
  dedup: [
    { id: 'name', fields: ['name'], match: 'normalized', action: 'block' },
    { id: 'email', fields: ['email'], match: 'exact', action: 'warn' },
  ],
}

const ROLES: Role[] = [
  {
    id: 'rep',
    label: label('Rep'),
    grants: [
      { entity: 'account', scopes: OWN, fields: { secret: 'none' } },
      LINE_GRANT as Role['grants'][number],
    ],
  },
  {
    id: 'seller',
    label: label('Seller'),
    grants: [
      { entity: 'account', scopes: { ...OWN, assign: 'own' }, fields: { secret: 'none' } },
      LINE_GRANT as Role['grants'][number],
    ],
  },
  {
    id: 'manager',
    label: label('Manager'),
    grants: [
      {
        entity: 'account',
        scopes: {
          read: 'ownAndSubordinates',
          create: 'own',
          update: 'ownAndSubordinates',
          assign: 'ownAndSubordinates',
        },
      },
    ],
  },
  {
    id: 'editor',
    label: label('Editor'),
    grants: [{ entity: 'account', scopes: { read: 'all', update: 'all' } }],
  },
  {
    id: 'regional',
    label: label('Regional'),
    grants: [
      {
        entity: 'account',
        scopes: { read: 'filter', update: 'filter' },
        filters: {
          read: { '==': [{ var: 'region' }, { var: '$user.region' }] },
          update: { '==': [{ var: 'region' }, { var: '$user.region' }] },
        },
      },
    ],
  },
]

/** The typed error a call fails with (fails the test when it succeeds). */
async function failure(run: () => Promise<unknown>): Promise<TrellisError> {
  try {
    await run()
  } catch (err) {
    if (err instanceof TrellisError) return err
    throw err
  }
  throw new Error('expected the call to fail')
}

/** Everything an error tells the client. */
const told = (err: TrellisError) =>
  JSON.stringify({ message: err.message, details: err.details, extra: err.extra })

describe.each(testTargets())('closed permission gaps on $name', (target) => {
  let f: PermissionsFixture
  let meta: MetadataSet
  let admin: Ctx
  const as = (person: Person, roles: string[]): Ctx => ({ ...f.as(person, roles), meta })

  const seed = async (name: string, owner: Person, extra: RecordData = {}) => {
    const { record } = await createRecord(admin, 'account', {
      name,
      owner: f.ids[owner],
      region: REGION[owner],
      secret: `secret of ${name}`,
      ...extra,
    })
    return record.id as string
  }
  const stored = (id: string) => getRecord(admin, 'account', id)

  beforeAll(async () => {
    f = await openPermissionsFixture(target, ROLES)
    const published = await publishMetadata(
      { db: f.db, user: SYSTEM_USER, clock: f.admin.clock, log: f.admin.log },
      {
        packages: [],
        entities: [dedupAccount, accountLine, contact],
        forms: [],
        views: [],
        roles: ROLES,
      },
    )
    meta = published.meta
    admin = { ...f.admin, meta }
  })
  afterAll(async () => f?.close())

  describe('changing the owner', () => {
    it('needs the assign right, naming the owner field, even with update on every record', async () => {
      const id = await seed('owner-1', 'rep1')
      const before = await stored(id)
      for (const ctx of [as('rep1', ['rep']), as('rep1', ['editor'])]) {
        const err = await failure(() =>
          updateRecord(ctx, 'account', id, { owner: f.ids.rep2 }, before.version as number),
        )
        expect(err.status).toBe(403)
        expect(err.details).toEqual([{ path: 'owner', message: expect.stringContaining('assign') }])
      }
      expect(await stored(id)).toMatchObject({ owner: f.ids.rep1, version: before.version })
    })

    it('lets an unchanged owner through as a round-trip', async () => {
      const id = await seed('owner-2', 'rep1')
      const rep1 = as('rep1', ['rep'])
      const patch = { owner: f.ids.rep1.toUpperCase(), credit: 4 }
      const { record } = await updateRecord(rep1, 'account', id, patch, 1)
      expect(record).toMatchObject({ owner: f.ids.rep1, credit: 4, creditTwice: 8 })
    })

    it('hands a record over under the assign right, after which it is out of reach', async () => {
      const id = await seed('owner-3', 'rep1')
      const seller = as('rep1', ['seller'])
      const { record } = await updateRecord(seller, 'account', id, { owner: f.ids.rep2 }, 1)
      expect(record.owner).toBe(f.ids.rep2)
      expect((await failure(() => getRecord(seller, 'account', id))).status).toBe(404)
    })

    it("lets a manager reassign a subordinate's record, and hides records beyond the team", async () => {
      const mine = await seed('owner-4', 'rep1')
      const mgr = as('mgrEast', ['manager'])
      const { record } = await updateRecord(mgr, 'account', mine, { owner: f.ids.rep2 }, 1)
      expect(record.owner).toBe(f.ids.rep2)
      const theirs = await seed('owner-5', 'repW')
      const err = await failure(() =>
        updateRecord(mgr, 'account', theirs, { owner: f.ids.rep1 }, 1),
      )
      expect(err.status).toBe(404)
    })

    it('refuses an update that would take the record out of the update scope, and keeps it', async () => {
      const id = await seed('region-1', 'rep1')
      const regional = as('rep1', ['regional'])
      const err = await failure(() =>
        updateRecord(regional, 'account', id, { region: 'west', credit: 1 }, 1),
      )
      expect(err.status).toBe(403)
      expect(err.details[0].path).toBe('id')
      expect(await stored(id)).toMatchObject({ region: 'east', credit: null, version: 1 })
      const { record } = await updateRecord(regional, 'account', id, { credit: 2 }, 1)
      expect(record.credit).toBe(2)
    })

    it('leaves administrators free to change owners', async () => {
      const id = await seed('owner-6', 'rep1')
      const { record } = await updateRecord(admin, 'account', id, { owner: f.ids.repW }, 1)
      expect(record.owner).toBe(f.ids.repW)
    })
  })

  describe('de-duplication on write', () => {
    let acme: string
    beforeAll(async () => {
      acme = await seed('Acme Trading', 'repW', { email: 'buy@acme.test', credit: 42 })
    })

    it('blocks a duplicate the caller cannot read with only its title and owner name', async () => {
      const rep1 = as('rep1', ['rep'])
      const err = await failure(() =>
        createRecord(rep1, 'account', { name: '  ＡＣＭＥ   trading ' }),
      )
      expect(err.status).toBe(409)
      expect(err.extra.existing).toEqual({
        title: 'Acme Trading',
        ownerName: 'repW',
        readable: false,
      })
      expect(err.message).toContain('Acme Trading')
      for (const secret of [acme, f.ids.repW, 'buy@acme.test', 'secret of']) {
        expect(told(err)).not.toContain(secret)
      }
      const own = await seed('Mine', 'rep1')
      const renamed = await failure(() =>
        updateRecord(rep1, 'account', own, { name: 'acme trading' }, 1),
      )
      expect(renamed.status).toBe(409)
      expect(told(renamed)).not.toContain(acme)
    })

    it('names the id of a duplicate the caller can read', async () => {
      const err = await failure(() =>
        createRecord(as('mgrWest', ['manager']), 'account', { name: 'acme trading' }),
      )
      expect(err.status).toBe(409)
      expect(err.extra.existing).toEqual({
        id: acme,
        title: 'Acme Trading',
        ownerName: 'repW',
        readable: true,
      })
    })

    it('warns of an unreadable match without its id', async () => {
      const { warnings } = await createRecord(as('rep1', ['rep']), 'account', {
        name: 'Other',
        email: 'buy@acme.test',
      })
      expect(warnings).toEqual([
        { path: 'email', message: expect.stringContaining("'Acme Trading' (owner: repW)") },
      ])
      expect(JSON.stringify(warnings)).not.toContain(acme)
    })
  })

  describe('formulas over hidden fields', () => {
    let id: string
    beforeAll(async () => {
      id = await seed('formulas', 'rep1', { credit: 5, lines: [{ item: 'x', cost: 3 }] })
    })

    it('are computed for whoever may read their sources', async () => {
      expect(await stored(id)).toMatchObject({
        secretTag: 'tag:secret of formulas',
        secretTagLength: 22,
        lineCost: 3,
        lineCount: 1,
      })
    })

    it('are stripped from records and lists, like the fields they read, also transitively', async () => {
      const rep1 = as('rep1', ['rep'])
      const record = await getRecord(rep1, 'account', id)
      const [listed] = (
        await listRecords(rep1, 'account', { filter: { '==': [{ var: 'name' }, 'formulas'] } })
      ).data
      for (const row of [record, listed]) {
        for (const hidden of ['secret', 'secretTag', 'secretTagLength', 'lineCost'])
          expect(row).not.toHaveProperty(hidden)
        expect(row).toMatchObject({ creditTwice: 10, lineCount: 1 })
      }
      expect(JSON.stringify(record)).not.toContain('secret of')
    })

    it('cannot be filtered or sorted on', async () => {
      const rep1 = as('rep1', ['rep'])
      const filter = await failure(() =>
        listRecords(rep1, 'account', { filter: { '==': [{ var: 'secretTagLength' }, 22] } }),
      )
      expect(filter.status).toBe(403)
      expect(filter.details[0].message).toContain('secretTagLength')
      const sort = await failure(() => listRecords(rep1, 'account', { sort: 'secretTag' }))
      expect(sort.status).toBe(403)
    })
  })

  describe('history of child tables', () => {
    it('strips hidden child fields inside the changes of a child table', async () => {
      const id = await seed('history', 'rep1', { lines: [{ item: 'x', cost: 3 }] })
      await updateRecord(admin, 'account', id, { lines: [{ item: 'y', cost: 987654 }] }, 1)
      const history = await getRecordHistory(as('rep1', ['rep']), 'account', id)
      expect(history).toHaveLength(2)
      const lines = history[0].changes.lines as { before: RecordData[]; after: RecordData[] }
      expect(lines.before).toEqual([expect.objectContaining({ item: 'x' })])
      expect(lines.after).toEqual([expect.objectContaining({ item: 'y' })])
      for (const row of [...lines.before, ...lines.after]) expect(row).not.toHaveProperty('cost')
      expect(history[0].changes).not.toHaveProperty('lineCost')
      expect(JSON.stringify(history)).not.toContain('987654')
      const full = await getRecordHistory(admin, 'account', id)
      expect(JSON.stringify(full)).toContain('987654')
    })
  })

  describe('row filters compiled once per caller', () => {
    it('answers the same rows from the cached filter and follows a changed attribute', async () => {
      await seed('filter-east', 'mgrEast')
      await seed('filter-west', 'mgrWest')
      const names = async (ctx: Ctx) =>
        (
          await listRecords(ctx, 'account', {
            filter: { in: [{ var: 'name' }, ['filter-east', 'filter-west']] },
          })
        ).data.map((r) => r.name)
      const east = as('rep1', ['regional'])
      expect(await names(east)).toEqual(['filter-east'])
      expect(await names(east)).toEqual(['filter-east'])
      const moved: Ctx = { ...east, user: { ...east.user!, attributes: { region: 'west' } } }
      expect(await names(moved)).toEqual(['filter-west'])
      expect(await names(east)).toEqual(['filter-east'])
    })
  })
})
