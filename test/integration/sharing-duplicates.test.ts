import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import {
  errorPaths,
  movableClock,
  openSharingFixture,
  read,
  type SharingFixture,
} from './sharing-fixture'

const LOOKUP = '/api/data/customer/duplicates'

describe.each(testTargets())('The anti-collision lookup on $name', (target) => {
  let f: SharingFixture
  let acme: string
  let globex: string
  beforeAll(async () => {
    f = await openSharingFixture(target, movableClock('2026-03-01T09:00:00.000Z'))
    acme = await f.create('customer', {
      name: 'Acme Corp',
      email: 'buy@acme.test',
      employees: 42,
      notes: 'secret-margin-17',
      owner: f.ids.repW,
    })
    globex = await f.create('customer', {
      name: 'Globex',
      email: 'hi@globex.test',
      owner: f.ids.rep1,
    })
  })
  afterAll(() => f?.close())

  it('tells a caller who cannot read the match only its title and owner name', async () => {
    const res = await read(
      await f.as('rep1', 'POST', LOOKUP, { values: { name: '  ＡＣＭＥ   corp ' } }),
    )
    expect(res.status, res.text).toBe(200)
    expect(res.body).toEqual({
      data: [{ title: 'Acme Corp', ownerName: 'Person repW', readable: false }],
    })
    for (const secret of [acme, 'buy@acme.test', 'secret-margin-17', '42', f.ids.repW]) {
      expect(res.text).not.toContain(secret)
    }
  })

  it('gives the id of a match the caller can read', async () => {
    const owner = await read(await f.as('repW', 'POST', LOOKUP, { values: { name: 'acme corp' } }))
    expect(owner.body.data).toEqual([
      { id: acme, title: 'Acme Corp', ownerName: 'Person repW', readable: true },
    ])
    const manager = await read(
      await f.as('mgrW', 'POST', LOOKUP, { values: { email: 'buy@acme.test' } }),
    )
    expect(manager.body.data).toEqual([
      { id: acme, title: 'Acme Corp', ownerName: 'Person repW', readable: true },
    ])
    const sibling = await read(
      await f.as('mgr', 'POST', LOOKUP, { values: { email: 'buy@acme.test' } }),
    )
    expect(sibling.body.data).toEqual([
      { title: 'Acme Corp', ownerName: 'Person repW', readable: false },
    ])
  })

  it('reports each record once across rules, and none for values no rule compares', async () => {
    const both = await read(
      await f.as('rep1', 'POST', LOOKUP, {
        values: { name: 'Globex', email: 'buy@acme.test', notes: 'anything' },
      }),
    )
    expect(both.body.data).toEqual([
      { id: globex, title: 'Globex', ownerName: 'Person rep1', readable: true },
      { title: 'Acme Corp', ownerName: 'Person repW', readable: false },
    ])
    const none = await read(
      await f.as('rep1', 'POST', LOOKUP, { values: { notes: 'secret-margin-17' } }),
    )
    expect(none.body).toEqual({ data: [] })
    const empty = await read(
      await f.as('rep1', 'POST', LOOKUP, { values: { name: '', email: null } }),
    )
    expect(empty.body).toEqual({ data: [] })
  })

  it('leaves out the record being edited', async () => {
    const res = await read(
      await f.as('rep1', 'POST', LOOKUP, { values: { id: globex, name: 'Globex' } }),
    )
    expect(res.body).toEqual({ data: [] })
  })

  it('compares numbers exactly', async () => {
    const res = await read(await f.as('rep1', 'POST', LOOKUP, { values: { employees: 42 } }))
    expect(res.body.data).toEqual([
      { title: 'Acme Corp', ownerName: 'Person repW', readable: false },
    ])
  })

  it('refuses to compare a field the caller may not read, naming it', async () => {
    const res = await read(
      await f.as('viewer', 'POST', LOOKUP, { values: { email: 'buy@acme.test' } }),
    )
    expect(res.status).toBe(403)
    expect(errorPaths(res.body)).toEqual(['values.email'])
    const byName = await read(
      await f.as('viewer', 'POST', LOOKUP, { values: { name: 'Acme Corp' } }),
    )
    expect(byName.body.data).toEqual([
      { title: 'Acme Corp', ownerName: 'Person repW', readable: false },
    ])
  })

  describe('refuses bad input naming the field', () => {
    const cases: [string, unknown, number, string][] = [
      ['an unknown field', { values: { name: 'x', bogus: 1 } }, 422, 'values.bogus'],
      ['a number for a text field', { values: { name: 5 } }, 422, 'values.name'],
      [
        'text for an integer field',
        { values: { employees: '42; drop table x' } },
        422,
        'values.employees',
      ],
      ['a malformed id', { values: { id: 'x' } }, 422, 'values.id'],
      ['values that are not an object', { values: ['name'] }, 422, 'values'],
      ['no values', {}, 422, 'values'],
      ['an unknown key', { values: {}, limit: 5 }, 422, 'limit'],
      ['a body that is not an object', 'null', 400, 'body'],
    ]
    it.each(cases)('refuses %s', async (_name, body, status, path) => {
      const res = await read(await f.as('rep1', 'POST', LOOKUP, body))
      expect(res.status, res.text).toBe(status)
      expect(errorPaths(res.body)).toContain(path)
    })

    it('answers 404 for an unknown entity', async () => {
      const res = await read(
        await f.as('rep1', 'POST', '/api/data/nope/duplicates', { values: {} }),
      )
      expect(res.status).toBe(404)
      expect(errorPaths(res.body)).toContain('entity')
    })
  })
})
