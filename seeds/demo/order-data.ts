import type { DemoContext, DemoRecord } from './demo-context'
import { groupBy } from './sales-activity-data'

/** name, category, unit, list price in CNY */
const CATALOG: [string, string, string, number][] = [
  ['工业控制器', 'hardware', 'piece', 4800],
  ['智能网关', 'hardware', 'piece', 2600],
  ['温湿度传感器', 'hardware', 'piece', 380],
  ['伺服电机', 'hardware', 'set', 7200],
  ['条码打印机', 'hardware', 'piece', 3100],
  ['工业平板电脑', 'hardware', 'piece', 6900],
  ['仓储管理软件', 'software', 'license', 28000],
  ['设备监控平台', 'software', 'license', 45000],
  ['移动巡检 App', 'software', 'license', 9800],
  ['安装调试服务', 'service', 'hour', 600],
  ['年度维保服务', 'service', 'set', 15000],
  ['操作培训', 'service', 'hour', 800],
  ['打印色带', 'consumable', 'box', 260],
  ['标签纸', 'consumable', 'box', 180],
  ['电源适配器', 'accessory', 'piece', 150],
  ['安装支架', 'accessory', 'set', 220],
]
const SPECS: Record<string, string[]> = {
  hardware: ['24V', '220V', 'IP65', '4G', 'Wi-Fi'],
  software: ['标准版', '专业版', '企业版'],
  service: ['标准', '加急', '远程'],
  consumable: ['100×50mm', '60×40mm', '110mm×300m'],
  accessory: ['通用型', '加强型'],
}
const TAX_RATE = 13

function makeProducts(ctx: DemoContext): void {
  const { rng } = ctx
  for (let i = 0; i < ctx.count(50); i++) {
    const [name, category, unit, base] = CATALOG[i % CATALOG.length]
    const model = `${name === '移动巡检 App' ? 'MX' : 'TR'}-${100 + Math.floor(i / CATALOG.length) * 100 + rng.int(0, 99)}`
    const price = Math.round(base * (1 + Math.floor(i / CATALOG.length) * 0.25))
    ctx.add('product', {
      code: `P${String(10001 + i)}`,
      name,
      spec: `${model} ${rng.pick(SPECS[category])}`,
      category,
      unit,
      costPrice: ctx.money((price * rng.int(45, 75)) / 100),
      price: ctx.money(price),
      weight:
        category === 'hardware' || category === 'accessory' ? rng.int(100, 25_000) / 1000 : null,
      active: rng.chance(0.92),
      description: `<p>${name}（${model}）</p>`,
    })
  }
}

function makeLines(ctx: DemoContext, withTax: boolean): Record<string, unknown>[] {
  const products = ctx.list('product').filter((p) => p.active)
  return ctx.rng.sample(products, ctx.rng.int(1, 5)).map((product) => {
    const list = (product.price as { amount: number }).amount
    return {
      product: product.id,
      description: `${product.name} ${product.spec}`,
      quantity: ctx.rng.int(1, 20),
      unitPrice: ctx.money((list * ctx.rng.int(85, 100)) / 100),
      ...(withTax ? { taxRate: TAX_RATE } : {}),
    }
  })
}

/** What the order's `total` formula will compute, so payments and invoices can stay under it. */
export function orderTotal(order: DemoRecord): number {
  const lines = order.lines as {
    quantity: number
    unitPrice: { amount: number }
    taxRate: number
  }[]
  const gross = lines.reduce(
    (sum, l) => sum + l.quantity * l.unitPrice.amount * (1 + l.taxRate / 100),
    0,
  )
  return Math.round(gross * (1 - ((order.discount as number | null) ?? 0) / 100) * 100) / 100
}

function makeQuotes(ctx: DemoContext): void {
  const { rng } = ctx
  const contactsOf = groupBy(ctx, 'contact', 'customer')
  const opportunities = ctx
    .list('opportunity')
    .filter((o) => ['proposal', 'negotiation', 'won'].includes(String(o.stage)))
  const customers = ctx.list('customer')
  for (let i = 0; i < ctx.count(120); i++) {
    const opportunity = opportunities.length > 0 && rng.chance(0.7) ? rng.pick(opportunities) : null
    const customer = opportunity ? String(opportunity.customer) : rng.pick(customers).id
    const days = -rng.int(0, 330)
    ctx.add('quote', {
      title: opportunity ? String(opportunity.name) : `报价 ${ctx.day(days)}`,
      customer,
      contact: contactsOf.get(customer)?.[0]?.id ?? null,
      opportunity: opportunity?.id ?? null,
      quoteDate: ctx.day(days),
      validUntil: ctx.day(days + 30),
      status:
        days > -30
          ? rng.weighted({ draft: 2, sent: 5, accepted: 2 })
          : rng.weighted({ accepted: 5, rejected: 2, expired: 2 }),
      lines: makeLines(ctx, false),
      taxRate: TAX_RATE,
      terms: rng.chance(0.5)
        ? '报价含税（13% 增值税），有效期 30 天；付款方式：预付 30%，发货前付清。'
        : null,
    })
  }
}

function makeOrders(ctx: DemoContext): void {
  const { rng } = ctx
  const contactsOf = groupBy(ctx, 'contact', 'customer')
  const accepted = ctx.list('quote').filter((q) => q.status === 'accepted')
  const customers = ctx.list('customer').filter((c) => c.status === 'active')
  for (let i = 0; i < ctx.count(100); i++) {
    const quote = i < accepted.length && rng.chance(0.75) ? accepted[i] : null
    // The quote flow's convert makes the order and moves the quote on to converted.
    if (quote) quote.status = 'converted'
    const customerId = quote ? String(quote.customer) : rng.pick(customers).id
    const customer = ctx.list('customer').find((c) => c.id === customerId)!
    const days = quote
      ? Math.min(0, ctx.daysFromAnchor(String(quote.quoteDate)) + rng.int(1, 20))
      : -rng.int(0, 330)
    const lines = quote
      ? (quote.lines as Record<string, unknown>[]).map((l) => ({ ...l, taxRate: TAX_RATE }))
      : makeLines(ctx, true)
    ctx.add('salesOrder', {
      customer: customerId,
      contact: contactsOf.get(customerId)?.[0]?.id ?? null,
      quote: quote?.id ?? null,
      orderDate: ctx.day(days),
      deliveryDate: ctx.day(days + rng.int(7, 45)),
      status:
        days > -20
          ? rng.weighted({ draft: 4, confirmed: 4, shipped: 2 })
          : rng.weighted({ shipped: 3, completed: 8, cancelled: 1 }),
      paymentTerms: rng.pick(['prepaid', 'net30', 'net60', 'cod']),
      lines,
      discount: rng.chance(0.3) ? rng.pick([3, 5, 8, 10, 15]) : null,
      shippingAddress: customer.address,
      notes: null,
    })
  }
}

/** Products, quotes with lines, and sales orders (most from an accepted quote). */
export function makeOrderData(ctx: DemoContext): void {
  makeProducts(ctx)
  makeQuotes(ctx)
  makeOrders(ctx)
}
