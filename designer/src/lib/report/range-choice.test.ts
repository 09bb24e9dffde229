import { describe, expect, it } from 'vitest'
import { ANY_RANGE, CUSTOM_RANGE, toRangeChoice, toRangeValue } from './range-choice'

describe('a date-range parameter in the bar', () => {
  it('opens the from/to inputs as soon as the reader chooses Dates…, before any day', () => {
    expect(toRangeChoice(ANY_RANGE, true)).toEqual({
      choice: CUSTOM_RANGE,
      custom: true,
      from: '',
      to: '',
    })
    expect(toRangeChoice(ANY_RANGE, false)).toEqual({
      choice: ANY_RANGE,
      custom: false,
      from: '',
      to: '',
    })
  })

  it('keeps the inputs for a value with days, and shows a named period as itself', () => {
    expect(toRangeChoice('2026-01-01..', false)).toMatchObject({
      choice: CUSTOM_RANGE,
      custom: true,
      from: '2026-01-01',
      to: '',
    })
    expect(toRangeChoice('..2026-03-31', false).to).toBe('2026-03-31')
    expect(toRangeChoice('thisMonth', false)).toMatchObject({ choice: 'thisMonth', custom: false })
  })

  it('opens empty inputs when the reader leaves a named period (a default) for Dates…', () => {
    expect(toRangeChoice('last365Days', true)).toEqual({
      choice: CUSTOM_RANGE,
      custom: true,
      from: '',
      to: '',
    })
  })

  it('sends the picked days as from..to, in order', () => {
    expect(toRangeValue('2026-01-01', '')).toBe('2026-01-01..')
    expect(toRangeValue('2026-01-01', '2026-03-31')).toBe('2026-01-01..2026-03-31')
    expect(toRangeValue('2026-03-31', '2026-01-01')).toBe('2026-01-01..2026-03-31')
  })
})
