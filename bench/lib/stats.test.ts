import { describe, expect, it } from 'vitest'
import { median, percentile, roundOrder } from './stats'

describe('bench statistics', () => {
  it('takes the middle value of an odd list and the mean of the middle two of an even one', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it('answers NaN for the median of nothing', () => {
    expect(median([])).toBeNaN()
  })

  it('finds nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(values, 99)).toBe(99)
    expect(percentile(values, 100)).toBe(100)
    expect(percentile([7], 50)).toBe(7)
  })

  it('alternates the order of sides between rounds', () => {
    expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c'])
    expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['c', 'b', 'a'])
  })
})
