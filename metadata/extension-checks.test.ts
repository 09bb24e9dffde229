import { describe, expect, it } from 'vitest'
import type { MetadataBundleShape } from './bundle'
import { extendForm, extendForms, orderExtensions } from './extend-forms'
import type { Extension } from './extension'
import type { PackageManifest } from './package'
import { validateReferences } from './references'
import { customerForm, validBundle } from './test-fixtures'
import { validateDefinition } from './validate'

/** Package `visits` adds the follow-ups list, a tab and a section to the crm customer form. */
function visitsOnCustomer(): Extension {
  return {
    id: 'visitsOnCustomer',
    module: 'visits',
    form: 'customer',
    relatedLists: [{ id: 'visits', entity: 'followUp', field: 'customer', sort: '-visitedOn' }],
    tabs: [
      {
        id: 'visiting',
        label: { en: 'Visiting' },
        sections: [{ id: 'plan', fields: [{ field: 'lastContactAt' }] }],
      },
    ],
    sections: [{ tab: 'main', id: 'reach', columns: 2, fields: [{ field: 'phone' }] }],
  }
}

function extendedBundle(...extensions: Extension[]): MetadataBundleShape {
  return { ...validBundle(), extensions }
}

const issuesOf = (...extensions: Extension[]) => validateReferences(extendedBundle(...extensions))

describe('an extension on its own', () => {
  it('is valid when it names a form and adds lists, tabs or sections', () => {
    expect(validateDefinition('extension', visitsOnCustomer())).toEqual([])
  })

  it('refuses one that adds nothing, or a section without its tab, naming the path', () => {
    expect(validateDefinition('extension', { id: 'x', form: 'customer' })).toEqual([
      { path: '', message: 'adds nothing: give relatedLists, tabs or sections' },
    ])
    const { tab: _tab, ...section } = visitsOnCustomer().sections![0]
    const issues = validateDefinition('extension', { ...visitsOnCustomer(), sections: [section] })
    expect(issues).toEqual([{ path: 'sections[0].tab', message: 'is required' }])
    expect(validateDefinition('extension', { id: 'x', relatedLists: [] })).toEqual([
      { path: 'form', message: 'is required' },
    ])
  })

  it('refuses ids used twice and a field placed twice, at the path of the second', () => {
    const twice = visitsOnCustomer()
    twice.relatedLists!.push({ ...twice.relatedLists![0] })
    twice.sections!.push({ tab: 'visiting', id: 'plan', fields: [{ field: 'phone', span: 2 }] })
    expect(validateDefinition('extension', twice)).toEqual([
      { path: 'sections[1].id', message: "duplicate section id 'plan'" },
      { path: 'sections[1].fields[0].field', message: "duplicate form field 'phone'" },
      { path: 'relatedLists[1].id', message: "duplicate related list id 'visits'" },
      { path: 'sections[1].fields[0].span', message: "must not exceed the section's 1 column(s)" },
    ])
  })
})

describe('an extension in a bundle', () => {
  it('resolves against the form it extends', () => {
    expect(issuesOf(visitsOnCustomer())).toEqual([])
  })

  it('refuses a missing form, a list not pointing at the form entity, an unknown tab', () => {
    expect(issuesOf({ ...visitsOnCustomer(), form: 'nope' })).toEqual([
      { path: 'extensions[visitsOnCustomer].form', message: "no form 'nope'" },
    ])
    const bad = visitsOnCustomer()
    bad.relatedLists![0].field = 'summary'
    bad.tabs![0].sections[0].fields[0].field = 'nothing'
    bad.sections![0].tab = 'elsewhere'
    const at = 'extensions[visitsOnCustomer]'
    expect(issuesOf(bad)).toEqual([
      {
        path: `${at}.tabs[0].sections[0].fields[0].field`,
        message: "no field 'nothing' in entity 'customer'",
      },
      {
        path: `${at}.relatedLists[0].field`,
        message: "'followUp.summary' is not a reference to 'customer'",
      },
      {
        path: `${at}.sections[0].tab`,
        message: "no tab 'elsewhere' in form 'customer' or its extensions",
      },
    ])
  })

  it('refuses what the form or another extension of it already has', () => {
    const clash = visitsOnCustomer()
    // The form's 'followUps' lists follow-ups by `customer`; this one by another reference.
    clash.relatedLists![0] = { id: 'followUps', entity: 'followUp', field: 'referredBy' }
    clash.sections![0].fields[0].field = 'name'
    const other: Extension = { ...visitsOnCustomer(), id: 'other', module: undefined, sections: [] }
    const at = 'extensions[visitsOnCustomer]'
    const bundle = extendedBundle(clash, other)
    const followUp = bundle.entities.find((e) => e.id === 'followUp')!
    followUp.fields.push({
      name: 'referredBy',
      type: 'reference',
      label: { en: 'Referred by' },
      entity: 'customer',
    })
    expect(validateReferences(bundle).filter((i) => i.path.startsWith(at))).toEqual([
      { path: `${at}.tabs[0].id`, message: "tab 'visiting' is also added by extension 'other'" },
      {
        path: `${at}.tabs[0].sections[0].id`,
        message: "section 'plan' is also added by extension 'other'",
      },
      {
        path: `${at}.tabs[0].sections[0].fields[0].field`,
        message: "field 'lastContactAt' is also added by extension 'other'",
      },
      {
        path: `${at}.sections[0].fields[0].field`,
        message: "field 'name' is already on form 'customer'",
      },
      {
        path: `${at}.relatedLists[0].id`,
        message: "related list 'followUps' is already on form 'customer'",
      },
    ])
  })

  it('takes a list the form already holds with its id, entity and field as its own', () => {
    // A form published before the list moved to the extension, its columns changed by an admin.
    const form = customerForm()
    const own = visitsOnCustomer()
    const held = { ...own.relatedLists![0], columns: ['summary'] }
    form.relatedLists = [held, ...form.relatedLists!]
    const bundle = { ...extendedBundle(own), forms: [form] }
    expect(validateReferences(bundle)).toEqual([])
    expect(extendForm(form, [own]).relatedLists).toEqual(form.relatedLists)
    own.relatedLists![0].field = 'summary'
    expect(validateReferences({ ...bundle, extensions: [own] })).toContainEqual({
      path: 'extensions[visitsOnCustomer].relatedLists[0].id',
      message: "related list 'visits' is already on form 'customer'",
    })
  })

  it('refuses two extensions with one id', () => {
    expect(issuesOf(visitsOnCustomer(), visitsOnCustomer())).toContainEqual({
      path: 'extensions[visitsOnCustomer].id',
      message: "id 'visitsOnCustomer' is used by 2 extensions",
    })
  })
})

const manifest = (id: string, dependencies?: Record<string, string>): PackageManifest => ({
  id,
  version: '1.0.0',
  label: { en: id },
  ...(dependencies && { dependencies }),
})

describe('extendForms', () => {
  it('appends lists and tabs and puts each section in its tab, leaving the form as published', () => {
    const form = customerForm()
    const extended = extendForm(form, [visitsOnCustomer()])
    expect(extended.relatedLists!.map((l) => l.id)).toEqual(['followUps', 'visits'])
    expect(extended.tabs.map((t) => t.id)).toEqual(['main', 'visiting'])
    expect(extended.tabs[0].sections.map((s) => s.id)).toEqual(['basics', 'people', 'reach'])
    expect(extended.tabs[0].sections[2]).not.toHaveProperty('tab')
    expect(form).toEqual(customerForm())
  })

  it('applies a package’s extensions after those of what it depends on, whatever the install order', () => {
    const packages = new Map(
      [
        manifest('crm'),
        manifest('zeta', { crm: '^1.0.0' }),
        manifest('alpha', { zeta: '^1.0.0' }),
      ].map((p) => [p.id, p]),
    )
    const list = (id: string, module?: string): Extension => ({
      id,
      module,
      form: 'customer',
      relatedLists: [{ id, entity: 'followUp', field: 'customer' }],
    })
    const given = [list('local'), list('b', 'alpha'), list('a', 'alpha'), list('z', 'zeta')]
    expect(orderExtensions(given, packages).map((x) => x.id)).toEqual(['z', 'a', 'b', 'local'])
    const [customer] = extendForms([customerForm()], given.reverse(), packages)
    expect(customer.relatedLists!.map((l) => l.id)).toEqual(['followUps', 'z', 'a', 'b', 'local'])
  })

  it('gives back a form nothing extends as the same object', () => {
    const form = customerForm()
    expect(extendForms([form], [{ ...visitsOnCustomer(), form: 'other' }], new Map())[0]).toBe(form)
  })
})
