import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Form } from '../../metadata/form'
import { emptyDefinitions } from '../../runtime/registry'
import { loadSeedPackages, type SeedPackage } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

/** The customer form's own lists, then those order and service add with their extensions. */
const OWN = ['contacts', 'followUps', 'opportunities']
const ORDER = ['quotes', 'salesOrders', 'payments']
const SERVICE = ['tickets', 'complaints']

/** Each shipped package with only what it depends on, and the customer form's lists then. */
const ALONE = [
  { name: 'customer alone', ids: ['customer'], lists: OWN },
  { name: 'order with customer', ids: ['customer', 'order'], lists: [...OWN, ...ORDER] },
  { name: 'service with customer', ids: ['customer', 'service'], lists: [...OWN, ...SERVICE] },
  {
    name: 'hr-admin with order, service and customer',
    ids: ['customer', 'order', 'service', 'hr-admin'],
    lists: [...OWN, ...ORDER, ...SERVICE],
  },
]

const shipped = new Map(loadSeedPackages().map((p) => [p.manifest.id, p]))

/** A shipped package as POST /api/meta/packages takes it; `upgraded`: as its next patch release. */
function toBody({ dir: _dir, ...pkg }: SeedPackage, upgraded = false) {
  const version = upgraded ? pkg.manifest.version.replace(/\d+$/, '9') : pkg.manifest.version
  return { ...pkg, manifest: { ...pkg.manifest, version } }
}

describe.each(testTargets())('each shipped package alone on $name', (target) => {
  describe.each(ALONE)('$name, on a fresh database', ({ ids, lists }) => {
    let f: AppFixture
    beforeAll(async () => {
      f = await openAppFixture(target, { bundle: { packages: [], ...emptyDefinitions() } })
    })
    afterAll(() => f?.close())

    const install = (body: unknown) =>
      f.call('POST', '/api/meta/packages?apply=true', { token: f.adminToken, body })
    const customerForm = async () => {
      const res = await f.call('GET', '/api/meta/forms/customer', { token: f.adminToken })
      expect(res.status).toBe(200)
      return (await res.json()) as Form
    }
    const relatedOf = async (id: string) => {
      const res = await f.call('GET', `/api/data/customer/${id}?related=true`, {
        token: f.adminToken,
      })
      expect(res.status).toBe(200)
      return Object.keys(((await res.json()) as { related: object }).related)
    }

    it('installs, one package at a time, with no issue', async () => {
      for (const id of ids) {
        const res = await install(toBody(shipped.get(id)!))
        expect(res.status, `${id}: ${await res.clone().text()}`).toBe(200)
      }
      const nav = await f.call('GET', '/api/meta/packages', { token: f.adminToken })
      const installed = ((await nav.json()) as { data: { id: string }[] }).data
      expect(installed.map((p) => p.id).sort()).toEqual([...ids].sort())
    })

    it('shows on the customer form the related lists of the installed packages only', async () => {
      expect((await customerForm()).relatedLists?.map((l) => l.id)).toEqual(lists)
      const created = await f.call('POST', '/api/data/customer', {
        token: f.adminToken,
        body: { name: 'Alone Ltd' },
      })
      expect(created.status).toBe(201)
      const { id } = (await created.json()) as { id: string }
      expect(await relatedOf(id)).toEqual(lists)
      const res = await f.call('GET', '/api/meta/extensions', { token: f.adminToken })
      const extensions = ((await res.json()) as { data: { module: string; form: string }[] }).data
      expect(extensions.map((x) => `${x.module} → ${x.form}`)).toEqual(
        ids.filter((id) => id === 'order' || id === 'service').map((id) => `${id} → customer`),
      )
    })

    it('keeps the lists other packages add when the form’s package or theirs is upgraded', async () => {
      for (const id of ids) {
        const res = await install(toBody(shipped.get(id)!, true))
        expect(res.status, `${id}: ${await res.clone().text()}`).toBe(200)
        expect(
          (await customerForm()).relatedLists?.map((l) => l.id),
          id,
        ).toEqual(lists)
      }
    })
  })

  describe('a package that lists another package’s records on its form', () => {
    let f: AppFixture
    beforeAll(async () => {
      f = await openAppFixture(target, { bundle: { packages: [], ...emptyDefinitions() } })
    })
    afterAll(() => f?.close())

    it('is refused at the list, pointing at an extension of the package that ships them', async () => {
      const customer = toBody(shipped.get('customer')!)
      const order = shipped.get('order')!.extensions[0].relatedLists!
      const res = await f.call('POST', '/api/meta/packages?apply=true', {
        token: f.adminToken,
        body: {
          ...customer,
          forms: customer.forms.map((form) =>
            form.id === 'customer'
              ? { ...form, relatedLists: [...(form.relatedLists ?? []), order[0]] }
              : form,
          ),
        },
      })
      expect(res.status).toBe(400)
      const { error } = (await res.json()) as { error: { details: object[] } }
      expect(error.details).toEqual([
        { path: 'forms[customer].relatedLists[3].entity', message: "no entity 'quote'" },
      ])
    })
  })
})
