import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Rule } from '../../metadata/rule'
import { validateBundle } from './publish'

const label = (en: string) => ({ en })

const payment: Entity = {
  id: 'payment',
  label: label('Payment'),
  fields: [
    { name: 'order', type: 'reference', entity: 'salesOrder', label: label('Order') },
    { name: 'amount', type: 'money', currency: 'CNY', label: label('Amount') },
  ],
}

const order = (filter: Rule): Entity => ({
  id: 'salesOrder',
  label: label('Order'),
  fields: [
    { name: 'title', type: 'text', label: label('Title') },
    {
      name: 'bigPayments',
      type: 'formula',
      resultType: 'number',
      label: label('Big payments'),
      rollup: { entity: 'payment', via: 'order', op: 'count', filter },
    },
  ],
})

const bundle = (filter: Rule) => ({
  packages: [],
  entities: [payment, order(filter)],
  forms: [],
  views: [],
})

describe('roll-up filters at publish', () => {
  it('refuses a roll-up filter the database cannot run, naming it', () => {
    const issues = validateBundle(bundle({ '>': [{ var: 'amount' }, 5] }))
    expect(issues).toEqual([
      {
        path: 'entities[salesOrder].fields[1].rollup.filter',
        message: expect.stringContaining('amount.amount'),
      },
    ])
  })

  it('accepts a roll-up filter the database can run', () => {
    expect(validateBundle(bundle({ '>': [{ var: 'amount.amount' }, 5] }))).toEqual([])
  })
})
