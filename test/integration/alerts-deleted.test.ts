import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import type { Db } from '../../runtime/db'
import { createRecord, deleteRecord } from '../../runtime/records'
import { testTargets } from '../support/databases'
import { notificationsOf, openAlertWorld, type AlertWorld } from './alerts-fixture'

const label = (en: string) => ({ en })

/** Tells a deal's watcher that a won deal was deleted, naming it. */
const wonDealDeleted: Alert = {
  id: 'won-deal-deleted',
  label: label('Won deal deleted'),
  entity: 'deal',
  trigger: { type: 'deleted' },
  condition: {
    and: [{ '==': [{ var: 'record.stage' }, 'won'] }, { '==': [{ var: 'previous.open' }, true] }],
  },
  recipients: [{ type: 'field', field: 'watcher' }],
  channels: [{ type: 'inApp' }],
  template: { en: { title: 'Deleted: {{record.title}}', body: 'Stage was {{record.stage}}' } },
}

describe.each(testTargets())('a delete carries the record it removed on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let w: AlertWorld
  const at = new Date('2026-03-03T10:00:00Z')
  beforeAll(async () => {
    const opened = await target.open()
    db = opened.db
    close = opened.close
    w = await openAlertWorld(db, [wonDealDeleted])
  })
  afterAll(() => close?.())

  const dealOf = async (values: Record<string, unknown>) => {
    const ctx = await w.ctx(at)
    const { record } = await createRecord(ctx, 'deal', { owner: w.users.alice.id, ...values })
    await w.run(at)
    return record as { id: string; version: number }
  }

  it('puts the values before the delete in the outbox event, shaped as an update’s changes', async () => {
    const deal = await dealOf({ title: 'Harbour crane', stage: 'won', open: true, margin: '12' })
    await deleteRecord(await w.ctx(at), 'deal', deal.id, deal.version)
    const [event] = await db.query<{ payload: { changes: Record<string, unknown> } }>(sql`
      select payload from outbox where record_id = ${deal.id}::uuid and event = 'deleted'`)
    expect(event.payload.changes).toMatchObject({
      title: { before: 'Harbour crane', after: null },
      stage: { before: 'won', after: null },
      open: { before: true, after: null },
      owner: { before: w.users.alice.id, after: null },
      watcher: { before: null, after: null },
    })
  })

  it('fires a deleted alert whose condition reads the record, and names it in the message', async () => {
    const won = await dealOf({
      title: 'Dockside',
      stage: 'won',
      open: true,
      watcher: w.users.bob.id,
    })
    const lost = await dealOf({ title: 'Quay', stage: 'lost', open: true, watcher: w.users.bob.id })
    const ctx = await w.ctx(at)
    await deleteRecord(ctx, 'deal', won.id, won.version)
    await deleteRecord(ctx, 'deal', lost.id, lost.version)
    await w.run(at)
    const notes = await notificationsOf(db, w.users.bob.id)
    expect(notes.map((n) => [n.title, n.body, n.record_id])).toEqual([
      ['Deleted: Dockside', 'Stage was won', won.id],
    ])
  })
})
