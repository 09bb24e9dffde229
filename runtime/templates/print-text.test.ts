import { describe, expect, it } from 'vitest'
import { TEMPLATE_HELPERS } from '../../metadata/template-ast'
import { FORMAT_HELPERS } from './format-helpers'
import { buildPrintHtml } from './print-html'
import { printText, type PrintTitles } from './print-text'
import { renderTemplate } from './render-template'

const titles: PrintTitles = {
  records: new Map([['customer', new Map([['c1', '上海明达机械有限公司']])]]),
  users: new Map([['u1', '김민수']]),
  departments: new Map([['d1', 'Sales East']]),
}
const en = { locale: 'en', timeZone: 'America/New_York' } as const
const zh = { locale: 'zh-CN', timeZone: 'Asia/Shanghai' } as const
const ko = { locale: 'ko', timeZone: 'Asia/Seoul' } as const
const text = (field: object, value: unknown, scope: typeof en | typeof zh | typeof ko = en) =>
  printText(field as never, value, scope, scope.locale, titles)

describe('printText', () => {
  it('prints money exactly with the currency of the value in each locale', () => {
    const money = { type: 'money' }
    expect(text(money, { amount: 0.1 + 0.2, currency: 'CNY' }, zh)).toBe('¥0.30')
    expect(text(money, { amount: 1234567.005, currency: 'CNY' }, en)).toBe('CN¥1,234,567.01')
    expect(text(money, { amount: 1500000, currency: 'KRW' }, ko)).toBe('₩1,500,000')
    expect(text(money, { amount: 1.005, currency: 'USD' }, en)).toBe('$1.01')
  })

  it('keeps a declared scale to the digit and rounds decimals as written, not as floats', () => {
    expect(text({ type: 'decimal', scale: 2 }, 28900.879999999997, en)).toBe('28,900.88')
    expect(text({ type: 'formula', resultType: 'number', scale: 2 }, 12.5, zh)).toBe('12.50')
    expect(text({ type: 'decimal' }, 2.675, en)).toBe('2.675')
    expect(text({ type: 'integer' }, 1234567, ko)).toBe('1,234,567')
    expect(text({ type: 'percent' }, 12.345, en)).toBe('12.35%')
    expect(text({ type: 'percent' }, 13, zh)).toBe('13%')
  })

  it('prints calendar days as that day and instants in the reader zone', () => {
    expect(text({ type: 'date' }, '2026-07-01', zh)).toBe('2026年7月1日')
    expect(text({ type: 'date' }, '2026-07-01', ko)).toBe('2026. 7. 1.')
    expect(text({ type: 'datetime' }, '2026-07-01T16:30:00Z', zh)).toBe('2026年7月2日 00:30')
    expect(text({ type: 'datetime' }, '2026-07-01T16:30:00Z', en)).toBe('Jul 1, 2026, 12:30 PM')
  })

  it('prints select labels, booleans and titles in the language, never codes or ids', () => {
    const status = {
      type: 'select',
      options: [{ value: 'sent', label: { en: 'Sent', 'zh-CN': '已发送', ko: '발송됨' } }],
    }
    expect(text(status, 'sent', zh)).toBe('已发送')
    expect(text(status, 'sent', ko)).toBe('발송됨')
    expect(text({ ...status, type: 'multiSelect' }, ['sent', 'sent'], zh)).toBe('已发送、已发送')
    expect(text({ type: 'boolean' }, true, ko)).toBe('예')
    expect(text({ type: 'boolean' }, false, zh)).toBe('否')
    expect(text({ type: 'reference', entity: 'customer' }, 'c1')).toBe('上海明达机械有限公司')
    expect(text({ type: 'reference', entity: 'customer' }, 'unreadable')).toBe('')
    expect(text({ type: 'user' }, 'u1')).toBe('김민수')
    expect(text({ type: 'department' }, 'd1')).toBe('Sales East')
  })

  it('prints a missing value as nothing', () => {
    for (const type of ['money', 'date', 'select', 'reference', 'boolean', 'text'])
      expect(text({ type }, null)).toBe('')
  })
})

describe('a rendered print', () => {
  it('escapes what a record holds and reaches nothing a record inherits', () => {
    const data = { record: { name: '<script>alert(1)</script> & "co"' } }
    const body = renderTemplate(
      '<p>{{record.name}}</p>{{record.constructor}}{{record.__proto__}}{{lookup record "constructor"}}',
      data,
      { ...zh, format: 'html' },
    )
    expect(body).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;</p>')
  })

  it('keeps a style from closing its element and puts the paper on the page', () => {
    const html = buildPrintHtml(
      {
        id: 't',
        label: { en: 'T' },
        entity: 'quote',
        body: { en: '' },
        style: 'p{}</style><script>x()</script>',
        paper: { size: 'A5', orientation: 'landscape', margin: { top: '1cm' } },
      },
      '<p>body</p>',
      'ko',
      '<Quote>',
    )
    expect(html).not.toContain('</style><script>')
    expect(html).toContain('@page { size: 210mm 148mm; margin: 1cm 15mm 15mm 15mm; }')
    expect(html).toContain('<title>&lt;Quote&gt;</title>')
    expect(html).toContain("font-family: 'Noto Sans CJK KR'")
  })

  it('offers exactly the helpers the metadata checks allow', () => {
    const builtIn = ['if', 'unless', 'each', 'with', 'lookup']
    // `is`: the runtime's value comparison for #if (render-template.ts).
    expect([...TEMPLATE_HELPERS].sort()).toEqual(
      [...builtIn, 'is', ...Object.keys(FORMAT_HELPERS)].sort(),
    )
  })
})
