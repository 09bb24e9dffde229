import { describe, expect, it } from 'vitest'
import type { Alert } from './alert'
import type { MetadataBundleShape } from './bundle'
import { flowBundle } from './flow-fixtures'
import type { PackageManifest } from './package'
import { dependencyClosure, validateDependentLists } from './package-scope'
import { validateReferences } from './references'
import { validateDefinition } from './validate'
import {
  contactEntity,
  customerEntity,
  customerForm,
  followUpEntity,
  validBundle,
} from './test-fixtures'

const manifest = (id: string, dependencies?: Record<string, string>): PackageManifest => ({
  id,
  version: '1.0.0',
  label: { en: id },
  ...(dependencies && { dependencies }),
})

const stamp = <T extends { module?: string }>(defs: T[] | undefined, module: string): T[] =>
  (defs ?? []).map((def) => ({ ...def, module }))

/** An alert of package `sales` telling the `finance` role about every new quote. */
const quoteAlert: Alert = {
  id: 'newQuote',
  module: 'sales',
  label: { en: 'New quote' },
  entity: 'quote',
  trigger: { type: 'created' },
  recipients: [{ type: 'role', role: 'finance' }],
  channels: [{ type: 'inApp' }],
  template: { en: { title: 'New quote', body: 'To check' } },
}

/**
 * The quote flow and its entities in package `sales`; the roles and calendar it names in package
 * `office`; `sales` depends on what `dependencies` says.
 */
function salesOverOffice(dependencies?: Record<string, string>): MetadataBundleShape {
  const b = flowBundle()
  return {
    ...b,
    packages: [manifest('office'), manifest('sales', dependencies)],
    entities: stamp(b.entities, 'sales'),
    flows: stamp(b.flows, 'sales'),
    roles: stamp(b.roles, 'office'),
    calendars: stamp(b.calendars, 'office'),
    alerts: [quoteAlert],
  }
}

const note = "in package 'sales' or the packages it depends on"

describe('what a package may name', () => {
  it('refuses roles and calendars only a package it does not depend on ships, naming each path', () => {
    expect(validateDefinition('alert', quoteAlert)).toEqual([])
    const issues = validateReferences(salesOverOffice())
    const steps = 'flows[quote-flow].transitions[0].approval.steps'
    expect(issues.map((i) => i.path)).toEqual([
      'alerts[newQuote].recipients[0].role',
      `${steps}[0].timeout.calendar`,
      `${steps}[1].branches[0].steps[0].approvers[0].role`,
      `${steps}[1].branches[0].steps[0].approvers[1].managerChain.upToRole`,
      `${steps}[2].parallel[0].steps[0].approvers[0].role`,
      `${steps}[2].parallel[1].steps[0].approvers[0].submitterPick.role`,
    ])
    expect(issues[0].message).toBe(
      `no role 'finance' ${note} (a package names only what it or its dependencies ship)`,
    )
    expect(issues[1].message).toContain(`no calendar 'china-office' ${note}`)
  })

  it('accepts them once the package declares the one that ships them, directly or not', () => {
    expect(validateReferences(salesOverOffice({ office: '^1.0.0' }))).toEqual([])
    const through = salesOverOffice({ middle: '^1.0.0' })
    through.packages.push(manifest('middle', { office: '^1.0.0' }))
    expect(validateReferences(through)).toEqual([])
  })

  it('refuses an entity of another package in a reference field, a form or a role grant', () => {
    const b = validBundle()
    b.packages.push(manifest('people'))
    b.entities = b.entities.map((e) => ({ ...e, module: e.id === 'followUp' ? 'crm' : e.module }))
    b.entities.push({
      id: 'employee',
      module: 'people',
      label: { en: 'Employee' },
      fields: [{ name: 'client', type: 'reference', label: { en: 'Client' }, entity: 'customer' }],
    })
    b.roles = [
      {
        id: 'hr',
        module: 'people',
        label: { en: 'HR' },
        grants: [{ entity: 'customer', scopes: { read: 'all' } }],
      },
    ]
    expect(validateReferences(b)).toEqual([
      expect.objectContaining({ path: 'entities[employee].fields[0].entity' }),
      expect.objectContaining({ path: 'roles[hr].grants[0].entity' }),
    ])
    b.packages[1] = manifest('people', { crm: '^1.0.0' })
    expect(validateReferences(b)).toEqual([])
  })

  it('lets a package lean on definitions made over the API, which belong to no package', () => {
    const b = salesOverOffice()
    b.roles = flowBundle().roles
    b.calendars = flowBundle().calendars
    expect(validateReferences(b)).toEqual([])
  })

  it('reports a name missing from the whole bundle once, as it always was', () => {
    const b = salesOverOffice({ office: '^1.0.0' })
    b.alerts = [{ ...quoteAlert, recipients: [{ type: 'role', role: 'auditor' }] }]
    expect(validateReferences(b)).toEqual([
      { path: 'alerts[newQuote].recipients[0].role', message: "no role 'auditor'" },
    ])
  })

  it('lets an installed form list the records of a package depending on its own, not a package being installed', () => {
    const b: MetadataBundleShape = {
      packages: [manifest('crm'), manifest('visits', { crm: '^1.0.0' })],
      entities: [customerEntity(), contactEntity(), { ...followUpEntity(), module: 'visits' }],
      forms: [{ ...customerForm(), module: 'crm' }],
      views: [],
    }
    // Published before extensions (customer 1.0.0 listed quotes): every other publish goes on.
    expect(validateReferences(b)).toEqual([])
    expect(validateDependentLists(b, ['visits'])).toEqual([])
    expect(validateDependentLists(b, ['crm'])).toEqual([
      {
        path: 'forms[customer].relatedLists[0].entity',
        message:
          "no entity 'followUp' in package 'crm' or the packages it depends on (a package names " +
          "only what it or its dependencies ship; package 'visits' ships it and can add the list " +
          "to form 'customer' with an extension)",
      },
    ])
    // Held by the installed form (exported and planned again), or added by the visits extension.
    expect(validateDependentLists(b, ['crm'], { forms: b.forms })).toEqual([])
    const extension = {
      id: 'x',
      module: 'visits',
      form: 'customer',
      relatedLists: b.forms[0].relatedLists,
    }
    expect(validateDependentLists({ ...b, extensions: [extension] }, ['crm'])).toEqual([])
    const other = { ...b.forms[0], relatedLists: [] }
    expect(validateDependentLists(b, ['crm'], { forms: [other] })).toHaveLength(1)
    b.packages[1] = manifest('visits')
    expect(validateReferences(b).map((i) => i.path)).toContain(
      'forms[customer].relatedLists[0].entity',
    )
  })

  it('lets a package extend the form of a package it depends on, not of any other', () => {
    const form = customerForm()
    const b: MetadataBundleShape = {
      packages: [manifest('crm'), manifest('visits', { crm: '^1.0.0' })],
      entities: [customerEntity(), contactEntity(), { ...followUpEntity(), module: 'visits' }],
      forms: [{ ...form, module: 'crm', relatedLists: [] }],
      views: [],
      extensions: [
        {
          id: 'visitsOnCustomer',
          module: 'visits',
          form: 'customer',
          relatedLists: form.relatedLists,
        },
      ],
    }
    expect(validateReferences(b)).toEqual([])
    b.packages[1] = manifest('visits')
    expect(validateReferences(b).map((i) => [i.path, i.message.split(' (')[0]])).toEqual([
      [
        'entities[followUp].fields[0].entity',
        "no entity 'customer' in package 'visits' or the packages it depends on",
      ],
      [
        'extensions[visitsOnCustomer].form',
        "no form 'customer' in package 'visits' or the packages it depends on",
      ],
    ])
  })
})

describe('dependencyClosure', () => {
  it('follows dependencies through other packages and stops at a cycle or a missing one', () => {
    const packages = new Map(
      [
        manifest('a', { b: '^1.0.0' }),
        manifest('b', { c: '^1.0.0', gone: '^1.0.0' }),
        manifest('c', { a: '^1.0.0' }),
        manifest('d'),
      ].map((p) => [p.id, p]),
    )
    expect([...dependencyClosure('a', packages)].sort()).toEqual(['a', 'b', 'c', 'gone'])
    expect([...dependencyClosure('d', packages)]).toEqual(['d'])
  })
})
