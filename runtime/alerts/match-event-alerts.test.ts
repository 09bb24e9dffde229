import { describe, expect, it } from 'vitest'
import type { Alert, AlertTrigger } from '../../metadata/alert'
import { matchEventAlerts, type AlertEvent } from './match-event-alerts'

const ID = '6f1c3a52-0000-4000-8000-000000000001'

function alertOf(id: string, trigger: AlertTrigger, extra: Partial<Alert> = {}): Alert {
  return {
    id,
    label: { en: id },
    entity: 'quote',
    trigger,
    recipients: [{ type: 'owner' }],
    channels: [{ type: 'inApp' }],
    template: { en: { title: 't', body: 'b' } },
    ...extra,
  }
}

/** An update of a quote from `before` to `after` (only the keys that differ count as changes). */
function update(before: Record<string, unknown>, after: Record<string, unknown>): AlertEvent {
  const changes = Object.fromEntries(
    Object.keys(after)
      .filter((k) => before[k] !== after[k])
      .map((k) => [k, { before: before[k] ?? null, after: after[k] }]),
  )
  return {
    entity: 'quote',
    event: 'updated',
    payload: { changes, id: ID, version: 2 },
    record: { id: ID, ...before, ...after },
  }
}

const ids = (alerts: Alert[]) => alerts.map((a) => a.id)

describe('matchEventAlerts', () => {
  const alerts = [
    alertOf('on-create', { type: 'created' }),
    alertOf('on-update', { type: 'updated' }),
    alertOf('on-delete', { type: 'deleted' }),
    alertOf('status-any', { type: 'fieldChanged', field: 'status' }),
    alertOf('status-to-sent', { type: 'fieldChanged', field: 'status', to: 'sent' }),
    alertOf('status-draft-to-lost', {
      type: 'fieldChanged',
      field: 'status',
      from: 'draft',
      to: 'lost',
    }),
    alertOf('on-date', { type: 'dateOffset', field: 'validUntil' }),
    alertOf('other-entity', { type: 'updated' }, { entity: 'order' }),
    alertOf('off', { type: 'updated' }, { enabled: false }),
  ]

  it('fires record events by type, and only for the entity and enabled alerts', () => {
    const created: AlertEvent = {
      entity: 'quote',
      event: 'created',
      payload: { changes: { total: { before: null, after: '10.00' } }, id: ID, version: 1 },
      record: { id: ID, total: '10.00' },
    }
    expect(ids(matchEventAlerts(alerts, created))).toEqual(['on-create'])
    const deleted: AlertEvent = {
      ...created,
      event: 'deleted',
      payload: { ...created.payload, changes: {} },
    }
    expect(ids(matchEventAlerts(alerts, deleted))).toEqual(['on-delete'])
  })

  it('compares a changed field with from and to', () => {
    expect(ids(matchEventAlerts(alerts, update({ status: 'draft' }, { status: 'sent' })))).toEqual([
      'on-update',
      'status-any',
      'status-to-sent',
    ])
    expect(ids(matchEventAlerts(alerts, update({ status: 'draft' }, { status: 'lost' })))).toEqual([
      'on-update',
      'status-any',
      'status-draft-to-lost',
    ])
    expect(ids(matchEventAlerts(alerts, update({ status: 'sent' }, { status: 'lost' })))).toEqual([
      'on-update',
      'status-any',
    ])
    expect(ids(matchEventAlerts(alerts, update({ status: 'sent' }, { total: '5' })))).toEqual([
      'on-update',
    ])
  })

  it('treats a number and its decimal text as one value', () => {
    const big = alertOf('to-100', { type: 'fieldChanged', field: 'total', to: 100 })
    expect(ids(matchEventAlerts([big], update({ total: '99.50' }, { total: '100.00' })))).toEqual([
      'to-100',
    ])
    const same = update({ total: '100' }, { total: 100 })
    expect(
      ids(matchEventAlerts([alertOf('any', { type: 'fieldChanged', field: 'total' })], same)),
    ).toEqual([])
  })

  it('evaluates the condition over record, previous and $user', () => {
    const raised = alertOf(
      'raised-by-other',
      { type: 'updated' },
      {
        condition: {
          and: [
            { '>': [{ var: 'record.total' }, { var: 'previous.total' }] },
            { '!=': [{ var: '$user.id' }, { var: 'record.owner' }] },
          ],
        },
      },
    )
    const event = update({ total: 100, owner: 'u1' }, { total: 200 })
    expect(ids(matchEventAlerts([raised], { ...event, user: { id: 'u2' } }))).toEqual([
      'raised-by-other',
    ])
    expect(ids(matchEventAlerts([raised], { ...event, user: { id: 'u1' } }))).toEqual([])
    expect(ids(matchEventAlerts([raised], update({ total: 300 }, { total: 200 })))).toEqual([])
  })

  it('reads today from the event clock in conditions', () => {
    const expired = alertOf(
      'expired-edit',
      { type: 'updated' },
      { condition: { '<': [{ var: 'record.validUntil' }, { today: [] }] } },
    )
    const event = update({ validUntil: '2026-03-10', note: 'a' }, { note: 'b' })
    expect(
      ids(matchEventAlerts([expired], { ...event, now: new Date('2026-03-11T08:00:00Z') })),
    ).toEqual(['expired-edit'])
    expect(
      matchEventAlerts([expired], { ...event, now: new Date('2026-03-09T08:00:00Z') }),
    ).toEqual([])
  })

  it('fires transition alerts on the flow, target state and action a transition event names', () => {
    const moves = [
      alertOf('any-move', { type: 'transition' }),
      alertOf('into-won', { type: 'transition', to: 'won' }),
      alertOf('approve-in-deal-flow', { type: 'transition', flow: 'deal-flow', action: 'approve' }),
      alertOf('other-flow', { type: 'transition', flow: 'other-flow' }),
    ]
    const moved = (to: string, action: string) => ({
      entity: 'quote',
      event: 'transition' as const,
      payload: { changes: {}, id: ID, version: 4 },
      record: { id: ID, status: to },
      transition: { flow: 'deal-flow', from: 'open', to, action },
    })
    const all = [...alerts, ...moves]
    expect(ids(matchEventAlerts(all, moved('won', 'approve')))).toEqual([
      'any-move',
      'into-won',
      'approve-in-deal-flow',
    ])
    expect(ids(matchEventAlerts(all, moved('lost', 'reject')))).toEqual(['any-move'])
    expect(ids(matchEventAlerts(moves, update({ status: 'open' }, { status: 'won' })))).toEqual([])
  })

  it('fires sla alerts on the milestone and target of an SLA event, and record alerts never', () => {
    const slaAlerts = [
      alertOf('fr-breach', { type: 'sla', milestone: 'breach', target: 'firstResponse' }),
      alertOf('res-breach', { type: 'sla', milestone: 'breach', target: 'resolution' }),
      alertOf('res-warning', { type: 'sla', milestone: 'warning', target: 'resolution' }),
      alertOf(
        'open-only',
        { type: 'sla', milestone: 'breach', target: 'resolution' },
        {
          condition: { '!=': [{ var: 'record.status' }, 'closed'] },
        },
      ),
    ]
    const milestone = (event: 'sla.warning' | 'sla.breach', target: string, status = 'new') => ({
      entity: 'quote',
      event,
      payload: { changes: {}, id: ID, version: 3 },
      record: { id: ID, status },
      sla: { sla: 'ticket-sla', target },
    })
    const all = [...alerts, ...slaAlerts]
    expect(ids(matchEventAlerts(all, milestone('sla.breach', 'resolution')))).toEqual([
      'res-breach',
      'open-only',
    ])
    expect(ids(matchEventAlerts(all, milestone('sla.breach', 'firstResponse')))).toEqual([
      'fr-breach',
    ])
    expect(ids(matchEventAlerts(all, milestone('sla.warning', 'resolution')))).toEqual([
      'res-warning',
    ])
    expect(ids(matchEventAlerts(all, milestone('sla.breach', 'resolution', 'closed')))).toEqual([
      'res-breach',
    ])
    expect(
      ids(matchEventAlerts(slaAlerts, update({ status: 'new' }, { status: 'waiting' }))),
    ).toEqual([])
  })
})
