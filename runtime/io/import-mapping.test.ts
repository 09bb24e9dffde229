import { describe, expect, it } from 'vitest'
import { importTestPlan } from './import-fixtures'
import { assertMapping, headerKey, suggestMapping } from './import-mapping'

const plan = importTestPlan()
const admin = {
  user: { id: 'a', username: 'a', displayName: 'A', locale: 'en', isAdmin: true },
  meta: plan.meta,
}

describe('import mapping', () => {
  it('matches headers to fields by label in English, Chinese and Korean, and by name', () => {
    expect(suggestMapping(plan, ['Customer name', '客户等级', '직원 수', 'creditLimit'])).toEqual({
      'Customer name': 'name',
      客户等级: 'level',
      '직원 수': 'employees',
      creditLimit: 'creditLimit',
    })
    expect(
      suggestMapping(plan, ['客户名称', '고객 등급', '信用额度', '信用额度.currency']),
    ).toEqual({
      客户名称: 'name',
      '고객 등급': 'level',
      信用额度: 'creditLimit',
      '信用额度.currency': 'creditLimit.currency',
    })
  })

  it('reads back the headers an export writes, a money field’s currency column included', () => {
    expect(
      suggestMapping(plan, ['ID', 'Customer name', 'Credit limit', 'Credit limit (currency)']),
    ).toEqual({
      ID: null,
      'Customer name': 'name',
      'Credit limit': 'creditLimit',
      'Credit limit (currency)': 'creditLimit.currency',
    })
    expect(suggestMapping(plan, ['信用额度', '信用额度 (币种)'])).toEqual({
      信用额度: 'creditLimit',
      '信用额度 (币种)': 'creditLimit.currency',
    })
  })

  it('ignores case, spacing and a required-mark, and leaves unknown or repeated targets unmapped', () => {
    expect(headerKey('  CUSTOMER   Name *')).toBe('customer name')
    expect(suggestMapping(plan, ['customer NAME*', 'Notes', '客户名称', 'code'])).toEqual({
      'customer NAME*': 'name',
      Notes: null,
      客户名称: null,
      code: null,
    })
  })

  it('lets a saved mapping win for the headers it names', () => {
    expect(suggestMapping(plan, ['Name', 'Tier'], { Tier: 'level' })).toEqual({
      Name: 'name',
      Tier: 'level',
    })
  })

  it('refuses unknown columns, computed targets, attack strings and a field mapped twice, naming the header', () => {
    const headers = ['a', 'b', "x'; drop table users; --"]
    const refused = (mapping: unknown) => {
      try {
        assertMapping(admin, plan, headers, mapping)
      } catch (err) {
        return err as { status: number; details: { path: string }[] }
      }
      throw new Error('accepted')
    }
    expect(refused({ a: 'code' }).details[0].path).toBe('mapping.a')
    expect(refused({ zz: 'name' }).details[0].path).toBe('mapping.zz')
    expect(refused({ a: 'name', b: 'name' }).details[0].path).toBe('mapping.b')
    const attack = refused({ "x'; drop table users; --": "name'; delete from app.client; --" })
    expect(attack.status).toBe(400)
    expect(attack.details[0].path).toBe("mapping.x'; drop table users; --")
    expect(refused({ a: 'level.currency' }).status).toBe(400)
    expect(refused(['name']).status).toBe(400)
  })
})
