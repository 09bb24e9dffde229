import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import type { Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createRecord, deleteRecord, updateRecord } from '../../runtime/records'
import { publishMetadata } from '../../runtime/registry'
import { testTargets } from '../support/databases'
import { deal, notificationsOf, openAlertWorld, roles, type AlertWorld } from './alerts-fixture'

/** Tells a deal's owner of every new deal; published disabled first. */
const newDeal: Alert = {
  id: 'new-deal',
  label: { en: 'New deal' },
  entity: 'deal',
  trigger: { type: 'created' },
  recipients: [{ type: 'owner' }],
  channels: [{ type: 'inApp' }],
  template: { en: { title: 'New deal: {{record.title}}', body: 'Owner: {{record.owner}}' } },
  enabled: false,
}

/** Each outbox event of a record, oldest first, and whether it was delivered. */
async function eventsOf(db: Db, recordId: string) {
  const rows = await db.query<{ event: string; delivered: boolean }>(sql`
    select event, delivered_at is not null as delivered from outbox
    where record_id = ${recordId}::uuid order by id`)
  return rows.map((r) => [r.event, r.delivered])
}

describe.each(testTargets())('outbox events no handler wants on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let w: AlertWorld
  const at = new Date('2026-03-03T10:00:00Z')
  beforeAll(async () => {
    const opened = await target.open()
    db = opened.db
    close = opened.close
    w = await openAlertWorld(db, [newDeal])
  })
  afterAll(() => close?.())

  const create = async (ctx: Ctx, title: string) =>
    (await createRecord(ctx, 'deal', { title, owner: w.users.alice.id })).record as {
      id: string
      version: number
    }

  it('are written delivered, while a delete (whose timers go with it) waits for the relay', async () => {
    const ctx = await w.ctx(at)
    const made = await create(ctx, 'Quiet crane')
    const { record } = await updateRecord(ctx, 'deal', made.id, { stage: 'won' }, made.version)
    await deleteRecord(ctx, 'deal', made.id, record.version as number)
    expect(await eventsOf(db, made.id)).toEqual([
      ['created', true],
      ['updated', true],
      ['deleted', false],
    ])
    await w.run(at)
    expect(await eventsOf(db, made.id)).toEqual([
      ['created', true],
      ['updated', true],
      ['deleted', true],
    ])
  })

  it('wait for the relay once an alert wants them, and reach it', async () => {
    const stale = await w.ctx(at)
    await publishMetadata(stale, {
      packages: [],
      entities: [deal],
      forms: [],
      views: [],
      roles,
      alerts: [{ ...newDeal, enabled: true }],
    })
    const current = await create(await w.ctx(at), 'Wanted crane')
    // A writer still on the metadata before the publish judged the event unwanted: the
    // statement sees a newer apply and leaves it to the relay, which judges it on the newest.
    const behind = await create(stale, 'Late crane')
    expect(await eventsOf(db, current.id)).toEqual([['created', false]])
    expect(await eventsOf(db, behind.id)).toEqual([['created', false]])
    await w.run(at)
    expect(await eventsOf(db, behind.id)).toEqual([['created', true]])
    const titles = (await notificationsOf(db, w.users.alice.id)).map((n) => n.title)
    expect(titles).toEqual(
      expect.arrayContaining(['New deal: Wanted crane', 'New deal: Late crane']),
    )
    expect(titles).not.toContain('New deal: Quiet crane')
  })
})
