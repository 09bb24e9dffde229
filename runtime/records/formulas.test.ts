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

describe('formula results', () => {
  it('rounds a number formula to its scale and a money formula to its currency', () => {
    const price = formula('price', { '*': [{ var: 'net' }, 1.13] })
    const rounded = { ...formula('rounded', { '/': [{ var: 'net' }, 3] }), scale: 2 }
    const krw = { ...formula('krw', { '*': [{ var: 'net' }, 1.1] }, 'money'), currency: 'KRW' }
    const cny = { ...formula('cny', { '/': [{ var: 'net' }, 7] }, 'money'), currency: 'CNY' }
    const record: Record<string, unknown> = { net: 4800 }
    computeFormulas([price, rounded, krw, cny], record, new Date())
    expect(record).toEqual({ net: 4800, price: 5424, rounded: 1600, krw: 5280, cny: 685.71 })
    record.net = 10
    computeFormulas([rounded, krw], record, new Date())
    expect(record.rounded).toBe(3.33)
    expect(record.krw).toBe(11)
  })

  it('reads a money value by its amount and a datetime as ISO text', () => {
    const amount = formula('amount', { var: 'price' }, 'money')
    const at = formula('at', { var: 'when' }, 'datetime')
    const record: Record<string, unknown> = {
      price: { amount: 12.345, currency: 'CNY' },
      when: '2025-01-02T03:04:05+01:00',
    }
    computeFormulas([amount, at], record, new Date())
    expect(record.amount).toBe(12.35)
    expect(record.at).toBe('2025-01-02T02:04:05.000Z')
  })
})
