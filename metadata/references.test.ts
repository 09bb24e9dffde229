import { describe, expect, it } from 'vitest'
import type { MetadataBundleShape } from './bundle'
import { validateReferences } from './references'
import { validBundle } from './test-fixtures'
import type { KanbanView, ListView } from './view'

function issuesOf(change: (bundle: MetadataBundleShape) => void) {
  const bundle = validBundle()
  change(bundle)
  return validateReferences(bundle)
}

const entity = (b: MetadataBundleShape, id: string) => b.entities.find((e) => e.id === id)!

describe('validateReferences', () => {
  it('accepts a bundle in which every reference resolves', () => {
    expect(validateReferences(validBundle())).toEqual([])
  })

  it('rejects a reference field whose target entity is unknown', () => {
    const issues = issuesOf((b) => (entity(b, 'followUp').fields[0].entity = 'client'))
    expect(issues).toContainEqual({
      path: 'entities[followUp].fields[0].entity',
      message: "no entity 'client'",
    })
  })

  it('rejects a child table whose target is not a child of the entity', () => {
    const issues = issuesOf((b) => delete entity(b, 'contact').childOf)
    const at = entity(validBundle(), 'customer').fields.findIndex((f) => f.name === 'contacts')
    expect(issues).toEqual([
      {
        path: `entities[customer].fields[${at}].entity`,
        message: "entity 'contact' must declare childOf 'customer'",
      },
    ])
  })

  it('rejects a form over an unknown entity', () => {
    expect(issuesOf((b) => (b.forms[0].entity = 'client'))).toEqual([
      { path: 'forms[customer].entity', message: "no entity 'client'" },
    ])
  })

  it('rejects a form field the entity does not have', () => {
    const issues = issuesOf((b) => (b.forms[0].tabs[0].sections[1].fields[0].field = 'contactz'))
    expect(issues).toEqual([
      {
        path: 'forms[customer].tabs[0].sections[1].fields[0].field',
        message: "no field 'contactz' in entity 'customer'",
      },
    ])
  })

  it('rejects a related list whose field does not point at the form entity', () => {
    const issues = issuesOf((b) => {
      b.forms[0].relatedLists![0].field = 'summary'
      b.forms[0].relatedLists![0].columns = ['summary', 'cost']
    })
    expect(issues).toEqual([
      {
        path: 'forms[customer].relatedLists[0].field',
        message: "'followUp.summary' is not a reference to 'customer'",
      },
      {
        path: 'forms[customer].relatedLists[0].columns[1]',
        message: "no field 'cost' in entity 'followUp'",
      },
    ])
  })

  it('rejects a related list sorted by a field its entity lacks or cannot order by', () => {
    expect(issuesOf((b) => (b.forms[0].relatedLists![0].sort = '-createdAt'))).toEqual([])
    expect(issuesOf((b) => (b.forms[0].relatedLists![0].sort = '-when'))).toEqual([
      {
        path: 'forms[customer].relatedLists[0].sort',
        message: "no field 'when' in entity 'followUp'",
      },
    ])
  })

  it('rejects view columns, sort fields and lanes that do not exist', () => {
    const issues = issuesOf((b) => {
      const list = b.views[0] as ListView
      list.columns[1].field = 'tier'
      list.sort = '-createdAt,fullName'
      ;(b.views[1] as KanbanView).groupBy = 'name'
    })
    expect(issues).toEqual([
      {
        path: 'views[customerList].columns[1].field',
        message: "no field 'tier' in entity 'customer'",
      },
      { path: 'views[customerList].sort', message: "no field 'fullName' in entity 'customer'" },
      { path: 'views[customer-board].groupBy', message: "'name' is a text field; expected select" },
    ])
  })

  it('requires a calendar date field of a date type', () => {
    const issues = issuesOf((b) => Object.assign(b.views[2], { dateField: 'level' }))
    expect(issues).toEqual([
      {
        path: 'views[customerCalendar].dateField',
        message: "'level' is a select field; expected date or datetime",
      },
    ])
  })

  it('rejects ids used twice within a kind', () => {
    const issues = issuesOf((b) => {
      b.entities.push(entity(b, 'followUp'))
      b.views[1].id = 'customerList'
    })
    expect(issues).toEqual([
      { path: 'entities[followUp].id', message: "id 'followUp' is used by 2 entities" },
      { path: 'views[customerList].id', message: "id 'customerList' is used by 2 views" },
    ])
  })

  it('rejects navigation, modules and dependencies naming nothing', () => {
    const issues = issuesOf((b) => {
      b.packages[0].navigation = ['customer', 'lead']
      b.packages[0].dependencies = { 'hr-admin': '^1.0.0' }
      entity(b, 'contact').module = 'sales'
    })
    expect(issues).toEqual([
      { path: 'packages[crm].navigation[1]', message: "no entity 'lead'" },
      { path: 'packages[crm].dependencies["hr-admin"]', message: "no package 'hr-admin'" },
      { path: 'entities[contact].module', message: "no package 'sales'" },
    ])
  })
})
