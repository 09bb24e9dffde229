import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Form } from '../../metadata/form'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import {
  assignPackage,
  emptyDefinitions,
  installPackages,
  type MetadataBundle,
} from '../../runtime/registry'
import type { PackageContents } from '../../runtime/registry/packages'
import { loadSeedPackages, type SeedPackage } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

/**
 * An instance installed before extensions: customer 1.0.0's form listed quotes, orders, payments,
 * tickets and complaints itself; order and service 1.0.0 shipped no extension. Built from the
 * shipped packages minus that change, and published as the older release left it.
 */
const shipped = new Map(loadSeedPackages().map((p) => [p.manifest.id, p]))
const IDS = ['customer', 'order', 'service', 'hr-admin']
const OLD_VERSION: Record<string, string> = {
  customer: '1.0.0',
  order: '1.0.0',
  service: '1.0.0',
  'hr-admin': '2.0.0',
}
/** The eight lists of the customer form, in the order customer 1.0.0 gave them. */
const LISTS = [
  'contacts',
  'followUps',
  'opportunities',
  'quotes',
  'salesOrders',
  'payments',
  'tickets',
  'complaints',
]

function toBody({ dir: _dir, ...pkg }: SeedPackage): PackageContents {
  return pkg
}

function oldPackage(id: string): PackageContents {
  const pkg = toBody(shipped.get(id)!)
  const manifest = { ...pkg.manifest, version: OLD_VERSION[id] }
  if (manifest.dependencies?.customer) manifest.dependencies = { customer: '^1.0.0' }
  if (id !== 'customer') return { ...pkg, manifest, extensions: [] }
  const moved = ['order', 'service'].flatMap((dep) =>
    shipped.get(dep)!.extensions.flatMap((x) => x.relatedLists ?? []),
  )
  const forms = pkg.forms.map((form) =>
    form.id === 'customer'
      ? { ...form, relatedLists: [...(form.relatedLists ?? []), ...moved] }
      : form,
  )
  return { ...pkg, manifest, forms }
}

/** The published bundle of the older release: its packages side by side, as it installed them. */
function oldInstallation(): MetadataBundle {
  const bundle: MetadataBundle = { packages: [], ...emptyDefinitions() }
  for (const id of IDS) {
    const { pkg } = assignPackage(oldPackage(id))
    bundle.packages.push(pkg.manifest)
    for (const [key, defs] of Object.entries(pkg))
      if (key !== 'manifest') (bundle[key as 'forms'] as unknown[]).push(...(defs as unknown[]))
  }
  return bundle
}

describe.each(testTargets())(
  'upgrading an instance installed before extensions on $name',
  (target) => {
    let f: AppFixture
    beforeAll(async () => {
      f = await openAppFixture(target, { bundle: oldInstallation() })
    })
    afterAll(() => f?.close())

    const post = (body: unknown, apply: boolean) =>
      f.call('POST', `/api/meta/packages${apply ? '?apply=true' : ''}`, {
        token: f.adminToken,
        body,
      })
    const customerForm = async () => {
      const res = await f.call('GET', '/api/meta/forms/customer', { token: f.adminToken })
      expect(res.status).toBe(200)
      return (await res.json()) as Form
    }
    interface Result {
      packages: { id: string; from: string | null; to: string; step: string }[]
      changes: { kind: string; id: string; change: string }[]
    }

    it('holds the old customer form and takes an administrator’s edits to it', async () => {
      const form = await customerForm()
      expect(form.relatedLists?.map((l) => l.id)).toEqual(LISTS)
      // The administrator trims the quotes list and renames the first tab.
      const edited: Form = {
        ...form,
        tabs: form.tabs.map((tab, i) => (i ? tab : { ...tab, label: { en: 'Account' } })),
        relatedLists: form.relatedLists!.map((l) =>
          l.id === 'quotes' ? { ...l, columns: ['number', 'total'] } : l,
        ),
      }
      const put = await f.call('PUT', '/api/meta/forms/customer', {
        token: f.adminToken,
        body: edited,
      })
      expect(put.status, await put.clone().text()).toBe(200)
      const apply = await f.call('POST', '/api/meta/apply', { token: f.adminToken, body: {} })
      expect(apply.status, await apply.clone().text()).toBe(200)
    })

    it('shows every shipped package as an upgrade from the installed version', async () => {
      for (const id of IDS) {
        const res = await post(toBody(shipped.get(id)!), false)
        // customer 2.0.0 alone is refused (see below); the plan of the others is an upgrade.
        if (id === 'customer') {
          expect(res.status).toBe(400)
          continue
        }
        expect(res.status, `${id}: ${await res.clone().text()}`).toBe(200)
        const result = (await res.json()) as Result
        expect(result.packages).toEqual([
          { id, from: OLD_VERSION[id], to: shipped.get(id)!.manifest.version, step: 'upgrade' },
        ])
        expect(result.changes).toContainEqual({ kind: 'package', id, change: 'change' })
      }
      expect(shipped.get('customer')!.manifest.version).toBe('2.0.0')
    })

    it('refuses customer 2.0.0 while order 1.0.0 and service 1.0.0 need customer 1', async () => {
      const res = await post(toBody(shipped.get('customer')!), true)
      expect(res.status).toBe(400)
      const { error } = (await res.json()) as { error: { details: { path: string }[] } }
      expect(error.details.map((d) => d.path)).toEqual([
        'packages[order].dependencies.customer',
        'packages[service].dependencies.customer',
      ])
      expect((await customerForm()).relatedLists?.map((l) => l.id)).toEqual(LISTS)
    })

    it('upgrades order, then service, alone: the form keeps its lists, their order and the edits', async () => {
      for (const id of ['order', 'service']) {
        const res = await post(toBody(shipped.get(id)!), true)
        expect(res.status, `${id}: ${await res.clone().text()}`).toBe(200)
        const { changes } = (await res.json()) as Result
        const extension = shipped.get(id)!.extensions[0].id
        expect(changes).toContainEqual({ kind: 'extension', id: extension, change: 'add' })
        expect(changes).not.toContainEqual(
          expect.objectContaining({ kind: 'form', id: 'customer' }),
        )
        const form = await customerForm()
        expect(
          form.relatedLists?.map((l) => l.id),
          id,
        ).toEqual(LISTS)
        expect(form.tabs[0].label).toEqual({ en: 'Account' })
        expect(form.relatedLists?.find((l) => l.id === 'quotes')?.columns).toEqual([
          'number',
          'total',
        ])
      }
      const created = await f.call('POST', '/api/data/customer', {
        token: f.adminToken,
        body: { name: 'Upgraded Ltd' },
      })
      expect(created.status).toBe(201)
      const { id } = (await created.json()) as { id: string }
      const res = await f.call('GET', `/api/data/customer/${id}?related=true`, {
        token: f.adminToken,
      })
      expect(Object.keys(((await res.json()) as { related: object }).related)).toEqual(LISTS)
    })

    it('plans customer 1.0.0 again as installed, but refuses its form listing one more order record', async () => {
      // As `trellis export` writes it back: the lists its installed form holds are not refused.
      const again = await post(oldPackage('customer'), false)
      expect(again.status, await again.clone().text()).toBe(200)
      expect(((await again.json()) as Result).packages).toEqual([
        { id: 'customer', from: '1.0.0', to: '1.0.0', step: 'reinstall' },
      ])
      const customer = oldPackage('customer')
      const invoices = { id: 'invoices', entity: 'invoice', field: 'customer' }
      const res = await post(
        {
          ...customer,
          manifest: { ...customer.manifest, version: '1.0.1' },
          forms: customer.forms.map((form) =>
            form.id === 'customer'
              ? { ...form, relatedLists: [...form.relatedLists!, invoices] }
              : form,
          ),
        },
        false,
      )
      expect(res.status).toBe(400)
      const { error } = (await res.json()) as { error: { details: object[] } }
      expect(error.details).toEqual([
        {
          path: 'forms[customer].relatedLists[8].entity',
          message:
            "no entity 'invoice' in package 'customer' or the packages it depends on (a package " +
            "names only what it or its dependencies ship; package 'order' ships it and can add the " +
            "list to form 'customer' with an extension)",
        },
      ])
    })

    it('then upgrades customer to 2.0.0: its form lists its own three, the extensions the rest', async () => {
      const res = await post(toBody(shipped.get('customer')!), true)
      expect(res.status, await res.clone().text()).toBe(200)
      const result = (await res.json()) as Result
      expect(result.packages).toEqual([
        { id: 'customer', from: '1.0.0', to: '2.0.0', step: 'upgrade' },
      ])
      expect(result.changes).toContainEqual({ kind: 'form', id: 'customer', change: 'change' })
      expect((await customerForm()).relatedLists?.map((l) => l.id)).toEqual(LISTS)
      const published = await f.call('GET', '/api/meta/extensions', { token: f.adminToken })
      const data = ((await published.json()) as { data: { id: string; module: string }[] }).data
      expect(data.map((x) => x.module)).toEqual(['order', 'service'])
      // The form as the API shows it, extensions' lists included, saved back: no list twice.
      const put = await f.call('PUT', '/api/meta/forms/customer', {
        token: f.adminToken,
        body: await customerForm(),
      })
      expect(put.status, await put.clone().text()).toBe(200)
      const apply = await f.call('POST', '/api/meta/apply', { token: f.adminToken, body: {} })
      expect(apply.status, await apply.clone().text()).toBe(200)
      expect((await customerForm()).relatedLists?.map((l) => l.id)).toEqual(LISTS)
    })

    describe('all four shipped packages in one install, as trellis apply --dir seeds gives them', () => {
      let f: AppFixture
      beforeAll(async () => {
        f = await openAppFixture(target, { bundle: oldInstallation() })
      })
      afterAll(() => f?.close())

      it('upgrades each and keeps the eight lists in their order', async () => {
        const ctx = { db: f.db, user: SYSTEM_USER, clock: systemClock, log: silentLogger }
        const result = await installPackages(
          ctx,
          IDS.map((id) => toBody(shipped.get(id)!)),
        )
        // From the old installation's versions to the ones shipped now.
        const to = (id: string) => shipped.get(id)!.manifest.version
        expect(result.packages.map((p) => `${p.id} ${p.from} → ${p.to} ${p.step}`)).toEqual([
          `customer 1.0.0 → ${to('customer')} upgrade`,
          `order 1.0.0 → ${to('order')} upgrade`,
          `service 1.0.0 → ${to('service')} upgrade`,
          `hr-admin 2.0.0 → ${to('hr-admin')} upgrade`,
        ])
        expect(result.changes).toEqual(
          expect.arrayContaining([
            { kind: 'form', id: 'customer', change: 'change' },
            { kind: 'extension', id: 'customerOrders', change: 'add' },
            { kind: 'extension', id: 'customerService', change: 'add' },
          ]),
        )
        const res = await f.call('GET', '/api/meta/forms/customer', { token: f.adminToken })
        expect(((await res.json()) as Form).relatedLists?.map((l) => l.id)).toEqual(LISTS)
      })
    })
  },
)
