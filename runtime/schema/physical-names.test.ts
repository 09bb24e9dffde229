import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import { checkPhysicalNames } from './physical-names'

const label = (en: string) => ({ en, 'zh-CN': en, ko: en })
const text = (name: string, extra: Partial<Field> = {}) =>
  ({ name, type: 'text', label: label(name), ...extra }) as Field
const entity = (id: string, fields: Field[], extra: Partial<Entity> = {}): Entity => ({
  id,
  label: label(id),
  fields,
  ...extra,
})

describe('names that clash in the database', () => {
  it('refuses two fields that become one column, naming the later field', () => {
    const issues = checkPhysicalNames([entity('deal', [text('accountId'), text('accountID')])])
    expect(issues).toEqual([
      {
        path: 'entities[deal].fields[1].name',
        message: "would be stored in column 'account_id', which field 'accountId' already uses",
      },
    ])
  })

  it("refuses a field on a money field's currency column and on a system column", () => {
    const money = { name: 'price', type: 'money', label: label('Price') } as Field
    const issues = checkPhysicalNames([
      entity('deal', [money, text('priceCurrency'), text('createdAT')]),
    ])
    expect(issues.map((i) => i.path)).toEqual([
      'entities[deal].fields[1].name',
      'entities[deal].fields[2].name',
    ])
    expect(issues[1].message).toContain("system key 'createdAt'")
  })

  it("refuses a child entity's field on the parent column", () => {
    const issues = checkPhysicalNames([
      entity('deal', [
        { name: 'lines', type: 'childTable', entity: 'dealLine', label: label('L') } as Field,
      ]),
      entity('dealLine', [text('parentID')], { childOf: 'deal' }),
    ])
    expect(issues).toEqual([
      {
        path: 'entities[dealLine].fields[0].name',
        message: "would be stored in column 'parent_id', which child key 'parentId' already uses",
      },
    ])
  })

  it('refuses two entities on one table', () => {
    const issues = checkPhysicalNames([entity('orderLine', []), entity('orderLINE', [])])
    expect(issues).toEqual([
      {
        path: 'entities[orderLINE].id',
        message: "would be stored in table 'order_line', which entity 'orderLine' already uses",
      },
    ])
  })

  it('refuses an index name another entity already uses, naming the field behind it', () => {
    const issues = checkPhysicalNames([
      entity('sales', [text('orderX', { unique: true })]),
      entity('salesOrder', [text('code'), text('x', { unique: true })]),
    ])
    expect(issues).toEqual([
      {
        path: 'entities[salesOrder].fields[1].name',
        message: "needs the index name 'sales_order_x_key', which entity 'sales' already uses",
      },
    ])
  })

  it("refuses an index name that is another entity's table", () => {
    const issues = checkPhysicalNames([
      entity('dealNoteIdIdx', []),
      entity('deal', [text('note', { unique: false })], { searchFields: ['note'] }),
    ])
    expect(issues.map((i) => [i.path, i.message])).toContainEqual([
      'entities[deal].fields[0].name',
      "needs the index name 'deal_note_id_idx', which entity 'dealNoteIdIdx' already uses",
    ])
  })

  it("refuses a table named like another table's primary key", () => {
    const issues = checkPhysicalNames([entity('deal', []), entity('dealPkey', [])])
    expect(issues).toEqual([
      {
        path: 'entities[deal]',
        message: "needs the primary key name 'deal_pkey', which entity 'dealPkey' already uses",
      },
    ])
  })

  it('refuses two different indexes of one entity that would get one name', () => {
    const issues = checkPhysicalNames([
      entity('deal', [text('orderIdLineNo', { unique: true }), text('orderId'), text('lineNo')], {
        indexes: [{ id: 'orderLine', fields: ['orderId', 'lineNo'], unique: true }],
      }),
    ])
    expect(issues).toEqual([
      {
        path: 'entities[deal]',
        message:
          "needs the index name 'deal_order_id_line_no_key' (on order_id, line_no), which the index on order_id_line_no already uses",
      },
    ])
  })

  it('lets one index implied twice through, as the same index', () => {
    // The title's index and a search field's index are the same (name, id) index.
    const issues = checkPhysicalNames([
      entity('deal', [text('name')], { titleField: 'name', searchFields: ['name'] }),
    ])
    expect(issues).toEqual([])
  })
})
