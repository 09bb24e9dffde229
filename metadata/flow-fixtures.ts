// Valid example flows and the entities they run on, shared by the flow tests. Not part of the language.
import type { MetadataBundleShape } from './bundle'
import type { Entity } from './entity'
import type { Field } from './field'
import type { Flow } from './flow'

const label = (en: string) => ({ en })
const field = (name: string, type: Field['type'], extra: Partial<Field> = {}): Field => ({
  name,
  type,
  label: label(name),
  ...extra,
})
const options = (...values: string[]) => values.map((value) => ({ value, label: label(value) }))

/** A quote with a stage, a discount, lines, an owner and a link to the sales order it became. */
export function quoteEntity(): Entity {
  return {
    id: 'quote',
    label: label('Quote'),
    fields: [
      field('title', 'text'),
      field('stage', 'select', {
        default: 'draft',
        options: options('draft', 'pending', 'approved', 'rejected', 'sent', 'accepted', 'lost'),
      }),
      field('discount', 'percent'),
      field('lostReason', 'longText'),
      field('owner', 'user'),
      field('department', 'department'),
      field('customer', 'text'),
      field('salesOrder', 'reference', { entity: 'salesOrder' }),
      field('code', 'autoNumber', { pattern: 'Q-{####}' }),
      field('total', 'formula', { formula: { '*': [1, 2] }, resultType: 'number' }),
      field('lines', 'childTable', { entity: 'quoteLine' }),
    ],
  }
}

/** Lines of a quote, copied into a sales order's lines on conversion. */
export function quoteLineEntity(): Entity {
  return {
    id: 'quoteLine',
    label: label('Quote line'),
    childOf: 'quote',
    fields: [field('product', 'text'), field('quantity', 'integer'), field('unitPrice', 'money')],
  }
}

/** The sales order a quote converts into. */
export function salesOrderEntity(): Entity {
  return {
    id: 'salesOrder',
    label: label('Sales order'),
    fields: [
      field('customer', 'text'),
      field('code', 'autoNumber', { pattern: 'SO-{####}' }),
      field('lines', 'childTable', { entity: 'salesOrderLine' }),
    ],
  }
}

/** Lines of a sales order. */
export function salesOrderLineEntity(): Entity {
  return {
    id: 'salesOrderLine',
    label: label('Sales order line'),
    childOf: 'salesOrder',
    fields: [field('product', 'text'), field('quantity', 'integer'), field('price', 'money')],
  }
}

/**
 * A quote flow using every part of the language: a lock, a required lost reason, a discount
 * approval with an entry criterion, a conditional branch, a parallel countersign and vote, each
 * approver source, a timeout in a calendar, CC, and a conversion with copied lines.
 */
export function quoteFlow(): Flow {
  return {
    id: 'quote-flow',
    label: label('Quote flow'),
    entity: 'quote',
    stateField: 'stage',
    states: [
      { id: 'draft', initial: true },
      { id: 'pending', lock: { editable: ['discount'], by: 'approver' }, color: '#f59e0b' },
      { id: 'approved', lock: { editable: [] } },
      { id: 'rejected' },
      { id: 'sent' },
      { id: 'accepted', final: true },
      { id: 'lost', final: true, label: { en: 'Lost', 'zh-CN': '丢单', ko: '실패' } },
    ],
    transitions: [
      {
        id: 'submit',
        label: label('Submit'),
        from: ['draft', 'rejected'],
        to: 'approved',
        style: 'primary',
        approval: {
          when: { '>': [{ var: 'discount' }, 15] },
          pending: 'pending',
          rejected: 'rejected',
          recalled: 'draft',
          resubmit: 'rejectedStep',
          noApprover: 'admin',
          submitterApproves: 'manager',
          repeatedApprover: 'approveOnce',
          cc: [{ field: 'owner' }],
          steps: [
            {
              id: 'manager',
              label: label('Manager'),
              approvers: [{ manager: 1 }],
              timeout: {
                after: { hours: 8 },
                calendar: 'china-office',
                action: 'remind',
                repeat: 2,
              },
            },
            {
              id: 'by-discount',
              branches: [
                {
                  id: 'big',
                  when: { '>': [{ var: 'discount' }, 30] },
                  steps: [
                    {
                      id: 'director',
                      label: label('Director'),
                      approvers: [{ role: 'director' }, { managerChain: { upToRole: 'director' } }],
                      mode: 'sequence',
                    },
                  ],
                },
                { id: 'otherwise', steps: [] },
              ],
            },
            {
              id: 'checks',
              parallel: [
                {
                  id: 'finance',
                  steps: [
                    {
                      id: 'finance-sign',
                      label: label('Finance'),
                      approvers: [{ role: 'finance' }, { departmentHead: { field: 'department' } }],
                      mode: 'all',
                    },
                  ],
                },
                {
                  id: 'board',
                  steps: [
                    {
                      id: 'board-vote',
                      label: label('Board'),
                      approvers: [{ submitterPick: { role: 'director', min: 2, max: 5 } }],
                      mode: 'vote',
                      threshold: 0.5,
                      cc: [{ user: 'ceo' }],
                      timeout: { after: { days: 2 }, action: 'approve' },
                    },
                  ],
                },
              ],
            },
          ],
        },
      },
      {
        id: 'send',
        label: label('Send'),
        from: ['approved'],
        to: 'sent',
        comment: 'none',
        effects: [
          { type: 'set', params: { values: { title: { cat: ['Sent: ', { var: 'title' }] } } } },
        ],
      },
      {
        id: 'accept',
        label: label('Convert to sales order'),
        from: ['sent'],
        to: 'accepted',
        inputs: ['customer'],
        effects: [
          {
            type: 'create',
            params: {
              entity: 'salesOrder',
              as: 'order',
              values: { customer: { var: 'customer' } },
              children: [
                {
                  from: 'lines',
                  to: 'lines',
                  values: {
                    product: { var: 'product' },
                    quantity: { var: 'quantity' },
                    price: { var: 'unitPrice' },
                  },
                },
              ],
              linkBack: 'salesOrder',
            },
          },
        ],
      },
      {
        id: 'lose',
        label: label('Lost'),
        from: ['draft', 'sent'],
        to: 'lost',
        requires: ['lostReason'],
        comment: 'required',
        style: 'danger',
        guard: { '==': [{ var: 'owner' }, { var: '$user.id' }] },
      },
    ],
  }
}

/** The entities, roles and calendar the quote flow points at, and the flow itself. */
export function flowBundle(flow: Flow = quoteFlow()): MetadataBundleShape {
  return {
    packages: [],
    entities: [quoteEntity(), quoteLineEntity(), salesOrderEntity(), salesOrderLineEntity()],
    forms: [],
    views: [],
    roles: ['director', 'finance'].map((id) => ({ id, label: label(id), grants: [] })),
    calendars: [
      {
        id: 'china-office',
        label: label('China office'),
        timeZone: 'Asia/Shanghai',
        hours: { mon: [{ from: '09:00', to: '18:00' }] },
      },
    ],
    flows: [flow],
  }
}
