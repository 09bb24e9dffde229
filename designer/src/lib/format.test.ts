import { describe, expect, it } from 'vitest'
import type { Entity } from '$metadata/entity'
import type { Field } from '$metadata/field'
import { formatMoney, formatNumber, formatPercent, formatValue, isSortable } from './format'

const money: Field = { name: 'total', label: { en: 'total' }, type: 'money', currency: 'CNY' }
const decimal: Field = { name: 'hours', label: { en: 'hours' }, type: 'decimal', scale: 1 }
const percent: Field = { name: 'taxRate', label: { en: 'taxRate' }, type: 'percent' }
const formula = {
  name: 'total',
  label: { en: 'total' },
  type: 'formula',
  resultType: 'number',
} as Field
const leaveType: Field = {
  name: 'leaveType',
  label: { en: 'Leave type' },
  type: 'select',
  options: [{ value: 'sick', label: { en: 'Sick leave', 'zh-CN': '病假', ko: '병가' } }],
}

describe('workspace value formatting', () => {
  it('rounds float artefacts away and groups digits per locale', () => {
    expect(formatValue(formula, 179438.34999999998, 'en')).toBe('179,438.35')
    expect(formatValue(formula, 28900.879999999997, 'zh-CN')).toBe('28,900.88')
    expect(formatValue(decimal, 7.250000000001, 'en')).toBe('7.3')
    // A declared scale shows every place, so a column of amounts lines up.
    expect(formatValue(decimal, 4, 'en')).toBe('4.0')
    expect(formatValue({ ...formula, scale: 2 } as Field, 222180.6, 'en')).toBe('222,180.60')
    expect(formatValue({ ...decimal, scale: undefined }, 1.23456789, 'en')).toBe('1.2346')
    expect(formatValue({ name: 'n', label: { en: 'n' }, type: 'integer' }, 1234567, 'ko')).toBe(
      '1,234,567',
    )
    expect(formatNumber('12345678901234567.25', 'en', 2)).toBe('12,345,678,901,234,567.25')
  })

  it('shows money in its currency with the currency digits', () => {
    expect(formatValue(money, { amount: 5423.999999999999, currency: 'CNY' }, 'en')).toBe(
      'CN¥5,424.00',
    )
    expect(formatValue(money, { amount: 100, currency: 'USD' }, 'en')).toBe('$100.00')
    expect(formatValue(money, { amount: 1500, currency: 'KRW' }, 'ko')).toBe('₩1,500')
    // A value without a currency takes the field's.
    expect(formatValue(money, { amount: 1 }, 'zh-CN')).toBe('¥1.00')
    expect(formatMoney(2.5, undefined, 'en')).toBe('2.50')
    expect(formatValue({ ...formula, resultType: 'money' } as Field, 3.005, 'en')).toBe('3.01')
  })

  it('shows percent fields (stored as 13 for 13 %) as percentages', () => {
    expect(formatValue(percent, 13, 'en')).toBe('13%')
    expect(formatValue(percent, 7.5, 'ko')).toBe('7.5%')
    expect(formatPercent(12.345, 'en', 1)).toBe('12.3%')
  })

  it('shows a computed date-time (a latest follow-up) in the reader locale, never as ISO text', () => {
    const latest = { ...formula, resultType: 'datetime' } as Field
    const shown = formatValue(latest, '2025-04-12T04:45:00.000Z', 'zh-CN')
    expect(shown).toBe(new Date('2025-04-12T04:45:00.000Z').toLocaleString('zh-CN'))
    expect(shown).not.toContain('T04')
    expect(formatValue({ ...formula, resultType: 'boolean' } as Field, true, 'en')).toBe('✓')
  })

  it('shows rich text in lists and history as its words, without tags', () => {
    const rich = { name: 'd', label: { en: 'd' }, type: 'richText' } as Field
    expect(formatValue(rich, '<p>Book <b>routine</b> maintenance</p><p>A &amp; B</p>', 'en')).toBe(
      'Book routine maintenance A & B',
    )
  })

  it('shows select labels, never codes, in the reader language', () => {
    expect(formatValue(leaveType, 'sick', 'en')).toBe('Sick leave')
    expect(formatValue(leaveType, 'sick', 'ko')).toBe('병가')
    expect(formatValue(leaveType, 'retired', 'en')).toBe('retired')
  })

  it('offers sorting only on columns the server sorts by (indexed ones)', () => {
    const entity: Entity = {
      id: 'customer',
      label: { en: 'Customer' },
      titleField: 'name',
      fields: [
        { name: 'name', label: { en: 'name' }, type: 'text' },
        { name: 'industry', label: { en: 'industry' }, type: 'select', options: [] },
        { name: 'code', label: { en: 'code' }, type: 'autoNumber', pattern: 'CUS-{#####}' },
        { name: 'level', label: { en: 'level' }, type: 'select', index: true, options: [] },
      ],
    }
    const sortable = entity.fields.filter((f) => isSortable(entity, f)).map((f) => f.name)
    expect(sortable).toEqual(['name', 'level'])
  })
})
