import jsonLogic from 'json-logic-js'
import { describe, expect, it } from 'vitest'
import { addToDate, diffDates, fromEpochDay, toEpochDay } from './dates'
import { evaluateRule, isTruthy } from './evaluate'
import { OPERATORS, registerOperators, type JsonLogicLike } from './operators'

const NOW = new Date('2025-03-15T23:30:00.000Z')
const run = (rule: unknown, data: unknown = {}) => evaluateRule(rule as never, data, { now: NOW })

describe('rule operators', () => {
  it('gives today as the UTC date of the injected clock', () => {
    expect(run({ today: [] })).toBe('2025-03-15')
    expect(evaluateRule({ today: [] }, {}, { now: new Date('2000-01-01T00:00:00.000Z') })).toBe(
      '2000-01-01',
    )
  })

  it('gives now as an ISO datetime of the injected clock', () => {
    expect(run({ now: [] })).toBe('2025-03-15T23:30:00.000Z')
  })

  it('falls back to the system time when no clock is injected', () => {
    const today = new Date().toISOString().slice(0, 10)
    expect(evaluateRule({ today: [] }, {})).toBe(today)
  })

  it('restores the previous clock after an evaluation, even one that throws', () => {
    expect(() => evaluateRule({ nope: [] } as never, {}, { now: NOW })).toThrow()
    expect(evaluateRule({ today: [] }, {})).toBe(new Date().toISOString().slice(0, 10))
  })

  it('adds days, weeks, months and years, clamping to the end of the month', () => {
    expect(run({ date_add: ['2024-01-31', 1, 'month'] })).toBe('2024-02-29')
    expect(run({ date_add: ['2024-02-29', 1, 'year'] })).toBe('2025-02-28')
    expect(run({ date_add: ['2024-03-31', -1, 'month'] })).toBe('2024-02-29')
    expect(run({ date_add: ['2024-12-30', 2, 'week'] })).toBe('2025-01-13')
    expect(run({ date_add: [{ today: [] }, -15, 'day'] })).toBe('2025-02-28')
    expect(run({ date_add: ['2025-03-15T23:30:00.000Z', 1, 'day'] })).toBe('2025-03-16')
  })

  it('answers null for date_add on missing or invalid input', () => {
    expect(run({ date_add: [null, 1, 'day'] })).toBeNull()
    expect(run({ date_add: ['2024-02-30', 1, 'day'] })).toBeNull()
    expect(run({ date_add: ['2024-01-01', 1.5, 'day'] })).toBeNull()
    expect(run({ date_add: ['2024-01-01', 1, 'fortnight'] })).toBeNull()
    expect(run({ date_add: ['0001-01-01', -1, 'day'] })).toBeNull()
  })

  it('counts date_diff as b minus a: days floored, whole months and years toward zero', () => {
    expect(run({ date_diff: ['2025-01-01', '2025-03-15', 'day'] })).toBe(73)
    expect(run({ date_diff: ['2025-03-15', '2025-01-01', 'day'] })).toBe(-73)
    expect(
      run({ date_diff: ['2025-03-15T12:00:00.000Z', '2025-03-16T11:59:59.999Z', 'day'] }),
    ).toBe(0)
    expect(
      run({ date_diff: ['2025-03-16T12:00:00.000Z', '2025-03-15T12:00:00.001Z', 'day'] }),
    ).toBe(-1)
    expect(run({ date_diff: ['2024-01-31', '2024-02-29', 'month'] })).toBe(0)
    expect(run({ date_diff: ['2024-01-31', '2024-03-31', 'month'] })).toBe(2)
    expect(run({ date_diff: ['2024-03-15', '2024-01-20', 'month'] })).toBe(-1)
    expect(run({ date_diff: ['2000-02-29', '2025-02-28', 'year'] })).toBe(24)
    expect(run({ date_diff: ['2025-02-28', '2000-02-29', 'year'] })).toBe(-24)
    expect(run({ date_diff: [null, '2025-01-01', 'day'] })).toBeNull()
  })

  it('measures length in characters, elements for arrays, 0 for null', () => {
    expect(run({ length: { var: 'name' } }, { name: 'héllo' })).toBe(5)
    expect(run({ length: { var: 'name' } }, { name: '😀a' })).toBe(2)
    expect(run({ length: { var: 'name' } }, { name: null })).toBe(0)
    expect(run({ length: { var: 'tags' } }, { tags: ['a', 'b'] })).toBe(2)
    expect(run({ length: { var: 'missing' } }, {})).toBe(0)
  })

  it('finds a value in a multi-select with the standard in', () => {
    expect(run({ in: ['b', { var: 'tags' }] }, { tags: ['a', 'b'] })).toBe(true)
    expect(run({ in: ['c', { var: 'tags' }] }, { tags: ['a', 'b'] })).toBe(false)
    expect(run({ in: ['a', { var: 'tags' }] }, { tags: null })).toBe(false)
    expect(run({ in: ['a', { var: 'tags' }] }, { tags: [] })).toBe(false)
    expect(run({ in: ['ab', { var: 'tags' }] }, { tags: ['abc'] })).toBe(false)
  })

  it('registers idempotently on any json-logic instance', () => {
    const added: string[] = []
    const target: JsonLogicLike = {
      add_operation: (name) => added.push(name),
      rm_operation: () => {},
    }
    registerOperators(target)
    registerOperators(target)
    expect(added).toEqual([
      ...['today', 'now', 'date_add', 'date_diff', 'length', 'round'],
      ...['+', '*', '-', '/'],
    ])
    registerOperators()
    expect(jsonLogic.apply({ date_add: ['2024-01-01', 1, 'day'] } as never)).toBe('2024-01-02')
  })

  it('lists the standard operators and ours, without log or method', () => {
    expect(OPERATORS).toContain('date_diff')
    expect(OPERATORS).toContain('in')
    expect(OPERATORS).not.toContain('log')
    expect(OPERATORS).not.toContain('method')
  })

  it('reads truthiness the json-logic way', () => {
    expect([0, '', null, [], false].map(isTruthy)).toEqual([false, false, false, false, false])
    expect(['0', [0], {}, 1, 'a'].map(isTruthy)).toEqual([true, true, true, true, true])
  })

  it('converts civil dates to epoch days and back across eras', () => {
    for (const day of [-719162, -1, 0, 1, 11016, 2932896])
      expect(toEpochDay(fromEpochDay(day))).toBe(day)
    expect(fromEpochDay(0)).toEqual({ year: 1970, month: 1, day: 1 })
    expect(addToDate('0099-12-31', 1, 'day')).toBe('0100-01-01')
    expect(diffDates('1970-01-01', '2000-03-01', 'day')).toBe(11017)
  })
})
