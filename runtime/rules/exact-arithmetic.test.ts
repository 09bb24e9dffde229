import { describe, expect, it } from 'vitest'
import { evaluateRule } from './evaluate'

const run = (rule: unknown, data: unknown = {}) => evaluateRule(rule as never, data)

describe('exact arithmetic in rules', () => {
  it('multiplies and adds money without binary noise', () => {
    expect(run({ '*': [4800, { '+': [1, { '/': [13, 100] }] }] })).toBe(5424)
    expect(run({ '+': [0.1, 0.2] })).toBe(0.3)
    expect(run({ '-': [1, 0.9] })).toBe(0.1)
    expect(run({ '*': [25575.98, 1.13] })).toBe(28900.8574)
  })

  it('sums order lines over reduce exactly', () => {
    const lines = [
      { quantity: 3, price: 19.99 },
      { quantity: 7, price: 1.1 },
      { quantity: 1, price: 179438.35 },
    ]
    const rule = {
      reduce: [
        { var: 'lines' },
        {
          '+': [
            { var: 'accumulator' },
            { '*': [{ var: 'current.quantity' }, { var: 'current.price' }] },
          ],
        },
        0,
      ],
    }
    expect(run(rule, { lines })).toBe(179506.02)
  })

  it("keeps json-logic's answers for operands that are not numbers", () => {
    expect(run({ '+': [null, 1] })).toBeNaN()
    expect(run({ '-': [null, 1] })).toBe(-1)
    expect(run({ '/': [1, 0] })).toBe(Infinity)
    expect(run({ '+': ['2', '3'] })).toBe(5)
    expect(run({ '-': [5] })).toBe(-5)
  })

  it('rounds half away from zero to the given places', () => {
    expect(run({ round: [2.345, 2] })).toBe(2.35)
    expect(run({ round: [-2.345, 2] })).toBe(-2.35)
    expect(run({ round: [1.005, 2] })).toBe(1.01)
    expect(run({ round: [{ '/': [10, 3] }] })).toBe(3)
    expect(run({ round: [null, 2] })).toBeNull()
    expect(run({ round: [1.5, 11] })).toBeNull()
  })
})
