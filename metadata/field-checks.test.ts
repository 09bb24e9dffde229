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
