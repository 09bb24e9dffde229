import { describe, expect, it } from 'vitest'
import type { Field } from '../../metadata/field'
import { computeFormulas, orderFormulas, ruleVars } from './formulas'

const formula = (
  name: string,
  rule: Field['formula'],
  resultType: Field['resultType'] = 'number',
): Field => ({
  name,
  type: 'formula',
  label: { en: name },
  formula: rule,
  resultType,
})

describe('formulas', () => {
  it('finds the fields a rule reads', () => {
    expect([...ruleVars({ '*': [{ var: 'qty' }, { var: ['price.amount', 0] }] })]).toEqual([
      'qty',
      'price',
    ])
  })

  it('computes formulas that read formulas in dependency order', () => {
    const total = formula('total', { '+': [{ var: 'net' }, { var: 'tax' }] })
    const tax = formula('tax', { '*': [{ var: 'net' }, 0.1] })
    const net = formula('net', { '*': [{ var: 'qty' }, { var: 'price' }] })
    const ordered = orderFormulas([total, tax, net])
    expect(ordered.map((f) => f.name)).toEqual(['net', 'tax', 'total'])
    const record: Record<string, unknown> = { qty: 2, price: 50 }
    computeFormulas(ordered, record, new Date())
    expect(record).toMatchObject({ net: 100, tax: 10, total: 110 })
  })

  it('coerces results to the declared type and empties what cannot be computed', () => {
    const record: Record<string, unknown> = { a: 'x' }
    computeFormulas(
      [
        formula('n', { '*': [{ var: 'a' }, 2] }),
        formula('t', { cat: ['v', 1] }, 'text'),
        formula('b', 1, 'boolean'),
      ],
      record,
      new Date(),
    )
    expect(record).toMatchObject({ n: null, t: 'v1', b: true })
  })
})
