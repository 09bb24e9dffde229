import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Rule } from '../../metadata/rule'
import { fixedClock } from '../../runtime/clock'
import { silentLogger, type Ctx, type CurrentUser } from '../../runtime/context'
import { ValidationError } from '../../runtime/errors'
import {
  createRecord,
  deleteRecord,
  getRecord,
  getRecordHistory,
  updateRecord,
} from '../../runtime/records'
import { publishMetadata } from '../../runtime/registry'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en })
const money = (amount: number) => ({ amount, currency: 'CNY' })

const product: Entity = {
  id: 'product',
  label: label('Product'),
  titleField: 'name',
  fields: [
    { name: 'name', type: 'text', label: label('Name') },
    { name: 'price', type: 'money', label: label('Price'), currency: 'CNY' },
  ],
}

const orderLine: Entity = {
  id: 'orderLine',
  label: label('Line'),
  childOf: 'salesOrder',
  fields: [
    { name: 'product', type: 'reference', entity: 'product', label: label('Product') },
    { name: 'quantity', type: 'integer', label: label('Quantity'), required: true },
    {
      name: 'unitPrice',
      type: 'money',
      label: label('Unit price'),
      currency: 'CNY',
      required: true,
      fillFrom: { reference: 'product', field: 'price' },
    },
    { name: 'taxRate', type: 'percent', label: label('Tax'), default: 13 },
    {
      name: 'unitPriceWithTax',
      type: 'formula',
      resultType: 'money',
      currency: 'CNY',
      label: label('With tax'),
      formula: {
        '*': [{ var: 'unitPrice.amount' }, { '+': [1, { '/': [{ var: 'taxRate' }, 100] }] }],
      },
    },
    {
      name: 'listPrice',
      type: 'formula',
      resultType: 'money',
      currency: 'CNY',
      label: label('List price'),
      formula: { var: 'product.price.amount' },
    },
  ],
}

const lineTotal: Rule = {
  '*': [
    { var: 'current.quantity' },
    { var: 'current.unitPrice.amount' },
    { '+': [1, { '/': [{ var: 'current.taxRate' }, 100] }] },
  ],
}

const salesOrder: Entity = {
  id: 'salesOrder',
  label: label('Order'),
  fields: [
    { name: 'title', type: 'text', label: label('Title') },
    { name: 'lines', type: 'childTable', entity: 'orderLine', label: label('Lines') },
    {
      name: 'total',
      type: 'formula',
      resultType: 'money',
      currency: 'CNY',
      label: label('Total'),
      formula: {
        reduce: [{ var: 'lines' }, { '+': [{ var: 'accumulator' }, lineTotal] }, 0],
      },
    },
    {
      name: 'paid',
      type: 'formula',
      resultType: 'money',
      currency: 'CNY',
      label: label('Paid'),
      rollup: {
        entity: 'payment',
        via: 'salesOrder',
        op: 'sum',
        field: 'amount',
        filter: { '!=': [{ var: 'status' }, 'void'] },
      },
    },
    {
      name: 'payments',
      type: 'formula',
      resultType: 'number',
      label: label('Payments'),
      rollup: { entity: 'payment', via: 'salesOrder', op: 'count' },
    },
    {
      name: 'lastPaidOn',
      type: 'formula',
      resultType: 'date',
      label: label('Last paid'),
      rollup: {
        entity: 'payment',
        via: 'salesOrder',
        op: 'latest',
        field: 'receivedOn',
        orderBy: 'receivedOn',
      },
    },
    {
      name: 'outstanding',
      type: 'formula',
      resultType: 'money',
      currency: 'CNY',
      label: label('Outstanding'),
      formula: { '-': [{ var: 'total' }, { var: 'paid' }] },
    },
  ],
}

const payment: Entity = {
  id: 'payment',
  label: label('Payment'),
  fields: [
    { name: 'salesOrder', type: 'reference', entity: 'salesOrder', label: label('Order') },
    { name: 'amount', type: 'money', label: label('Amount'), currency: 'CNY', required: true },
    {
      name: 'receivedOn',
      type: 'date',
      label: label('Received on'),
      default: { dynamic: 'today' },
    },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      default: 'ok',
      options: [
        { value: 'ok', label: label('OK') },
        { value: 'void', label: label('Void') },
      ],
    },
  ],
}

const ticket: Entity = {
  id: 'ticket',
  label: label('Ticket'),
  fields: [
    { name: 'subject', type: 'text', label: label('Subject') },
    {
      name: 'reportedAt',
      type: 'datetime',
      label: label('Reported at'),
      required: true,
      default: { dynamic: 'now' },
    },
    {
      name: 'reporter',
      type: 'user',
      label: label('Reporter'),
      default: { dynamic: 'currentUser' },
    },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      default: 'new',
      options: [
        { value: 'new', label: label('New') },
        { value: 'resolved', label: label('Resolved') },
      ],
    },
    {
      name: 'resolvedAt',
      type: 'datetime',
      label: label('Resolved at'),
      readOnly: true,
      setWhen: { '==': [{ var: 'status' }, 'resolved'] },
    },
  ],
}

describe.each(testTargets())('computed values on $name', (target) => {
  let ctx: Ctx
  let close: () => Promise<void>
  let user: CurrentUser
  let widget: string

  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    const [row] = await opened.db.query<{ id: string }>(sql`
      insert into users (username, display_name, password_hash) values ('ann', 'Ann', 'x') returning id`)
    user = { id: row.id, username: 'ann', displayName: 'Ann', locale: 'en', isAdmin: true }
    const base = {
      db: opened.db,
      user,
      clock: fixedClock('2026-03-15T08:00:00Z'),
      log: silentLogger,
      requestId: 'req-1',
    }
    const { meta } = await publishMetadata(base, {
      packages: [],
      entities: [product, orderLine, salesOrder, payment, ticket],
      forms: [],
      views: [],
    })
    ctx = { ...base, meta }
    widget = (await createRecord(ctx, 'product', { name: 'Widget', price: money(4800) })).record
      .id as string
  })
  afterAll(() => close?.())

  const order = async (lines: unknown[]) =>
    (await createRecord(ctx, 'salesOrder', { title: 'O', lines })).record

  it('computes money formulas exactly and stores them rounded', async () => {
    const created = await order([
      { product: widget, quantity: 3, unitPrice: money(25575.98) },
      { product: widget, quantity: 7, unitPrice: money(0.1) },
    ])
    expect(created.lines).toMatchObject([
      { unitPriceWithTax: 28900.86 },
      { unitPriceWithTax: 0.11 },
    ])
    // 3 × 25575.98 × 1.13 + 7 × 0.1 × 1.13 = 86702.5722 + 0.791
    expect(created.total).toBe(86703.36)
    const read = await getRecord(ctx, 'salesOrder', created.id as string)
    expect(read).toMatchObject({ total: 86703.36, outstanding: 86703.36, paid: 0, payments: 0 })
    expect((read.lines as { unitPriceWithTax: number }[])[0].unitPriceWithTax).toBe(28900.86)
  })

  it('fills the unit price from the picked product and reads its fields in formulas', async () => {
    const created = await order([{ product: widget, quantity: 1 }])
    expect(created.lines).toMatchObject([
      { unitPrice: money(4800), unitPriceWithTax: 5424, listPrice: 4800 },
    ])
    const blank = await order([{ product: widget, quantity: 2, unitPrice: null }])
    expect(blank.lines).toMatchObject([{ unitPrice: money(4800) }])
    const given = await order([{ product: widget, quantity: 1, unitPrice: money(10) }])
    expect(given.lines).toMatchObject([{ unitPrice: money(10), listPrice: 4800 }])
  })

  it('fills and looks up through a reference written in upper case, as the database reads it', async () => {
    const created = await order([{ product: widget.toUpperCase(), quantity: 1 }])
    expect(created.lines).toMatchObject([
      { product: widget, unitPrice: money(4800), listPrice: 4800 },
    ])
  })

  it('fills dynamic defaults and stamps a datetime when its condition becomes true', async () => {
    const later = { ...ctx, clock: fixedClock('2026-03-16T09:30:00Z') }
    const { record } = await createRecord(ctx, 'ticket', { subject: 'Broken' })
    expect(record).toMatchObject({
      reportedAt: '2026-03-15T08:00:00.000Z',
      reporter: user.id,
      resolvedAt: null,
    })
    const resolved = await updateRecord(
      later,
      'ticket',
      record.id as string,
      { status: 'resolved' },
      1,
    )
    expect(resolved.record.resolvedAt).toBe('2026-03-16T09:30:00.000Z')
    const again = await updateRecord(ctx, 'ticket', record.id as string, { subject: 'Fixed' }, 2)
    expect(again.record.resolvedAt).toBe('2026-03-16T09:30:00.000Z')
    const err = await updateRecord(
      ctx,
      'ticket',
      record.id as string,
      { resolvedAt: null },
      3,
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ValidationError)
  })

  it('keeps roll-ups and the formulas over them up to date with every payment write', async () => {
    const a = await order([{ product: widget, quantity: 1 }])
    const b = await order([{ product: widget, quantity: 2, unitPrice: money(100) }])
    const aId = a.id as string
    const bId = b.id as string
    const p1 = (
      await createRecord(ctx, 'payment', {
        salesOrder: aId,
        amount: money(1000.1),
        receivedOn: '2026-03-01',
      })
    ).record
    await createRecord(ctx, 'payment', {
      salesOrder: aId,
      amount: money(0.2),
      receivedOn: '2026-03-09',
    })
    const voided = await createRecord(ctx, 'payment', {
      salesOrder: aId,
      amount: money(5),
      status: 'void',
    })
    expect(await getRecord(ctx, 'salesOrder', aId)).toMatchObject({
      paid: 1000.3,
      payments: 3,
      lastPaidOn: '2026-03-15',
      outstanding: 4423.7,
    })
    await updateRecord(ctx, 'payment', p1.id as string, { salesOrder: bId }, 1)
    expect(await getRecord(ctx, 'salesOrder', aId)).toMatchObject({ paid: 0.2, payments: 2 })
    expect(await getRecord(ctx, 'salesOrder', bId)).toMatchObject({
      paid: 1000.1,
      outstanding: -774.1,
      lastPaidOn: '2026-03-01',
    })
    await deleteRecord(ctx, 'payment', voided.record.id as string, 1)
    expect(await getRecord(ctx, 'salesOrder', aId)).toMatchObject({
      paid: 0.2,
      payments: 1,
      lastPaidOn: '2026-03-09',
    })
    const history = await getRecordHistory(ctx, 'salesOrder', bId)
    expect(history.some((h) => h.action === 'updated')).toBe(true)
  })

  it('refuses a write of a roll-up, naming it', async () => {
    const a = await order([])
    const err = await updateRecord(ctx, 'salesOrder', a.id as string, { paid: money(1) }, 1).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).details).toContainEqual({
      path: 'paid',
      message: 'is read-only',
    })
  })

  it('counts every one of 20 payments recorded at once', async () => {
    const a = await order([{ product: widget, quantity: 1 }])
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createRecord(ctx, 'payment', { salesOrder: a.id, amount: money(i + 0.01) }),
      ),
    )
    // 0 + 1 + … + 19 = 190, plus 20 × 0.01
    expect(await getRecord(ctx, 'salesOrder', a.id as string)).toMatchObject({
      paid: 190.2,
      payments: 20,
      outstanding: 5233.8,
    })
  })
})

describe.each(testTargets())('computed fields added to existing rows on $name', (target) => {
  it('fills a new formula and a new roll-up on every existing row when published', async () => {
    const opened = await target.open()
    try {
      const [row] = await opened.db.query<{ id: string }>(sql`
        insert into users (username, display_name, password_hash) values ('bo', 'Bo', 'x') returning id`)
      const base = {
        db: opened.db,
        user: { id: row.id, username: 'bo', displayName: 'Bo', locale: 'en', isAdmin: true },
        clock: fixedClock('2026-03-15T08:00:00Z'),
        log: silentLogger,
        requestId: 'req-1',
      }
      const bundle = (entities: Entity[]) => ({ packages: [], entities, forms: [], views: [] })
      const plainOrder: Entity = {
        ...salesOrder,
        fields: salesOrder.fields.filter((f) => f.type !== 'formula'),
      }
      const { meta } = await publishMetadata(
        base,
        bundle([product, orderLine, plainOrder, payment]),
      )
      const ctx: Ctx = { ...base, meta }
      // More rows than one backfill batch, written straight to the table.
      await opened.db.query(
        sql`insert into app.sales_order (title) select 'O' || g from generate_series(1, 1203) g`,
      )
      const ids = (
        await opened.db.query<{ id: string }>(sql`select id from app.sales_order order by id`)
      ).map((r) => r.id)
      const line = { quantity: 2, unitPrice: money(0.1) }
      const withLines = await createRecord(ctx, 'salesOrder', { title: 'L', lines: [line] })
      await createRecord(ctx, 'payment', { salesOrder: ids[0], amount: money(7.5) })
      const next = await publishMetadata(base, bundle([product, orderLine, salesOrder, payment]))
      const after = { ...ctx, meta: next.meta }
      expect(await getRecord(after, 'salesOrder', ids[0])).toMatchObject({
        total: 0,
        paid: 7.5,
        payments: 1,
        outstanding: -7.5,
      })
      expect(await getRecord(after, 'salesOrder', ids[1202])).toMatchObject({
        paid: 0,
        payments: 0,
      })
      expect(await getRecord(after, 'salesOrder', withLines.record.id as string)).toMatchObject({
        total: 0.23,
        outstanding: 0.23,
      })
      const [{ n }] = await opened.db.query<{ n: number }>(
        sql`select count(*)::int as n from app.sales_order where total is null or payments is null`,
      )
      expect(n).toBe(0)
    } finally {
      await opened.close()
    }
  })
})
