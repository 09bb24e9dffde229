import { describe, expect, it } from 'vitest'
import type { Field } from './field'
import { validateField } from './field-checks'
import { validateDefinition } from './validate'

const label = { en: 'x' }
const check = (field: Partial<Field>) =>
  validateField({ name: 'f', label, type: 'text', ...field } as Field, 'fields[0]')

describe('computed and self-filling field properties', () => {
  it('accepts dynamic defaults on the types they fit and refuses the rest, with the path', () => {
    expect(check({ type: 'datetime', default: { dynamic: 'now' } })).toEqual([])
    expect(check({ type: 'date', default: { dynamic: 'today' } })).toEqual([])
    expect(check({ type: 'user', default: { dynamic: 'currentUser' } })).toEqual([])
    expect(check({ type: 'text', default: { dynamic: 'now' } })).toEqual([
      { path: 'fields[0].default.dynamic', message: "'now' fits only datetime, date fields" },
    ])
    expect(check({ type: 'date', default: { dynamic: 'tomorrow' } })[0].path).toBe(
      'fields[0].default',
    )
  })

  it('keeps setWhen to date, datetime and user fields and scale to number results', () => {
    expect(check({ type: 'text', setWhen: { '==': [1, 1] } })[0].path).toBe('fields[0].setWhen')
    expect(
      check({ type: 'formula', resultType: 'text', formula: { var: 'a' }, scale: 2 })[0].path,
    ).toBe('fields[0].scale')
    expect(
      check({ type: 'formula', resultType: 'money', formula: { var: 'a' }, currency: 'KRW' }),
    ).toEqual([])
  })

  it('needs a formula or a roll-up on a formula field, not both', () => {
    const entity = (field: object) => ({
      id: 'order',
      label,
      fields: [{ name: 'total', type: 'formula', label, resultType: 'money', ...field }],
    })
    const rollup = { entity: 'payment', via: 'order', op: 'sum', field: 'amount' }
    expect(validateDefinition('entity', entity({ rollup }))).toEqual([])
    expect(validateDefinition('entity', entity({}))).not.toEqual([])
    expect(validateDefinition('entity', entity({ rollup, formula: { var: 'a' } }))).not.toEqual([])
    expect(validateDefinition('entity', entity({ resultType: 'numeric', formula: 1 }))).not.toEqual(
      [],
    )
  })
})

describe('upload limits of attachment fields', () => {
  const entity = (field: object) => ({
    id: 'customer',
    label,
    fields: [{ name: 'documents', type: 'attachments', label, ...field }],
  })

  it('accepts a size and a type list on attachment fields', () => {
    const limits = { maxFileSize: 5_000_000, accept: ['application/pdf', 'image/*'] }
    expect(validateDefinition('entity', entity(limits))).toEqual([])
    expect(check({ type: 'attachment', ...limits })).toEqual([])
  })

  it('refuses them on other types and malformed, at their paths', () => {
    expect(check({ type: 'text', maxFileSize: 10 })[0].path).toBe('fields[0].maxFileSize')
    expect(check({ type: 'json', accept: ['image/png'] })[0].path).toBe('fields[0].accept')
    const paths = (field: object) => validateDefinition('entity', entity(field)).map((i) => i.path)
    expect(paths({ accept: ['png'] })).toEqual(['fields[0].accept[0]'])
    expect(paths({ accept: ['*/*'] })).toEqual(['fields[0].accept[0]'])
    expect(paths({ maxFileSize: 0 })).toEqual(['fields[0].maxFileSize'])
  })
})
