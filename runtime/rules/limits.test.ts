import { describe, expect, it } from 'vitest'
import { BadRequestError, DefinitionError } from '../errors'
import { evaluateRule } from './evaluate'
import { MAX_RULE_DEPTH, MAX_RULE_NODES, assertRuleSafe } from './limits'

function nest(depth: number): unknown {
  let rule: unknown = true
  for (let i = 0; i < depth; i++) rule = { '!': [rule] }
  return rule
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected an error')
}

describe('rule limits', () => {
  it('accepts ordinary rules', () => {
    expect(() =>
      assertRuleSafe({ and: [{ '>': [{ var: 'amount' }, 0] }, { in: ['a', { var: 'tags' }] }] }),
    ).not.toThrow()
    expect(() =>
      assertRuleSafe({ '<': [{ date_diff: [{ var: 'due' }, { today: [] }, 'day'] }, 3] }),
    ).not.toThrow()
    expect(() => assertRuleSafe(null)).not.toThrow()
  })

  it('refuses a rule nested deeper than the limit', () => {
    expect(() => assertRuleSafe(nest(MAX_RULE_DEPTH / 2 - 1))).not.toThrow()
    const err = errorOf(() => assertRuleSafe(nest(5000), 'validations[0].rule'))
    expect(err).toBeInstanceOf(DefinitionError)
    expect((err as DefinitionError).details).toEqual([
      { path: 'validations[0].rule', message: expect.stringContaining('deeper') },
    ])
  })

  it('refuses a rule with too many parts', () => {
    const wide = {
      or: Array.from({ length: MAX_RULE_NODES }, (_, i) => ({ '==': [{ var: 'n' }, i] })),
    }
    expect(() => assertRuleSafe(wide)).toThrow(/more than 2000 parts/)
  })

  it('refuses the method operator, which would call arbitrary methods', () => {
    expect(() => assertRuleSafe({ method: [{ var: 'name' }, 'toUpperCase'] })).toThrow(
      /unknown operator 'method'/,
    )
    expect(() => evaluateRule({ method: ['abc', 'toUpperCase'] } as never, {})).toThrow(
      DefinitionError,
    )
  })

  it('checks a definition rule once, and refuses an unsafe one every time', () => {
    const safe = { '>': [{ var: 'amount' }, 0] }
    expect(evaluateRule(safe, { amount: 5 })).toBe(true)
    expect(evaluateRule(safe, { amount: -5 })).toBe(false)
    const unsafe = { method: ['abc', 'toUpperCase'] } as never
    expect(() => evaluateRule(unsafe, {})).toThrow(DefinitionError)
    expect(() => evaluateRule(unsafe, {})).toThrow(DefinitionError)
    // A request's rule is checked on every call, even once found safe as a definition.
    const asked = { '==': [{ var: 'a' }, 1] }
    expect(evaluateRule(asked, { a: 1 }, { source: 'request' })).toBe(true)
    expect(() => evaluateRule({ log: 1 } as never, {}, { source: 'request' })).toThrow(
      BadRequestError,
    )
  })

  it('refuses log and operators that do not exist', () => {
    expect(() => assertRuleSafe({ log: 'x' })).toThrow(/unknown operator 'log'/)
    expect(() => assertRuleSafe({ and: [true, { 'in.call': [1, 2] }] })).toThrow(
      /unknown operator 'in.call' at and\[1\]/,
    )
    expect(() => assertRuleSafe({ __proto__: 1 } as never)).toThrow()
  })

  it('refuses var paths that reach prototypes and computed var paths', () => {
    expect(() => assertRuleSafe({ var: 'name.constructor' })).toThrow(/not allowed/)
    expect(() => assertRuleSafe({ var: ['__proto__', 1] })).toThrow(/not allowed/)
    expect(() => assertRuleSafe({ var: { cat: ['na', 'me'] } })).toThrow(/constant/)
  })

  it('refuses objects that are not a single operator and values that are not JSON', () => {
    expect(() => assertRuleSafe({ '==': [1, 1], '!=': [1, 2] })).toThrow(/exactly one operator/)
    expect(() => assertRuleSafe({})).toThrow(/exactly one operator/)
    expect(() => assertRuleSafe({ '==': [new Date(), 1] })).toThrow(/not JSON/)
    expect(() => assertRuleSafe({ '==': [Number.NaN, 1] })).toThrow(/finite/)
  })

  it('answers a request with a 400 and a definition with its own error', () => {
    expect(errorOf(() => assertRuleSafe({ nope: 1 }, 'filter', 'request'))).toBeInstanceOf(
      BadRequestError,
    )
    expect(errorOf(() => assertRuleSafe({ nope: 1 }))).toBeInstanceOf(DefinitionError)
  })

  it('evaluates a safe rule over data', () => {
    expect(evaluateRule({ '>': [{ var: 'amount' }, 100] }, { amount: 120 })).toBe(true)
    expect(evaluateRule({ var: 'amount' }, { amount: 120 })).toBe(120)
  })
})
