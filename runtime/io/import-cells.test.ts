import { describe, expect, it } from 'vitest'
import { toCellValue, toNumber } from './import-cells'
import { importTestPlan } from './import-fixtures'
import { toColumnPlan, toImportRow } from './import-rows'

const plan = importTestPlan()
const field = (name: string) => plan.fieldsByName.get(name)!

describe('import cells', () => {
  it('reads numbers with thousands separators and refuses words', () => {
    expect(toNumber('1,234.50')).toBe(1234.5)
    expect(toNumber('-7')).toBe(-7)
    expect(toNumber('12%')).toBe(12)
    expect(toNumber('1e3')).toBe(1000)
    expect(toNumber('abc')).toBeNull()
    expect(toCellValue(field('employees'), 'twelve')).toEqual({ issue: "'twelve' is not a number" })
  })

  it('reads select options by code or by label in any of the three languages', () => {
    expect(toCellValue(field('level'), 'A')).toEqual({ value: 'A' })
    expect(toCellValue(field('level'), 'b (REGULAR)')).toEqual({ value: 'B' })
    expect(toCellValue(field('level'), 'A（重点客户）')).toEqual({ value: 'A' })
    expect(toCellValue(field('level'), 'B (일반 고객)')).toEqual({ value: 'B' })
    expect(toCellValue(field('level'), 'Z')).toEqual({ issue: "'Z' is not one of the options" })
  })

  it('reads yes and no in three languages and dates in common spellings', () => {
    expect(toCellValue(field('active'), '是')).toEqual({ value: true })
    expect(toCellValue(field('active'), '아니오')).toEqual({ value: false })
    expect(toCellValue(field('active'), 'maybe')).toHaveProperty('issue')
    expect(toCellValue(field('since'), '2026/3/7')).toEqual({ value: '2026-03-07' })
    expect(toCellValue(field('since'), '2026-02-30')).toHaveProperty('issue')
  })

  it('builds a row: money with its currency column, empty cells left out, a formula guard read back', () => {
    const headers = ['名称', 'Credit limit', 'Credit limit.currency', 'Employees', 'extra']
    const mapping = {
      名称: 'name',
      'Credit limit': 'creditLimit',
      'Credit limit.currency': 'creditLimit.currency',
      Employees: 'employees',
      extra: null,
    }
    const columns = toColumnPlan(plan, headers, mapping)
    const row = toImportRow(columns, 4, ["'=1+1\u0000", '2,000', 'usd', '', 'ignored'])
    expect(row.input).toEqual({ name: '=1+1', creditLimit: { amount: 2000, currency: 'USD' } })
    expect(row.issues).toEqual([])
    const orphan = toImportRow(columns, 5, ['x', '', 'USD', '3', ''])
    expect(orphan.issues).toEqual([
      { path: 'creditLimit.currency', message: 'has no amount beside it' },
    ])
  })
})
