import { describe, expect, it } from 'vitest'
import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
} from './format-helpers'

const en = { locale: 'en', timeZone: 'America/New_York' }
const zh = { locale: 'zh-CN', timeZone: 'Asia/Shanghai' }
const ko = { locale: 'ko', timeZone: 'Asia/Seoul' }

describe('format helpers', () => {
  it('show a calendar date as that day in every zone', () => {
    expect(formatDate('2025-03-01', en)).toBe('Mar 1, 2025')
    expect(formatDate('2025-03-01', zh)).toBe('2025年3月1日')
    expect(formatDate('2025-03-01', ko)).toBe('2025. 3. 1.')
    expect(formatDate('2025-03-01', en, 'long')).toBe('March 1, 2025')
  })

  it('show an instant as the day and time in the reader zone', () => {
    const at = '2025-03-01T02:30:00Z'
    expect(formatDate(at, en)).toBe('Feb 28, 2025')
    expect(formatDateTime(at, en)).toBe('Feb 28, 2025, 9:30 PM')
    expect(formatDateTime(at, zh)).toBe('2025年3月1日 10:30')
    // CLDR moved Korean between 'AM' and '오전'; the day and hour are what must hold.
    expect(formatDateTime(at, ko)).toMatch(/^2025\. 3\. 1\. (AM|오전) 11:30$/)
  })

  it('format numbers with the locale separators and at most the given places', () => {
    expect(formatNumber(1234567.891, en)).toBe('1,234,567.89')
    expect(formatNumber('1234567.891', ko, 1)).toBe('1,234,567.9')
    expect(formatNumber(28900.879999999997, zh)).toBe('28,900.88')
  })

  it('format money with the currency minor digits, from a money value or amount + code', () => {
    expect(formatMoney({ amount: 1200.5, currency: 'CNY' }, zh)).toBe('¥1,200.50')
    expect(formatMoney({ amount: 1200.5, currency: 'CNY' }, en)).toBe('CN¥1,200.50')
    expect(formatMoney(1500000, ko, 'KRW')).toBe('₩1,500,000')
    expect(formatMoney('12345678901234567.12', en, 'USD')).toBe('$12,345,678,901,234,567.12')
    expect(formatMoney(5, en, 'not a code')).toBe('5.00')
  })

  it('format a stored percent (13 means 13 %)', () => {
    expect(formatPercent(13, en)).toBe('13%')
    expect(formatPercent(12.345, zh)).toBe('12.35%')
    expect(formatPercent('7.5', ko, 0)).toBe('8%')
  })

  it('render missing or malformed values as nothing', () => {
    for (const value of [undefined, null, '', 'soon', {}, [], Number.NaN]) {
      expect(formatDate(value, en)).toBe('')
      expect(formatDateTime(value, en)).toBe('')
      expect(formatNumber(value, en)).toBe('')
      expect(formatMoney(value, en, 'USD')).toBe('')
      expect(formatPercent(value, en)).toBe('')
    }
  })
})
