import type { DemoContext, DemoRecord } from './demo-context'
import { orderTotal } from './order-data'
import { toDemoUser } from './people'
import { groupBy } from './sales-activity-data'

const CARRIERS = { zh: ['sf', 'jd', 'ems'], ko: ['cj', 'hanjin'], en: ['dhl'] }

function makePayments(ctx: DemoContext, order: DemoRecord, total: number): void {
  const { rng } = ctx
  const paidShare =
    order.status === 'completed' ? 1 : order.status === 'shipped' ? rng.pick([0.3, 0.5, 1]) : 0.3
  const installments = paidShare === 1 && rng.chance(0.4) ? 2 : 1
  let remaining = Math.round(total * paidShare * 100) / 100
  const orderDay = ctx.daysFromAnchor(String(order.orderDate))
  for (let i = 0; i < installments && remaining > 0; i++) {
    const amount = i === installments - 1 ? remaining : Math.round(remaining * 0.3 * 100) / 100
    remaining = Math.round((remaining - amount) * 100) / 100
    const prepaid = order.paymentTerms === 'prepaid' && i === 0
    const received = Math.min(0, orderDay + (prepaid ? 0 : rng.int(5, 60)))
    ctx.add('payment', {
      customer: order.customer,
      salesOrder: order.id,
      amount: ctx.money(amount),
      receivedOn: ctx.day(received),
      method: rng.weighted({ bankTransfer: 7, alipay: 1, wechatPay: 1, check: 1 }),
      account: rng.pick(['icbc', 'cmb']),
      isPrepayment: prepaid,
      reference: `TX${rng.digits(12)}`,
      // Payments of past orders are confirmed by finance (the payment flow's confirm).
      status: 'confirmed',
      confirmedBy: toDemoUser('fin1'),
      confirmedAt: ctx.at(Math.min(0, received + 1), 2),
    })
  }
}

function makeInvoices(
  ctx: DemoContext,
  order: DemoRecord,
  total: number,
  next: () => string,
): void {
  const { rng } = ctx
  const split = rng.chance(0.3) ? [0.5, 0.5] : [1]
  const orderDay = ctx.daysFromAnchor(String(order.orderDate))
  for (const share of split) {
    const issued = order.status === 'completed' || rng.chance(0.6)
    ctx.add('invoice', {
      invoiceNo: next(),
      salesOrder: order.id,
      customer: order.customer,
      type: rng.weighted({ vatSpecial: 5, vatNormal: 2, electronic: 3 }),
      amount: ctx.money(Math.floor(total * share * 100) / 100),
      taxRate: 13,
      issuedOn: issued ? ctx.day(Math.min(0, orderDay + rng.int(3, 40))) : null,
      status: issued ? 'issued' : 'draft',
    })
  }
}

function makeShipment(
  ctx: DemoContext,
  order: DemoRecord,
  contactsOf: Map<string, DemoRecord[]>,
): void {
  const { rng } = ctx
  const locale = ctx.localeOf.get(String(order.customer)) ?? 'zh'
  const status =
    order.status === 'confirmed'
      ? 'pending'
      : order.status === 'shipped'
        ? 'shipped'
        : rng.chance(0.95)
          ? 'delivered'
          : 'returned'
  const contact = contactsOf.get(String(order.customer))?.[0]
  const sent = status !== 'pending'
  ctx.add('shipment', {
    salesOrder: order.id,
    customer: order.customer,
    status,
    shippedOn: sent
      ? ctx.day(Math.min(0, ctx.daysFromAnchor(String(order.orderDate)) + rng.int(2, 15)))
      : null,
    carrier: sent ? rng.pick(CARRIERS[locale]) : null,
    trackingNo: sent ? `${rng.pick(['SF', 'JD', 'EM', 'CJ', 'HJ', 'DH'])}${rng.digits(12)}` : null,
    recipient: contact?.name ?? null,
    recipientPhone: contact?.mobile ?? null,
    address: order.shippingAddress,
  })
}

function makeExpenses(ctx: DemoContext): void {
  const { rng } = ctx
  const customers = ctx.list('customer')
  const orders = ctx.list('salesOrder')
  const what = {
    travel: '客户拜访差旅费',
    entertainment: '客户招待餐费',
    marketing: '展会物料制作',
    logistics: '加急快递费',
    other: '样品费',
  }
  for (let i = 0; i < ctx.count(80); i++) {
    const category = rng.pick(Object.keys(what) as (keyof typeof what)[])
    const order = rng.chance(0.3) ? rng.pick(orders) : null
    ctx.add('expense', {
      description: what[category],
      category,
      amount: ctx.money(rng.int(50, 5000)),
      incurredOn: ctx.day(-rng.int(0, 330)),
      customer: order ? order.customer : rng.chance(0.6) ? rng.pick(customers).id : null,
      salesOrder: order?.id ?? null,
    })
  }
}

/** Payments, invoices and shipments for the orders that have them, plus sales expenses. */
export function makeOrderFinanceData(ctx: DemoContext): void {
  const contactsOf = groupBy(ctx, 'contact', 'customer')
  let invoiceNo = 24_000_000 + ctx.rng.int(0, 99_999)
  const next = () => String(++invoiceNo)
  for (const order of ctx.list('salesOrder')) {
    const total = orderTotal(order)
    if (['confirmed', 'shipped', 'completed'].includes(String(order.status))) {
      if (order.status !== 'confirmed' || order.paymentTerms === 'prepaid')
        makePayments(ctx, order, total)
      makeShipment(ctx, order, contactsOf)
    }
    if (order.status === 'shipped' || order.status === 'completed')
      makeInvoices(ctx, order, total, next)
  }
  makeExpenses(ctx)
}
