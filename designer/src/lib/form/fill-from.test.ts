import { describe, expect, it } from 'vitest'
import type { Entity } from '$metadata/entity'
import { fillFromPick, keepTyped } from './fill-from'

const label = { en: 'x' }
const line: Entity = {
  id: 'orderLine',
  label,
  fields: [
    { name: 'product', type: 'reference', entity: 'product', label },
    { name: 'note', type: 'text', label },
    {
      name: 'unitPrice',
      type: 'money',
      label,
      fillFrom: { reference: 'product', field: 'price' },
    },
  ],
}
const products: Record<string, Record<string, unknown>> = {
  p1: { id: 'p1', price: { amount: 4800, currency: 'CNY' } },
}
const load = async (entity: string, id: string) => {
  if (entity !== 'product' || !products[id]) throw new Error('404')
  return products[id]
}

describe('fill on pick', () => {
  it("copies the picked product's price into the line", async () => {
    expect(await fillFromPick(line, 'product', 'p1', load)).toEqual({
      unitPrice: { amount: 4800, currency: 'CNY' },
    })
  })

  it('fills nothing for other fields, a cleared pick or an unreadable record', async () => {
    expect(await fillFromPick(line, 'note', 'p1', load)).toEqual({})
    expect(await fillFromPick(line, 'product', null, load)).toEqual({})
    expect(await fillFromPick(line, 'product', 'gone', load)).toEqual({})
  })
})

describe('a fill arriving after the user typed', () => {
  it('keeps what was typed meanwhile and fills the fields left as they were at the pick', () => {
    const atPick = { product: 'p1', unitPrice: null, description: '' }
    const typed = { amount: 1234.56, currency: 'CNY' }
    const now = { ...atPick, unitPrice: typed }
    const filled = { unitPrice: { amount: 4550, currency: 'CNY' }, description: 'Gateway' }
    expect(keepTyped(filled, now, atPick)).toEqual({ description: 'Gateway' })
    expect(keepTyped(filled, atPick, atPick)).toEqual(filled)
    // A copy of an untouched price is no typing: a new pick refills it.
    const priced = { product: 'p2', unitPrice: { amount: 10, currency: 'CNY' } }
    expect(keepTyped(filled, structuredClone(priced), priced)).toEqual(filled)
  })
})
