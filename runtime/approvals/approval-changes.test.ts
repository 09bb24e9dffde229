import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { buildChanges } from './approval-changes'

const label = (en: string) => ({ en, 'zh-CN': `${en}-zh` })
const quote: Entity = {
  id: 'quote',
  label: label('Quote'),
  fields: [
    { name: 'title', type: 'text', label: label('Title') },
    { name: 'discount', type: 'decimal', label: label('Discount') },
    { name: 'status', type: 'select', label: label('Status'), options: [] },
    { name: 'secret', type: 'text', label: label('Secret') },
    { name: 'tags', type: 'multiSelect', label: label('Tags'), options: [] },
  ],
}

describe('buildChanges', () => {
  it('lists the fields that differ, in field order, with the label in the locale', () => {
    const snapshot = { title: 'A', discount: 10, status: 'draft', tags: ['x'] }
    const record = { title: 'A', discount: 20, status: 'pending', tags: ['x', 'y'] }
    expect(buildChanges(quote, snapshot, record, ['status'], 'zh-CN')).toEqual([
      { field: 'discount', label: 'Discount-zh', before: 10, after: 20 },
      { field: 'tags', label: 'Tags-zh', before: ['x'], after: ['x', 'y'] },
    ])
  })

  it('leaves out fields the record does not carry (hidden from the caller) and the skipped ones', () => {
    const snapshot = { secret: 'old', status: 'draft' }
    expect(buildChanges(quote, snapshot, { status: 'pending' }, ['status'], 'en')).toEqual([])
  })

  it('does not count child rows or amounts whose keys came back in another order as changed', () => {
    const snapshot = { tags: [{ qty: 2, id: 'r1', price: { currency: 'CNY', amount: 5 } }] }
    const record = { tags: [{ id: 'r1', price: { amount: 5, currency: 'CNY' }, qty: 2 }] }
    expect(buildChanges(quote, snapshot, record, [], 'en')).toEqual([])
    const moved = { tags: [{ id: 'r1', price: { amount: 6, currency: 'CNY' }, qty: 2 }] }
    expect(buildChanges(quote, snapshot, moved, [], 'en')).toHaveLength(1)
  })

  it('treats a missing value and null alike', () => {
    expect(buildChanges(quote, {}, { title: null }, [], 'en')).toEqual([])
    expect(buildChanges(quote, {}, { title: 'B' }, [], 'en')).toEqual([
      { field: 'title', label: 'Title', before: null, after: 'B' },
    ])
  })
})
