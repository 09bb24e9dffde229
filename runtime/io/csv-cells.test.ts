import { describe, expect, it } from 'vitest'
import { cellText, csvLine, escapeCell, fieldCells, guardFormula } from './csv-cells'

describe('csv cells', () => {
  it('quotes cells holding quotes, commas or line breaks and doubles the quotes', () => {
    expect(escapeCell('plain')).toBe('plain')
    expect(escapeCell('a,b')).toBe('"a,b"')
    expect(escapeCell('say "hi"')).toBe('"say ""hi"""')
    expect(escapeCell('two\nlines')).toBe('"two\nlines"')
    expect(csvLine(['a', 'b,c'])).toBe('a,"b,c"\r\n')
  })

  it('prefixes text that a spreadsheet would run as a formula with a quote', () => {
    for (const s of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx']) expect(guardFormula(s)).toBe(`'${s}`)
    expect(guardFormula('safe = text')).toBe('safe = text')
  })

  it('leaves numbers alone, even negative ones', () => {
    expect(cellText(-5)).toBe('-5')
    expect(cellText(true)).toBe('true')
    expect(cellText(null)).toBe('')
  })

  it('splits money into amount and currency, joins multi-selects and writes json as text', () => {
    expect(fieldCells({ type: 'money' }, { amount: 12.5, currency: 'CNY' })).toEqual([
      '12.5',
      'CNY',
    ])
    expect(fieldCells({ type: 'money' }, null)).toEqual(['', ''])
    expect(fieldCells({ type: 'multiSelect' }, ['a', 'b'])).toEqual(['a;b'])
    expect(fieldCells({ type: 'json' }, { k: [1] })).toEqual(['{"k":[1]}'])
    expect(fieldCells({ type: 'json' }, 'x')).toEqual(['"x"'])
  })
})
