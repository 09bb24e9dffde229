// Entities and reports shared by the report unit tests and the docs example test. Not part of
// the language. They mirror the shipped customer and order modules, cut down.
import type { MetadataBundleShape } from './bundle'
import type { Entity } from './entity'
import type { Field } from './field'
import type { Report } from './report'

const label = (en: string) => ({ en })
const select = (name: string, values: string[]): Field => ({
  name,
  type: 'select',
  label: label(name),
  options: values.map((value) => ({ value, label: label(value) })),
})

/** customer, opportunity, campaign, lead, product, salesOrder and its orderLine child rows. */
export function reportEntities(): Entity[] {
  return [
    {
      id: 'customer',
      label: label('Customer'),
      titleField: 'name',
      ownerField: 'owner',
      fields: [
        { name: 'name', type: 'text', label: label('Name') },
        select('industry', ['manufacturing', 'retail', 'it']),
        select('region', ['east', 'west']),
        { name: 'tags', type: 'multiSelect', label: label('Tags'), options: [] },
        { name: 'notes', type: 'longText', label: label('Notes') },
        { name: 'owner', type: 'user', label: label('Owner') },
        { name: 'department', type: 'department', label: label('Department') },
      ],
    },
    {
      id: 'opportunity',
      label: label('Opportunity'),
      ownerField: 'owner',
      fields: [
        { name: 'name', type: 'text', label: label('Name') },
        { name: 'customer', type: 'reference', label: label('Customer'), entity: 'customer' },
        { name: 'campaign', type: 'reference', label: label('Campaign'), entity: 'campaign' },
        select('stage', [
          'qualification',
          'needsAnalysis',
          'proposal',
          'negotiation',
          'won',
          'lost',
        ]),
        { name: 'amount', type: 'money', label: label('Amount') },
        { name: 'expectedCloseDate', type: 'date', label: label('Expected close') },
        { name: 'owner', type: 'user', label: label('Owner') },
        select('lostReason', ['price', 'competitor']),
        {
          name: 'probability',
          type: 'formula',
          label: label('Probability'),
          resultType: 'number',
          formula: 10,
        },
      ],
    },
    {
      id: 'campaign',
      label: label('Campaign'),
      titleField: 'name',
      fields: [
        { name: 'name', type: 'text', label: label('Name') },
        select('status', ['planned', 'active', 'completed']),
        { name: 'startDate', type: 'date', label: label('Start') },
        { name: 'actualCost', type: 'money', label: label('Actual cost'), currency: 'CNY' },
      ],
    },
    {
      id: 'lead',
      label: label('Lead'),
      fields: [
        { name: 'company', type: 'text', label: label('Company') },
        { name: 'campaign', type: 'reference', label: label('Campaign'), entity: 'campaign' },
        { name: 'notes', type: 'longText', label: label('Notes') },
      ],
    },
    {
      id: 'product',
      label: label('Product'),
      fields: [
        { name: 'name', type: 'text', label: label('Name') },
        select('category', ['hardware', 'software', 'service']),
        { name: 'price', type: 'money', label: label('Price') },
      ],
    },
    {
      id: 'salesOrder',
      label: label('Sales order'),
      ownerField: 'owner',
      fields: [
        { name: 'customer', type: 'reference', label: label('Customer'), entity: 'customer' },
        { name: 'orderDate', type: 'date', label: label('Order date') },
        { name: 'deliveryDate', type: 'date', label: label('Delivery date') },
        select('status', ['draft', 'confirmed', 'shipped', 'completed', 'cancelled']),
        { name: 'lines', type: 'childTable', label: label('Lines'), entity: 'orderLine' },
        { name: 'total', type: 'formula', label: label('Total'), resultType: 'money', formula: 0 },
        {
          name: 'outstanding',
          type: 'formula',
          label: label('Outstanding'),
          resultType: 'number',
          formula: 0,
        },
        { name: 'owner', type: 'user', label: label('Owner') },
        { name: 'contract', type: 'attachment', label: label('Contract') },
      ],
    },
    {
      id: 'orderLine',
      label: label('Order line'),
      childOf: 'salesOrder',
      fields: [
        { name: 'product', type: 'reference', label: label('Product'), entity: 'product' },
        { name: 'quantity', type: 'integer', label: label('Quantity') },
        {
          name: 'amount',
          type: 'formula',
          label: label('Amount'),
          resultType: 'money',
          formula: 0,
        },
      ],
    },
  ]
}

/** A valid report: won amount and win rate by rep and close month, top 10. */
export function winRateReport(): Report {
  return {
    id: 'win-rate',
    label: label('Win rate by rep'),
    entity: 'opportunity',
    dimensions: [
      { id: 'rep', field: 'owner' },
      { id: 'month', field: 'expectedCloseDate', bucket: 'month' },
    ],
    measures: [
      { id: 'deals', aggregate: 'count' },
      { id: 'won', aggregate: 'count', filter: { '==': [{ var: 'stage' }, 'won'] } },
      { id: 'winRate', ratio: ['won', 'deals'], label: label('Win rate') },
      { id: 'wonAmount', aggregate: 'sum', field: 'amount' },
    ],
    filter: { '==': [{ var: 'owner' }, { var: '$user.id' }] },
    sort: [{ by: 'wonAmount', desc: true }],
    limit: 10,
  }
}

/** The fixture entities and the given reports as a bundle. */
export function reportBundle(...reports: Report[]): MetadataBundleShape {
  return { packages: [], entities: reportEntities(), forms: [], views: [], reports }
}
