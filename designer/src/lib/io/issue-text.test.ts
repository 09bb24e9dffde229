import { describe, expect, it } from 'vitest'
import type { Entity } from '$metadata/entity'
import { en } from '$lib/i18n/en'
import { zhCN } from '$lib/i18n/zh-CN'
import { issueText, type IssueWords } from './issue-text'

const customer = {
  id: 'customer',
  label: { en: 'Customer' },
  fields: [
    { name: 'name', type: 'text', label: { en: 'Customer name', 'zh-CN': '客户名称' } },
    { name: 'credit', type: 'money', label: { en: 'Credit', 'zh-CN': '信用额度' } },
  ],
} as unknown as Entity

const wordsIn = (dict: Record<string, string>, locale: 'en' | 'zh-CN'): IssueWords => ({
  t: (key, params = {}) =>
    (dict[key] ?? '').replace(/\{(\w+)\}/g, (_, n: string) => String(params[n] ?? '')),
  label: (labels, fallback = '') => labels?.[locale] ?? labels?.en ?? fallback,
})

describe('issueText', () => {
  const zh = wordsIn(zhCN, 'zh-CN')
  const english = wordsIn(en, 'en')

  it('names the field by its label and words known messages in the caller’s language', () => {
    expect(issueText({ path: 'name', message: 'is required' }, customer, zh)).toBe('客户名称：必填')
    expect(issueText({ path: 'name', message: 'is required' }, customer, english)).toBe(
      'Customer name: is required',
    )
    expect(
      issueText(
        { path: 'credit.currency', message: "'XX' is not one of the options" },
        customer,
        zh,
      ),
    ).toBe('信用额度（币种）：“XX”不是可选项之一')
    expect(issueText({ path: 'name', message: 'Duplicate of row 3' }, customer, zh)).toBe(
      '客户名称：与第 3 行重复',
    )
    expect(issueText({ path: 'name', message: '客户名称已存在 (row 1)' }, customer, zh)).toBe(
      '客户名称：客户名称已存在（第 1 行）',
    )
  })

  it('words an upsert by an auto-number that finds nothing', () => {
    const issue = {
      path: 'name',
      message: "no Customer numbered 'C-0099': leave it empty for a new record",
    }
    expect(issueText(issue, customer, zh)).toBe(
      '客户名称：没有编号为“C-0099”的记录：新建请留空编号（将自动取下一个编号）',
    )
  })

  it('keeps a message it does not know, and a path that names no field', () => {
    expect(issueText({ path: 'owner.x', message: 'something new' }, customer, zh)).toBe(
      'owner.x：something new',
    )
    expect(issueText({ path: '', message: 'is required' }, customer, english)).toBe('is required')
  })

  it('names a line of a child table by the table, its number and the child field', () => {
    const order = {
      id: 'salesOrder',
      label: { en: 'Sales order' },
      fields: [
        {
          name: 'lines',
          type: 'childTable',
          entity: 'orderLine',
          label: { en: 'Lines', 'zh-CN': '明细' },
        },
      ],
    } as unknown as Entity
    const line = {
      id: 'orderLine',
      label: { en: 'Order line' },
      fields: [{ name: 'product', type: 'reference', label: { en: 'Product', 'zh-CN': '商品' } }],
    } as unknown as Entity
    const issue = { path: 'lines[1].product', message: "no Product 'Nope' found" }
    expect(issueText(issue, order, zh, { orderLine: line })).toBe('明细 2 / 商品：找不到“Nope”')
    expect(issueText(issue, order, english)).toBe(
      "lines[1].product: nothing called 'Nope' was found",
    )
    const refused = { path: '', message: 'not imported: the record of rows 3–5 is refused (row 4)' }
    expect(issueText(refused, order, zh)).toBe('未导入：第 3–5 行组成的记录被拒绝（第 4 行）')
  })
})
