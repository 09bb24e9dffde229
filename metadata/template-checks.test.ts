import { describe, expect, it } from 'vitest'
import { validateReferences } from './references'
import { reportEntities } from './report-fixtures'
import type { Template } from './template'
import { toMillimetres } from './template-checks'
import { validateDefinition } from './validate'

const ORDER_BODY = `<h1>{{labels.salesOrder.orderDate}} {{record.orderDate}}</h1>
<p>{{record.customer}} · {{record._ref.customer.region}} · {{company.name}} · {{printedAt}}</p>
{{#each record.lines}}
  <tr><td>{{@index}}</td><td>{{product}} ({{_ref.product.category}})</td>
  <td>{{formatNumber _raw.quantity 0}}</td><td>{{amount}}</td><td>{{../record.status}}</td></tr>
{{else}}<tr><td>{{record.total}}</td></tr>
{{/each}}
{{#with record._ref.customer}}{{name}} {{industry}}{{/with}}
{{#if record.deliveryDate}}{{formatDate record._raw.deliveryDate "long"}}{{/if}}`

function orderTemplate(change?: (t: Template) => void): Template {
  const template: Template = {
    id: 'order-confirmation',
    label: { en: 'Order confirmation', 'zh-CN': '订单确认', ko: '주문 확인서' },
    entity: 'salesOrder',
    body: { en: ORDER_BODY, 'zh-CN': ORDER_BODY, ko: ORDER_BODY },
    include: ['customer', 'lines.product'],
    paper: { size: 'A4', orientation: 'portrait', margin: { top: '20mm', left: '2cm' } },
    style: 'h1 { font-size: 18pt }',
  }
  change?.(template)
  return template
}

const check = (t: Template) => validateDefinition('template', t)
const references = (t: Template) =>
  validateReferences({
    packages: [],
    entities: reportEntities(),
    forms: [],
    views: [],
    templates: [t],
  })

describe('a print template on its own', () => {
  it('accepts a template in the three languages with paper, style and includes', () => {
    expect(check(orderTemplate())).toEqual([])
  })

  it('needs an English body and takes no other language', () => {
    expect(check(orderTemplate((t) => (t.body = { ko: 'x' } as never)))).toEqual([
      { path: 'body.en', message: 'is required' },
    ])
    const ja = check(orderTemplate((t) => Object.assign(t.body, { ja: 'x' })))
    expect(ja).toHaveLength(1)
    expect(ja[0].path).toMatch(/^body/)
  })

  it('names the language whose body does not parse, calls an unknown helper or a partial', () => {
    const broken = orderTemplate((t) => {
      t.body['zh-CN'] = '{{#each record.lines}}'
      t.body.ko = '{{shout record.customer}} {{> header}}'
    })
    expect(check(broken)).toEqual([
      { path: 'body["zh-CN"]', message: expect.stringMatching(/^not a template: Parse error/) },
      { path: 'body.ko', message: "calls 'shout', which is no helper" },
      { path: 'body.ko', message: expect.stringContaining('partials') },
    ])
  })

  it('refuses paper sizes and margin units it cannot print, and margins that leave no page', () => {
    const size = check(orderTemplate((t) => (t.paper = { size: 'B5' as never })))
    expect(size[0].path).toBe('paper.size')
    const unit = check(orderTemplate((t) => (t.paper = { margin: { top: '2em' } })))
    expect(unit[0].path).toBe('paper.margin.top')
    const wide = orderTemplate((t) => (t.paper = { margin: { left: '100mm', right: '3in' } }))
    expect(check(wide)).toEqual([
      { path: 'paper.margin', message: 'leaves 34 mm across the page, less than 50' },
    ])
    const landscape = orderTemplate(
      (t) =>
        (t.paper = {
          size: 'A5',
          orientation: 'landscape',
          margin: { top: '50mm', bottom: '50mm' },
        }),
    )
    expect(check(landscape)).toEqual([
      { path: 'paper.margin', message: 'leaves 48 mm down the page, less than 50' },
    ])
  })

  it('keeps the style CSS only and the includes unique', () => {
    const issues = check(
      orderTemplate((t) => {
        t.style = 'p {}</style><script>alert(1)</script>'
        t.include = ['customer', 'customer']
      }),
    )
    expect(issues).toEqual([
      { path: 'style', message: expect.stringContaining('<style>') },
      { path: 'include[1]', message: "duplicate include 'customer'" },
    ])
  })

  it('reads CSS lengths in millimetres', () => {
    expect(toMillimetres('1in')).toBeCloseTo(25.4)
    expect(toMillimetres('72pt')).toBeCloseTo(25.4)
    expect(toMillimetres('2cm')).toBe(20)
    expect(toMillimetres(undefined)).toBe(15)
  })
})

describe('a print template against the entities', () => {
  it('resolves every field, child row, include and label it names', () => {
    expect(references(orderTemplate())).toEqual([])
  })

  it('names an unknown or child entity', () => {
    expect(references(orderTemplate((t) => (t.entity = 'invoice')))).toEqual([
      { path: 'templates[order-confirmation].entity', message: "no entity 'invoice'" },
    ])
    expect(references(orderTemplate((t) => (t.entity = 'orderLine')))[0].message).toContain(
      "child table of 'salesOrder'",
    )
  })

  it('names includes that are no reference field', () => {
    const bad = orderTemplate((t) => {
      t.include = ['owner', 'lines.quantity', 'items.product']
      t.body = { en: '<p>{{record.customer}}</p>' }
    })
    expect(references(bad)).toEqual([
      {
        path: 'templates[order-confirmation].include[0]',
        message: "'owner' is no reference field of 'salesOrder'",
      },
      {
        path: 'templates[order-confirmation].include[1]',
        message: "'quantity' is no reference field of 'orderLine'",
      },
      {
        path: 'templates[order-confirmation].include[2]',
        message: "'items' is no child table of 'salesOrder'",
      },
    ])
  })

  it('names fields the record, its rows, includes and labels do not have, per language', () => {
    const bad = orderTemplate((t) => {
      t.body.ko = `{{record.amount}} {{#each record.lines}}{{price}} {{_ref.product.colour}}{{/each}}
        {{record._ref.contact.name}} {{labels.salesOrder.notes}} {{labels.invoice.number}}
        {{record.customer.name}} {{secrets}} {{@root.record._raw.paid}}`
    })
    const at = 'templates[order-confirmation].body.ko'
    expect(references(bad)).toEqual([
      { path: at, message: "'salesOrder' has no field 'amount'" },
      { path: at, message: "'orderLine' has no field 'price'" },
      { path: at, message: "'product' has no field 'colour'" },
      { path: at, message: "'contact' of 'salesOrder' is not in include" },
      { path: at, message: "'salesOrder' has no field 'notes'" },
      { path: at, message: "labels.invoice: the template prints no 'invoice' records" },
      { path: at, message: "'customer' prints as text; read 'name' from _raw.customer" },
      { path: at, message: expect.stringContaining("no 'secrets' in a print template's data") },
      { path: at, message: "'salesOrder' has no field 'paid'" },
    ])
  })

  it('leaves paths alone in blocks over data it cannot know', () => {
    const free = orderTemplate((t) => {
      t.body.en = '{{#with company}}{{anything}}{{/with}}{{#each record._raw.lines}}{{x}}{{/each}}'
    })
    expect(references(free)).toEqual([])
  })
})
