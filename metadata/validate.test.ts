import { describe, expect, it } from 'vitest'
import type { Entity } from './entity'
import {
  contactEntity,
  crmPackage,
  customerEntity,
  customerForm,
  customerViews,
  followUpEntity,
} from './test-fixtures'
import { validateDefinition } from './validate'

/** The customer entity with one change applied. */
function customerWith(change: (entity: Entity) => void): Entity {
  const entity = customerEntity()
  change(entity)
  return entity
}

const fieldIndex = (name: string) => customerEntity().fields.findIndex((f) => f.name === name)

describe('validateDefinition on valid definitions', () => {
  it('accepts an entity that uses every field type', () => {
    expect(validateDefinition('entity', customerEntity())).toEqual([])
    expect(validateDefinition('entity', contactEntity())).toEqual([])
    expect(validateDefinition('entity', followUpEntity())).toEqual([])
  })

  it('accepts a form, each view type and a package', () => {
    expect(validateDefinition('form', customerForm())).toEqual([])
    for (const view of customerViews()) expect(validateDefinition('view', view)).toEqual([])
    expect(validateDefinition('package', crmPackage())).toEqual([])
  })

  it('accepts the shared parts on their own', () => {
    expect(validateDefinition('labels', { en: 'Hi', ko: '안녕' })).toEqual([])
    expect(validateDefinition('rule', { and: [true, { var: 'x' }] })).toEqual([])
    expect(validateDefinition('field', customerEntity().fields[0])).toEqual([])
  })

})

describe('validateDefinition against the schema', () => {
  it('rejects an unknown field type at its path', () => {
    const doc = customerWith((e) => Object.assign(e.fields[2], { type: 'blob' }))
    expect(validateDefinition('entity', doc)).toEqual([
      { path: 'fields[2].type', message: expect.stringContaining('must be one of "text"') },
    ])
  })

  it('rejects a label without English', () => {
    const doc = customerWith((e) => (e.fields[1].label = { ko: '메모' } as never))
    expect(validateDefinition('entity', doc)).toEqual([
      { path: 'fields[1].label.en', message: 'is required' },
    ])
  })

  it('rejects a label in an unsupported language', () => {
    const doc = customerWith((e) => Object.assign(e.label, { fr: 'Client' }))
    expect(validateDefinition('entity', doc)).toEqual([
      { path: 'label.fr', message: 'is not a known property' },
    ])
  })

  it('rejects an entity id that is not camelCase', () => {
    for (const id of ['Customer', 'sales_order', 'sales-order', '1st']) {
      expect(
        validateDefinition(
          'entity',
          customerWith((e) => (e.id = id)),
        ),
      ).toEqual([{ path: 'id', message: expect.stringContaining('camelCase') }])
    }
  })

  it('rejects an unknown property anywhere', () => {
    const doc = customerWith((e) => Object.assign(e.fields[0], { colour: 'red' }))
    expect(validateDefinition('entity', doc)).toEqual([
      { path: 'fields[0].colour', message: 'is not a known property' },
    ])
    expect(validateDefinition('form', { ...customerForm(), layout: 'wide' })).toEqual([
      { path: 'layout', message: 'is not a known property' },
    ])
  })

  it('requires the properties each field type depends on', () => {
    const doc = customerWith((e) => {
      delete e.fields[fieldIndex('level')].options
      delete e.fields[fieldIndex('parent')].entity
      delete e.fields[fieldIndex('code')].pattern
      delete e.fields[fieldIndex('displayName')].resultType
    })
    expect(validateDefinition('entity', doc)).toEqual([
      { path: `fields[${fieldIndex('level')}].options`, message: 'is required' },
      { path: `fields[${fieldIndex('parent')}].entity`, message: 'is required' },
      { path: `fields[${fieldIndex('code')}].pattern`, message: 'is required' },
      { path: `fields[${fieldIndex('displayName')}].resultType`, message: 'is required' },
    ])
  })

  it('bounds text lengths and decimal scale', () => {
    const doc = customerWith((e) => {
      e.fields[0].maxLength = 0
      e.fields[fieldIndex('rating')].scale = 12
    })
    expect(validateDefinition('entity', doc).map((i) => i.path)).toEqual([
      'fields[0].maxLength',
      `fields[${fieldIndex('rating')}].scale`,
    ])
  })

  it('reports only the errors of the view type chosen', () => {
    const [list] = customerViews()
    expect(validateDefinition('view', { ...list, columns: undefined })).toEqual([
      { path: 'columns', message: 'is required' },
    ])
    expect(validateDefinition('view', { ...list, type: 'grid' })).toEqual([
      { path: 'type', message: '"grid" is not a known type' },
    ])
  })

  it('rejects a bad sort expression and a bad package version', () => {
    expect(validateDefinition('view', { ...customerViews()[0], sort: 'name desc' })).toEqual([
      { path: 'sort', message: expect.stringContaining('field names') },
    ])
    expect(validateDefinition('package', { ...crmPackage(), version: '1.0' })).toEqual([
      { path: 'version', message: 'must be a semantic version such as 1.0.0' },
    ])
  })

  it('answers an unknown kind with an issue instead of throwing', () => {
    expect(validateDefinition('widget' as never, {})).toEqual([
      { path: '', message: "unknown metadata kind 'widget'" },
    ])
  })
})
