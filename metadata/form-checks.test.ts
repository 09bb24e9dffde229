import { describe, expect, it } from 'vitest'
import { customerForm, customerViews } from './test-fixtures'
import { validateDefinition } from './validate'

describe('validateDefinition beyond the schema of forms and views', () => {
  it('rejects a field placed twice on a form', () => {
    const form = customerForm()
    form.tabs[0].sections[1].fields.push({ field: 'name' })
    expect(validateDefinition('form', form)).toEqual([
      { path: 'tabs[0].sections[1].fields[2].field', message: "duplicate form field 'name'" },
    ])
  })

  it('rejects duplicate section ids and a span wider than the section', () => {
    const form = customerForm()
    form.tabs[0].sections[1].id = 'basics'
    form.tabs[0].sections[1].fields[0].span = 2
    expect(validateDefinition('form', form)).toEqual([
      { path: 'tabs[0].sections[1].id', message: "duplicate section id 'basics'" },
      {
        path: 'tabs[0].sections[1].fields[0].span',
        message: "must not exceed the section's 1 column(s)",
      },
    ])
  })

  it('rejects duplicate filter ids and list columns in a view', () => {
    const [list] = customerViews()
    list.filters!.push({ ...list.filters![0] })
    list.columns.push({ field: 'name' })
    expect(validateDefinition('view', list)).toEqual([
      { path: 'filters[1].id', message: "duplicate filter id 'vip'" },
      { path: 'columns[3].field', message: "duplicate column 'name'" },
    ])
  })
})
