import { describe, expect, it } from 'vitest'
import { buildBulkInsert, CUSTOMER_COLUMNS } from './generators'

describe('bulk insert builder', () => {
  it('fills only the columns the table has, in table order', () => {
    const sql = buildBulkInsert(
      'customer',
      CUSTOMER_COLUMNS,
      [
        { name: 'name', required: true },
        { name: 'region', required: false },
        { name: 'unknown_extra', required: false },
      ],
      'generate_series($1::bigint, $2::bigint) n',
    )
    expect(sql).toMatch(/^insert into app\."customer" \("name", "region"\)\nselect /)
    expect(sql).not.toContain('unknown_extra')
    expect(sql).toContain('from generate_series($1::bigint, $2::bigint) n')
  })

  it('names the required columns it cannot fill', () => {
    expect(() =>
      buildBulkInsert('customer', CUSTOMER_COLUMNS, [{ name: 'vat_number', required: true }], 'x'),
    ).toThrow(/vat_number/)
  })
})
