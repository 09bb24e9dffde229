import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Ctx } from '../../runtime/context'
import { createMetadataCache, type MetadataBundle } from '../../runtime/registry'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import type { TestTarget } from '../support/databases'
import { userCtx } from '../support/user-ctx'

const label = (en: string, zh = en, ko = en) => ({ en, 'zh-CN': zh, ko })

const product: Entity = {
  id: 'product',
  module: 'sales',
  label: label('Product', '商品', '상품'),
  titleField: 'name',
  fields: [
    { name: 'name', type: 'text', label: label('Product name'), required: true },
    { name: 'sku', type: 'text', label: label('SKU'), unique: true },
    { name: 'price', type: 'money', label: label('Price'), currency: 'CNY' },
  ],
}

/** An order with an owner, a unique order number and lines, labelled in three languages. */
const order: Entity = {
  id: 'salesOrder',
  module: 'sales',
  label: label('Order', '订单', '주문'),
  titleField: 'number',
  ownerField: 'owner',
  fields: [
    {
      name: 'number',
      type: 'text',
      label: label('Order no.', '订单号', '주문 번호'),
      unique: true,
    },
    {
      name: 'customer',
      type: 'reference',
      entity: 'customer',
      label: label('Customer', '客户', '고객'),
      required: true,
    },
    { name: 'owner', type: 'user', label: label('Owner', '负责人', '담당자') },
    { name: 'note', type: 'text', label: label('Note', '备注', '메모') },
    {
      name: 'lines',
      type: 'childTable',
      entity: 'orderLine',
      label: label('Lines', '明细', '품목'),
    },
  ],
}

const orderLine: Entity = {
  id: 'orderLine',
  label: label('Order line', '订单明细', '주문 품목'),
  childOf: 'salesOrder',
  fields: [
    {
      name: 'product',
      type: 'reference',
      entity: 'product',
      label: label('Product', '商品', '상품'),
      required: true,
    },
    {
      name: 'quantity',
      type: 'integer',
      label: label('Quantity', '数量', '수량'),
      required: true,
      min: 1,
    },
    {
      name: 'unitPrice',
      type: 'money',
      label: label('Unit price', '单价', '단가'),
      currency: 'CNY',
      fillFrom: { reference: 'product', field: 'price' },
    },
  ],
}

/**
 * clerk here: a seller who imports orders but creates and updates only their own; `narrow`
 * also reads and imports only their own; `unlocked` updates orders whose note is not `locked`.
 */
export const LINES_BUNDLE: MetadataBundle = {
  ...FIXTURE_BUNDLE,
  entities: [...FIXTURE_BUNDLE.entities, product, order, orderLine],
  roles: [
    {
      id: 'clerk',
      label: label('Seller'),
      grants: [
        { entity: 'customer', scopes: { read: 'all' } },
        { entity: 'product', scopes: { read: 'all' } },
        {
          entity: 'salesOrder',
          scopes: { read: 'all', create: 'own', update: 'own', import: 'all', assign: 'own' },
        },
      ],
    },
    {
      id: 'narrow',
      label: label('Narrow seller'),
      grants: [
        { entity: 'customer', scopes: { read: 'all' } },
        { entity: 'product', scopes: { read: 'all' } },
        {
          entity: 'salesOrder',
          scopes: { read: 'own', create: 'all', update: 'own', import: 'own' },
        },
      ],
    },
    {
      id: 'unlocked',
      label: label('Editor of unlocked orders'),
      grants: [
        { entity: 'customer', scopes: { read: 'all' } },
        { entity: 'product', scopes: { read: 'all' } },
        {
          entity: 'salesOrder',
          scopes: { read: 'all', create: 'all', update: 'filter', import: 'all' },
          filters: { update: { '!=': [{ var: 'note' }, 'locked'] } },
        },
      ],
    },
  ],
}

export interface LinesFixture extends AppFixture {
  ctxOf(username: 'admin' | 'clerk', roles?: string[]): Promise<Ctx>
  file(name: string, text: string): { path: string; name: string }
  /** Each order's lines as `number: product×quantity@price`, in line order. */
  lines(): Promise<Record<string, string[]>>
}

/** The app over LINES_BUNDLE with two customers and three products (one sharing a name). */
export async function openLinesFixture(target: TestTarget): Promise<LinesFixture> {
  const f = await openAppFixture(target, { bundle: LINES_BUNDLE })
  const dir = mkdtempSync(join(tmpdir(), 'trellis-import-lines-'))
  const metadata = createMetadataCache(f.db)
  await f.db.query(sql`insert into app.customer (name) values ('ACME'), ('Beta')`)
  await f.db.query(sql`insert into app.product (name, sku, price, price_currency) values
    ('Widget', 'W-1', 10, 'CNY'), ('Gadget', 'G-1', 25, 'CNY'), ('Gadget', 'G-2', 26, 'CNY')`)
  return {
    ...f,
    async ctxOf(username, roles) {
      return userCtx(f.db, await metadata.current(), username, roles, ['clerk'])
    },
    file(name, text) {
      const path = join(dir, name)
      writeFileSync(path, text)
      return { path, name }
    },
    async lines() {
      const rows = await f.db.query<{ number: string; line: string }>(sql`
        select o.number, p.sku || '×' || l.quantity || '@' || l.unit_price as line
        from app.sales_order o join app.order_line l on l.parent_id = o.id
        join app.product p on p.id = l.product order by o.number, l.position`)
      const out: Record<string, string[]> = {}
      for (const r of rows) (out[r.number] ??= []).push(r.line)
      return out
    },
  }
}
