import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { ValidationError } from '../errors'
import { validateDuplicateValues } from './duplicate-values'

const label = { en: 'x' }
const entity: Entity = {
  id: 'customer',
  label,
  fields: [
    { name: 'name', type: 'text', label },
    { name: 'since', type: 'date', label },
    { name: 'revenue', type: 'money', label },
    { name: 'account', type: 'reference', entity: 'customer', label },
    { name: 'tags', type: 'json', label },
  ],
  dedup: [
    { id: 'a', fields: ['name', 'since'], match: 'normalized', action: 'warn' },
    { id: 'b', fields: ['revenue', 'account', 'tags'], match: 'exact', action: 'warn' },
  ],
}

const pathsOf = (values: unknown): string[] => {
  try {
    validateDuplicateValues(entity, values)
    return []
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    return err.details.map((d) => d.path)
  }
}

describe('validateDuplicateValues', () => {
  it('accepts values of the right shape, empty values and system keys', () => {
    const values = {
      id: '00000000-0000-4000-8000-000000000001',
      name: 'Acme',
      since: '2026-01-31',
      revenue: { amount: 10, currency: 'CNY' },
      account: null,
      createdAt: 'anything',
    }
    expect(pathsOf(values)).toEqual([])
  })

  it('names every unknown field and every badly shaped compared value', () => {
    expect(
      pathsOf({ nope: 1, name: 3, since: '31/01/2026', revenue: 10, account: 'x', tags: ['a'] }),
    ).toEqual([
      'values.nope',
      'values.name',
      'values.since',
      'values.revenue',
      'values.account',
      'values.tags',
    ])
  })

  it('refuses values that are not an object', () => {
    expect(pathsOf(null)).toEqual(['values'])
    expect(pathsOf(['name'])).toEqual(['values'])
  })
})
