import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { buildRecordSchema, compileRecordValidator, createAjv, toPath } from './record-validator'

const line: Entity = {
  id: 'quoteLine',
  label: { en: 'Line' },
  childOf: 'quote',
  fields: [
    { name: 'product', type: 'text', label: { en: 'Product' } },
    { name: 'quantity', type: 'integer', label: { en: 'Qty' }, min: 1 },
  ],
}

const quote: Entity = {
  id: 'quote',
  label: { en: 'Quote' },
  fields: [
    { name: 'title', type: 'text', label: { en: 'Title' }, maxLength: 5 },
    { name: 'email', type: 'email', label: { en: 'Email' } },
    { name: 'site', type: 'url', label: { en: 'Site' } },
    { name: 'phone', type: 'phone', label: { en: 'Phone' } },
    { name: 'rate', type: 'percent', label: { en: 'Rate' }, min: 0, max: 100 },
    { name: 'total', type: 'money', label: { en: 'Total' }, currency: 'CNY' },
    {
      name: 'stage',
      type: 'select',
      label: { en: 'Stage' },
      options: [{ value: 'new', label: { en: 'New' } }],
    },
    {
      name: 'tags',
      type: 'multiSelect',
      label: { en: 'Tags' },
      options: [{ value: 'a', label: { en: 'A' } }],
    },
    { name: 'customer', type: 'reference', entity: 'customer', label: { en: 'Customer' } },
    { name: 'due', type: 'date', label: { en: 'Due' } },
    { name: 'at', type: 'datetime', label: { en: 'At' } },
    { name: 'file', type: 'attachment', label: { en: 'File' } },
    { name: 'number', type: 'autoNumber', pattern: 'Q{####}', label: { en: 'No' } },
    { name: 'lines', type: 'childTable', entity: 'quoteLine', label: { en: 'Lines' } },
  ],
}

const validate = compileRecordValidator(
  createAjv(),
  buildRecordSchema(quote, (id) => (id === 'quoteLine' ? line : undefined)),
)

describe('record validator', () => {
  it('accepts a valid record and nulls', () => {
    expect(
      validate({
        title: 'abc',
        email: 'a@b.co',
        site: 'https://x.org/a',
        phone: '+86 138 0000 0000',
        rate: 12.5,
        total: { amount: 10.5 },
        stage: 'new',
        tags: ['a'],
        customer: '6f1c2a2e-8f5b-4b5e-9a51-1c2d3e4f5a6b',
        due: '2026-02-28',
        at: '2026-02-28T10:00:00+08:00',
        file: { id: '6f1c2a2e-8f5b-4b5e-9a51-1c2d3e4f5a6c', name: 'a.pdf' },
        lines: [{ product: 'x', quantity: 2 }],
      }),
    ).toEqual([])
    expect(validate({ title: null, total: null, stage: null, tags: null })).toEqual([])
  })

  it('names every failing field, not only the first', () => {
    const issues = validate({
      title: 'too long',
      email: 'nope',
      site: 'javascript:alert(1)',
      phone: 'call me',
      rate: 101,
      total: { amount: 1, currency: 'cny' },
      stage: 'old',
      tags: ['b'],
      customer: 'x',
      due: '2026-02-30',
      at: 'yesterday',
      file: { name: 'a' },
      lines: [{ quantity: 1 }, { quantity: 0, colour: 'red' }],
      number: 'Q1',
      bogus: 1,
    })
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'title',
        'email',
        'site',
        'phone',
        'rate',
        'total.currency',
        'stage',
        'tags[0]',
        'customer',
        'due',
        'at',
        'file.id',
        'lines[1].quantity',
        'lines[1].colour',
        'number',
        'bogus',
      ].sort(),
    )
  })

  it('turns JSON pointers into field paths', () => {
    expect(toPath('/lines/2/quantity')).toBe('lines[2].quantity')
    expect(toPath('')).toBe('')
  })

  it('names an empty key [""], so no issue has an empty path', () => {
    expect(toPath('/')).toBe('[""]')
    expect(validate({ '': 1 }).map((i) => i.path)).toEqual(['[""]'])
    expect(validate({ lines: [{ '': 1 }] }).map((i) => i.path)).toEqual(['lines[0][""]'])
  })
})
