import { describe, expect, it } from 'vitest'
import type { Entity } from '$metadata/entity'
import { latestForRow, type Preview } from './latest-preview'

const label = { en: 'x' }
const line: Entity = {
  id: 'quoteLine',
  label,
  childOf: 'quote',
  fields: [
    { name: 'product', type: 'reference', entity: 'product', label },
    { name: 'quantity', type: 'integer', label },
    {
      name: 'lastPaidPrice',
      type: 'money',
      label,
      readOnly: true,
      latestFrom: {
        entity: 'orderLine',
        field: 'unitPrice',
        match: { product: 'product', 'parent.customer': 'parent.customer' },
      },
    },
  ],
}
const draft = { entity: 'quote', record: { customer: 'c1', lines: [{}, { product: 'p1' }] } }

describe('the latestFrom values a grid row shows before saving', () => {
  it('asks the server with the whole draft when a matched cell changes, and takes its row', async () => {
    const asked: unknown[] = []
    const preview: Preview = async (entity, record) => {
      asked.push([entity, record])
      return { lines: [null, { lastPaidPrice: { amount: 90, currency: 'CNY' } }] }
    }
    expect(await latestForRow(line, 'product', draft, 'lines', 1, preview)).toEqual({
      lastPaidPrice: { amount: 90, currency: 'CNY' },
    })
    expect(asked).toEqual([['quote', draft.record]])
  })

  it('asks nothing for a cell no search matches on, and shows nothing when the server fails', async () => {
    const failing: Preview = async () => {
      throw new Error('offline')
    }
    expect(await latestForRow(line, 'quantity', draft, 'lines', 1, failing)).toEqual({})
    expect(await latestForRow(line, 'product', draft, 'lines', 1, failing)).toEqual({})
  })
})
