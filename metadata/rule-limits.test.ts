import { describe, expect, it } from 'vitest'
import { measureRule, validateRuleSize } from './rule-limits'

describe('measureRule', () => {
  it('counts every JSON value and the nesting of containers', () => {
    expect(measureRule({ '==': [{ var: 'a' }, 1] })).toEqual({ depth: 3, nodes: 5 })
    expect(measureRule(true)).toEqual({ depth: 0, nodes: 1 })
  })

  it('walks a very deep rule without overflowing the stack', () => {
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(validateRuleSize(deep, 'rule').map((i) => i.message)).toEqual([
      'rule is nested more than 32 levels deep',
      'rule has more than 2000 nodes',
    ])
  })

  it('accepts a rule at the limits', () => {
    let deep: unknown = 1
    for (let i = 0; i < 32; i++) deep = [deep]
    expect(validateRuleSize(deep, 'rule')).toEqual([])
  })
})
