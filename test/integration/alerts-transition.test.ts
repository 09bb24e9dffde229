import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import { TRANSITION_EVENT } from '../../runtime/alerts/match-event-alerts'
import { createRecord } from '../../runtime/records'
import { testTargets } from '../support/databases'
import { notificationsOf, openAlertWorld, type AlertWorld } from './alerts-fixture'

const won: Alert = {
  id: 'deal-approved-won',
  label: { en: 'Deal approved' },
  entity: 'deal',
  trigger: { type: 'transition', flow: 'deal-flow', to: 'won', action: 'approve' },
  recipients: [{ type: 'owner' }],
  channels: [{ type: 'inApp' }],
  template: {
    en: { title: '{{record.title}} approved', body: 'Now won.' },
    'zh-CN': { title: '{{record.title}} 已批准', body: '已赢单。' },
  },
}

// A flow's move is told by a `transition` outbox event, or, when the move updated the record, by
// the payload of the `updated` event that wrote it. Here the events are written as flows write them.
describe.each(testTargets())('alerts on flow transitions on $name', (target) => {
  let w: AlertWorld
  let close: () => Promise<void>
  const at = new Date('2026-03-02T10:00:00Z')
  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    w = await openAlertWorld(opened.db, [won])
  })
  afterAll(() => close?.())

  const transition = (recordId: string, move: Record<string, string>) =>
    w.db.query(sql`insert into outbox (entity, record_id, event, payload, user_id)
      values ('deal', ${recordId}::uuid, ${TRANSITION_EVENT},
        ${JSON.stringify({ ...move, id: recordId, version: 2 })}::jsonb, null)`)

  it('tells the owner when the named flow moves the deal into the state by the action, once', async () => {
    const ctx = await w.as(w.users.alice, at)
    const { record } = await createRecord(ctx, 'deal', {
      title: 'Harbour Cranes',
      owner: w.users.alice.id,
    })
    const id = String(record.id)
    await transition(id, { flow: 'deal-flow', from: 'open', to: 'lost', action: 'reject' })
    await transition(id, { flow: 'other-flow', from: 'open', to: 'won', action: 'approve' })
    await w.run(at)
    expect(await notificationsOf(w.db, w.users.alice.id)).toEqual([])
    await transition(id, { flow: 'deal-flow', from: 'open', to: 'won', action: 'approve' })
    await w.run(at)
    await w.run(at)
    const got = await notificationsOf(w.db, w.users.alice.id)
    expect(got.map((n) => n.title)).toEqual(['Harbour Cranes 已批准']) // alice reads zh-CN
  })

  it('fires on a move told in the updated event that wrote it, once, and not on a plain update', async () => {
    const ctx = await w.as(w.users.alice, at)
    const { record } = await createRecord(ctx, 'deal', {
      title: 'Pier Lights',
      owner: w.users.alice.id,
    })
    const id = String(record.id)
    const before = (await notificationsOf(w.db, w.users.alice.id)).length
    const updated = (payload: Record<string, unknown>) =>
      w.db.query(sql`insert into outbox (entity, record_id, event, payload, user_id)
        values ('deal', ${id}::uuid, 'updated',
          ${JSON.stringify({ changes: {}, id, version: 2, ...payload })}::jsonb, null)`)
    await updated({})
    await w.run(at)
    expect(await notificationsOf(w.db, w.users.alice.id)).toHaveLength(before)
    // A flow's move that updated the record: one `updated` row whose payload names the move.
    await updated({ flow: 'deal-flow', from: 'open', to: 'won', action: 'approve' })
    await w.run(at)
    await w.run(at)
    const got = await notificationsOf(w.db, w.users.alice.id)
    expect(got.map((n) => n.title).filter((t) => t.startsWith('Pier Lights'))).toEqual([
      'Pier Lights 已批准',
    ])
  })
})
