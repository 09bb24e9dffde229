import { describe, expect, it } from 'vitest'
import {
  cellText,
  csvLine,
  escapeCell,
  fieldCells,
  guardFormula,
  numberCell,
  type CellField,
} from './csv-cells'

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

  it('writes numbers exactly at the field scale, never float artefacts', () => {
    expect(numberCell(28900.879999999997, 2)).toBe('28900.88')
    expect(numberCell(179438.34999999998, 10)).toBe('179438.35')
    expect(numberCell('12345678901234567.125', 2)).toBe('12345678901234567.13')
    expect(numberCell(1e21, 2)).toBe('1000000000000000000000')
    const total = { name: 't', type: 'formula', resultType: 'number' } as const
    expect(fieldCells(total, 5423.999999999999)).toEqual(['5424'])
    expect(fieldCells({ type: 'money' }, { amount: 0.1 + 0.2, currency: 'CNY' })).toEqual([
      '0.3',
      'CNY',
    ])
    expect(fieldCells({ type: 'decimal', scale: 1 }, 7.25)).toEqual(['7.3'])
    expect(fieldCells({ type: 'percent' }, 13)).toEqual(['13'])
  })

  it('writes select labels in the reader language, not codes', () => {
    const leaveType = {
      type: 'select',
      options: [
        { value: 'sick', label: { en: 'Sick leave', 'zh-CN': '病假', ko: '병가' } },
        { value: 'annual', label: { en: 'Annual leave' } },
      ],
    } satisfies CellField
    expect(fieldCells(leaveType, 'sick', 'zh-CN')).toEqual(['病假'])
    expect(fieldCells(leaveType, 'annual', 'ko')).toEqual(['Annual leave'])
    expect(fieldCells(leaveType, 'retired', 'en')).toEqual(['retired'])
    expect(fieldCells({ ...leaveType, type: 'multiSelect' }, ['sick', 'annual'])).toEqual([
      'Sick leave;Annual leave',
    ])
  })
})
