import { describe, expect, it } from 'vitest'
import { autoNumberPeriod, formatAutoNumber, parseAutoNumberPattern } from './auto-number'

const at = new Date('2026-11-03T10:00:00Z')

describe('auto-number patterns', () => {
  it('renders a yearly quote number', () => {
    const p = parseAutoNumberPattern('Q-{YYYY}-{####}')
    expect(formatAutoNumber(p, at, 7)).toBe('Q-2026-0007')
    expect(autoNumberPeriod('Q-{YYYY}-{####}', at)).toBe('2026')
  })

  it('renders a daily ticket number with a two-digit year', () => {
    const p = parseAutoNumberPattern('T{YYMMDD}{###}')
    expect(p.width).toBe(3)
    expect(formatAutoNumber(p, at, 9)).toBe('T261103009')
    expect(autoNumberPeriod('T{YYMMDD}{###}', at)).toBe('261103')
    expect(autoNumberPeriod('T{YY}{MM}{DD}{###}', at)).toBe('261103')
  })

  it('renders split date tokens', () => {
    const p = parseAutoNumberPattern('T{YY}{MM}{DD}{###}')
    expect(formatAutoNumber(p, at, 12)).toBe('T261103012')
  })

  it('never cuts a number that outgrows its width', () => {
    expect(formatAutoNumber(parseAutoNumberPattern('N{##}'), at, 1234)).toBe('N1234')
  })

  it('keeps one counter for a pattern without date tokens', () => {
    expect(autoNumberPeriod('C-{#####}', at)).toBe('')
    expect(parseAutoNumberPattern('C-{#####}').periodic).toBe(false)
  })

  it('appends the counter when the pattern has none', () => {
    expect(formatAutoNumber(parseAutoNumberPattern('X-'), at, 5)).toBe('X-5')
  })
})
