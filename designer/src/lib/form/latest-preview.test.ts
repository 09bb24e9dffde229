import { describe, expect, it } from 'vitest'
import type { Entity } from '$metadata/entity'
import { latestForRecord, latestForRow, type Preview } from './latest-preview'

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

const leave: Entity = {
  id: 'leaveRequest',
  label,
  fields: [
    { name: 'applicant', type: 'user', label },
    { name: 'reason', type: 'text', label },
    {
      name: 'department',
      type: 'department',
      label,
      readOnly: true,
      latestFrom: { entity: 'employee', field: 'department', match: { account: 'applicant' } },
    },
  ],
}

describe("the latestFrom values a record's own fields show before saving", () => {
  const preview: Preview = async () => ({ department: 'd1', applicant: 'u1' })
  const draft = { entity: 'leaveRequest', record: { applicant: 'u1' } }

  it('fills the department when the applicant changes, and on a new record at once', async () => {
    expect(await latestForRecord(leave, 'applicant', draft, preview)).toEqual({ department: 'd1' })
    expect(await latestForRecord(leave, null, draft, preview)).toEqual({ department: 'd1' })
  })

  it('clears the department the server no longer finds, and asks nothing for other fields', async () => {
    const none: Preview = async () => ({})
    expect(await latestForRecord(leave, 'applicant', draft, none)).toEqual({ department: null })
    const failing: Preview = async () => {
      throw new Error('never asked')
    }
    expect(await latestForRecord(leave, 'reason', draft, failing)).toEqual({})
  })
})
