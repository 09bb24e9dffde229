import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import { BadRequestError } from '../errors'
import { compileSort } from './compile-sort'

const field = (name: string, type: Field['type'], extra: Partial<Field> = {}): Field => ({
  name,
  type,
  label: { en: name },
  ...extra,
})

const entity: Entity = {
  id: 'salesOrder',
  label: { en: 'Order' },
  titleField: 'number',
  searchFields: ['customerName'],
  ownerField: 'owner',
  indexes: [{ id: 'byStage', fields: ['stage', 'amount'] }],
  fields: [
    field('number', 'text'),
    field('customerName', 'text'),
    field('owner', 'user'),
    field('stage', 'select'),
    field('amount', 'money'),
    field('customer', 'reference', { entity: 'customer' }),
    field('closeDate', 'date', { index: true }),
    field('code', 'text', { unique: true }),
    field('notes', 'longText'),
  ],
}

function sortError(sort: string): BadRequestError {
  try {
    compileSort(entity, sort)
  } catch (err) {
    if (err instanceof BadRequestError) return err
    throw err
  }
  throw new Error('expected a BadRequestError')
}

describe('compileSort', () => {
  it('parses directions into columns', () => {
    expect(compileSort(entity, '-createdAt,number')).toEqual([
      { field: 'createdAt', column: 'created_at', direction: 'desc', type: 'datetime' },
      { field: 'number', column: 'number', direction: 'asc', type: 'text' },
    ])
    expect(compileSort(entity, '+closeDate')[0]).toMatchObject({
      column: 'close_date',
      direction: 'asc',
    })
    expect(compileSort(entity, '')).toEqual([])
  })

  it('accepts every kind of indexed field', () => {
    const keys = compileSort(entity, 'customerName,owner,stage,customer,code')
    expect(keys.map((k) => k.column)).toEqual([
      'customer_name',
      'owner',
      'stage',
      'customer',
      'code',
    ])
  })

  it('refuses an unknown field at sort', () => {
    expect(sortError('-nope').details).toEqual([{ path: 'sort', message: "unknown field 'nope'" }])
    expect(sortError('name;drop table x').details[0].path).toBe('sort')
  })

  it('refuses a field without an index, naming it', () => {
    expect(sortError('notes').details[0].message).toBe(
      "field 'notes' is not indexed and cannot be sorted on",
    )
    expect(sortError('amount').details[0].message).toContain("'amount'")
    expect(sortError('version').details[0].message).toContain("'version'")
  })

  it('refuses repeated and empty keys', () => {
    expect(sortError('number,-number').details[0].message).toContain('twice')
    expect(sortError('number,,code').details[0].message).toContain('empty')
  })
})
