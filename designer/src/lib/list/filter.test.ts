import { describe, expect, it } from 'vitest'
import type { Field } from '$metadata/field'
import { operatorsFor, toFilterRule } from './filter'

const fields: Field[] = [
  { name: 'name', type: 'text', label: { en: 'Name' } },
  { name: 'level', type: 'select', label: { en: 'Level' } },
  { name: 'score', type: 'integer', label: { en: 'Score' } },
  { name: 'vip', type: 'boolean', label: { en: 'VIP' } },
]

describe('toFilterRule', () => {
  it('answers null when no condition is complete', () => {
    expect(toFilterRule([{ field: 'name', op: 'eq', value: ' ' }], 'and', fields)).toBeNull()
  })

  it('answers a single condition without a join', () => {
    const rule = toFilterRule([{ field: 'level', op: 'eq', value: 'A' }], 'and', fields)
    expect(rule).toEqual({ '==': [{ var: 'level' }, 'A'] })
  })

  it('joins several conditions with and / or and types their values', () => {
    const rule = toFilterRule(
      [
        { field: 'score', op: 'gte', value: '10' },
        { field: 'vip', op: 'eq', value: 'true' },
        { field: 'name', op: 'contains', value: 'Acme' },
      ],
      'or',
      fields,
    )
    expect(rule).toEqual({
      or: [
        { '>=': [{ var: 'score' }, 10] },
        { '==': [{ var: 'vip' }, true] },
        { in: ['Acme', { var: 'name' }] },
      ],
    })
  })

  it('needs no value for the empty checks', () => {
    const rule = toFilterRule([{ field: 'name', op: 'empty', value: '' }], 'and', fields)
    expect(rule).toEqual({ '==': [{ var: 'name' }, null] })
  })
})

describe('operatorsFor', () => {
  it('offers only whole-value comparisons for ids picked by name', () => {
    for (const type of ['user', 'department', 'reference'] as const) {
      const field = { name: 'x', type, label: { en: 'X' } } as Field
      expect(operatorsFor(field)).toEqual(['eq', 'ne', 'empty', 'notEmpty'])
    }
    expect(operatorsFor(fields[0])).toContain('contains')
  })
})
