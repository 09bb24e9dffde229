import { describe, expect, it } from 'vitest'
import type { MetadataBundleShape } from './bundle'
import type { Entity } from './entity'
import type { Field, LatestFrom } from './field'
import { validateReferences } from './references'
import { validBundle } from './test-fixtures'
import { validateDefinition } from './validate'

const label = { en: 'x' }

const order: Entity = {
  id: 'shopOrder',
  label,
  fields: [
    { name: 'customer', type: 'reference', entity: 'customer', label },
    { name: 'orderedOn', type: 'date', label },
    {
      name: 'status',
      type: 'select',
      label,
      options: [
        { value: 'open', label },
        { value: 'done', label },
      ],
    },
    { name: 'lines', type: 'childTable', entity: 'shopOrderLine', label },
  ],
}

const orderLine: Entity = {
  id: 'shopOrderLine',
  label,
  childOf: 'shopOrder',
  fields: [
    { name: 'item', type: 'text', label },
    { name: 'price', type: 'money', currency: 'CNY', label },
  ],
}

const offer: Entity = {
  id: 'offer',
  label,
  fields: [
    { name: 'customer', type: 'reference', entity: 'customer', label },
    { name: 'lines', type: 'childTable', entity: 'offerLine', label },
  ],
}

const GOOD: LatestFrom = {
  entity: 'shopOrderLine',
  field: 'price',
  match: { item: 'item', 'parent.customer': 'parent.customer' },
  parentFilter: { '==': [{ var: 'status' }, 'done'] },
  orderBy: 'parent.orderedOn',
}

/** The fixture bundle with an order, its lines and an offer whose lines carry `fields`. */
function issuesWith(...fields: Partial<Field>[]) {
  const bundle: MetadataBundleShape = validBundle()
  const offerLine: Entity = {
    id: 'offerLine',
    label,
    childOf: 'offer',
    fields: [
      { name: 'item', type: 'text', label },
      ...fields.map((f, i) => ({ name: `f${i}`, label, readOnly: true, ...f }) as Field),
    ],
  }
  bundle.entities.push(order, orderLine, offer, offerLine)
  return validateReferences(bundle)
}

const at = (i: number, rest: string) => `entities[offerLine].fields[${i + 1}].latestFrom${rest}`

describe('latestFrom checks', () => {
  it('accepts a copied price and order matched along the row and its parent', () => {
    expect(
      issuesWith(
        { type: 'money', currency: 'CNY', latestFrom: GOOD },
        { type: 'reference', entity: 'shopOrder', latestFrom: { ...GOOD, field: 'parent' } },
        { type: 'date', latestFrom: { ...GOOD, field: 'parent.orderedOn' } },
      ),
    ).toEqual([])
  })

  it('names an unknown entity, an unknown copied field and one of another type', () => {
    const issues = issuesWith(
      { type: 'money', latestFrom: { ...GOOD, entity: 'nope' } },
      { type: 'money', latestFrom: { ...GOOD, field: 'cost' } },
      { type: 'text', latestFrom: GOOD },
      { type: 'reference', entity: 'customer', latestFrom: { ...GOOD, field: 'parent' } },
    )
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      [at(0, '.entity'), "no entity 'nope'"],
      [at(1, '.field'), "no field 'cost' in entity 'shopOrderLine'"],
      [at(2, '.field'), "'price' is money, not text"],
      [at(3, '.field'), "'parent' is reference of 'shopOrder', not reference of 'customer'"],
    ])
  })

  it('names a match pair with an unknown side or two types that differ', () => {
    const issues = issuesWith(
      { type: 'money', latestFrom: { ...GOOD, match: { 'parent.buyer': 'parent.customer' } } },
      { type: 'money', latestFrom: { ...GOOD, match: { item: 'parent.nothing' } } },
      { type: 'money', latestFrom: { ...GOOD, match: { item: 'parent.customer' } } },
      { type: 'money', latestFrom: { ...GOOD, match: { price: 'item' } } },
    )
    expect(issues.map((i) => i.path)).toEqual([
      at(0, '.match["parent.buyer"]'),
      at(1, '.match.item'),
      at(2, '.match.item'),
      at(3, '.match.price'),
    ])
    expect(issues[0].message).toBe("no field 'buyer' in entity 'shopOrder'")
    expect(issues[2].message).toBe(
      "'item' is text, not reference of 'customer' ('parent.customer')",
    )
    expect(issues[3].message).toBe('a money value cannot be matched')
  })

  it('names filters over unknown fields, a parent filter without a parent, and a bad orderBy', () => {
    const issues = issuesWith(
      { type: 'money', latestFrom: { ...GOOD, filter: { '==': [{ var: 'colour' }, 'red'] } } },
      { type: 'money', latestFrom: { ...GOOD, parentFilter: { '!!': [{ var: 'state' }] } } },
      { type: 'money', latestFrom: { ...GOOD, orderBy: 'parent.shippedOn' } },
    )
    expect(issues.map((i) => i.path)).toEqual([
      at(0, '.filter["=="][0].var'),
      at(1, '.parentFilter["!!"][0].var'),
      at(2, '.orderBy'),
    ])
    const bundle = validBundle()
    bundle.entities.push(order, orderLine)
    bundle.entities
      .find((e) => e.id === 'followUp')!
      .fields.push({
        name: 'lastOrderOn',
        type: 'date',
        label,
        readOnly: true,
        latestFrom: {
          entity: 'shopOrder',
          field: 'orderedOn',
          match: { customer: 'customer', 'parent.x': 'parent.customer' },
          parentFilter: { '==': [{ var: 'status' }, 'done'] },
        },
      })
    expect(validateReferences(bundle).map((i) => [i.path, i.message])).toEqual([
      [
        'entities[followUp].fields[3].latestFrom.match["parent.x"]',
        "'parent.x': only a child entity's rows have a parent to read",
      ],
      ['entities[followUp].fields[3].latestFrom.parentFilter', "'shopOrder' is not a child entity"],
    ])
  })

  it('needs the field read-only, and no fill, default or computed type beside it', () => {
    const bundle = validBundle()
    bundle.entities.push(order, orderLine)
    const lastOrder = {
      entity: 'shopOrder',
      field: 'orderedOn',
      match: { customer: 'customer' },
    }
    bundle.entities
      .find((e) => e.id === 'followUp')!
      .fields.push({
        name: 'lastOrderOn',
        type: 'date',
        label,
        default: { dynamic: 'today' },
        latestFrom: lastOrder,
      })
    const issues = validateDefinition(
      'entity',
      bundle.entities.find((e) => e.id === 'followUp'),
    )
    expect(issues.map((i) => i.path)).toEqual(['fields[3].default'])
    expect(validateReferences(bundle).map((i) => [i.path, i.message])).toEqual([
      ['entities[followUp].fields[3].latestFrom', 'needs the field to be readOnly: true'],
    ])
  })

  it('is refused by the schema without a match, or with a path that is no field name', () => {
    const entity = {
      id: 'probe',
      label,
      fields: [
        {
          name: 'a',
          type: 'money',
          label,
          readOnly: true,
          latestFrom: { entity: 'shopOrderLine', field: 'price' },
        },
        {
          name: 'b',
          type: 'money',
          label,
          readOnly: true,
          latestFrom: { entity: 'shopOrderLine', field: 'price', match: { 'a.b.c': 'item' } },
        },
      ],
    }
    const paths = validateDefinition('entity', entity).map((i) => i.path)
    expect(paths).toContain('fields[0].latestFrom.match')
    expect(paths.some((p) => p.startsWith('fields[1].latestFrom.match'))).toBe(true)
  })
})

describe('a state lock that forbids deleting', () => {
  const flow = (lock: unknown) => ({
    id: 'offerFlow',
    label,
    entity: 'offer',
    stateField: 'status',
    states: [
      { id: 'open', initial: true },
      { id: 'won', final: true, lock },
    ],
    transitions: [{ id: 'win', from: ['open'], to: 'won', label }],
  })

  it('takes delete: false, and refuses another value with its path', () => {
    expect(validateDefinition('flow', flow({ editable: [], delete: false }))).toEqual([])
    expect(
      validateDefinition('flow', flow({ editable: [], delete: 'no' })).map((i) => i.path),
    ).toEqual(['states[1].lock.delete'])
  })
})
