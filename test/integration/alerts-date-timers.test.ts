import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import { createRecord, deleteRecord, updateRecord } from '../../runtime/records'
import { notificationsOf, openAlertWorld, type AlertWorld } from './alerts-fixture'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en })
const toOwner = { recipients: [{ type: 'owner' as const }], channels: [{ type: 'inApp' as const }] }

const alerts: Alert[] = [
  {
    id: 'close-soon',
    label: label('Closes soon'),
    entity: 'deal',
    trigger: { type: 'dateOffset', field: 'closeDate', offset: { days: -3 } },
    ...toOwner,
    template: { en: { title: '{{record.title}} closes soon', body: 'Three days left.' } },
  },
  {
    id: 'still-open',
    label: label('Still open'),
    entity: 'deal',
    trigger: {
      type: 'dateOffset',
      field: 'closeDate',
      offset: { days: 1 },
      at: '18:00',
      repeatEveryDays: 2,
      while: { '==': [{ var: 'record.open' }, true] },
    },
    ...toOwner,
    template: { en: { title: '{{record.title}} is still open', body: 'Close it.' } },
  },
  {
    id: 'monday-digest',
    label: label('Monday digest'),
    trigger: { type: 'schedule', cron: '0 9 * * 1', timeZone: 'Asia/Seoul' },
    recipients: [{ type: 'users', usernames: ['bob'] }],
    channels: [{ type: 'inApp' }],
    template: { en: { title: 'Your week', body: 'Plan it.' } },
  },
]

describe.each(testTargets())('date and schedule alerts on $name', (target) => {
  let w: AlertWorld
  let close: () => Promise<void>
  let dealId: string
  const titles = async (user: 'alice' | 'bob', alert: string) =>
    (await notificationsOf(w.db, w.users[user].id)).filter((n) => n.alert === alert)
  const dueOf = async (key: string) => {
    const rows = await w.db.query<{ due_at: string | Date; fired_at: string | null }>(
      sql`select due_at, fired_at from timers where kind = 'alert' and key = ${key}`,
    )
    return rows.map((r) => ({ due: new Date(r.due_at).toISOString(), fired: r.fired_at !== null }))
  }

  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    w = await openAlertWorld(opened.db, alerts, { timeZone: 'Asia/Shanghai' })
  })
  afterAll(() => close?.())

  it('schedules the reminder at 09:00 local three days before the date, and moves it when the date moves', async () => {
    const at = new Date('2026-03-02T01:00:00Z')
    const { record } = await createRecord(await w.ctx(at), 'deal', {
      title: 'Acme',
      owner: w.users.alice.id,
      closeDate: '2026-03-20',
      open: true,
    })
    dealId = String(record.id)
    await w.run(at)
    expect(await dueOf(`close-soon:${dealId}`)).toEqual([
      { due: '2026-03-17T01:00:00.000Z', fired: false },
    ])
    const later = new Date('2026-03-05T01:00:00Z')
    await updateRecord(await w.ctx(later), 'deal', dealId, { closeDate: '2026-03-25' }, 1)
    await w.run(later)
    expect(await dueOf(`close-soon:${dealId}`)).toEqual([
      { due: '2026-03-22T01:00:00.000Z', fired: false },
    ])
  })

  it('fires at its time, not a minute before and only once, when the clock is stepped', async () => {
    await w.run(new Date('2026-03-17T01:00:00Z'))
    expect(await titles('alice', 'close-soon')).toEqual([])
    await w.run(new Date('2026-03-22T00:59:00Z'))
    expect(await titles('alice', 'close-soon')).toEqual([])
    await w.run(new Date('2026-03-22T01:00:00Z'))
    await w.run(new Date('2026-03-22T02:00:00Z'))
    const fired = await titles('alice', 'close-soon')
    expect(fired).toEqual([
      expect.objectContaining({ title: 'Acme closes soon', record_id: dealId }),
    ])
  })

  it('repeats every two days while the deal is open, and stops once it is closed', async () => {
    // 1 day after 2026-03-25 at 18:00 in Shanghai is 2026-03-26T10:00Z.
    await w.run(new Date('2026-03-26T10:00:00Z'))
    expect(await titles('alice', 'still-open')).toHaveLength(1)
    expect(await dueOf(`still-open:${dealId}`)).toEqual([
      { due: '2026-03-28T10:00:00.000Z', fired: false },
    ])
    await w.run(new Date('2026-03-28T10:00:00Z'))
    expect(await titles('alice', 'still-open')).toHaveLength(2)
    const closedAt = new Date('2026-03-29T00:00:00Z')
    await updateRecord(await w.ctx(closedAt), 'deal', dealId, { open: false }, 2)
    await w.run(closedAt)
    await w.run(new Date('2026-04-05T00:00:00Z'))
    expect(await titles('alice', 'still-open')).toHaveLength(2)
  })

  it('never fires for a deleted record: its timers go with it', async () => {
    const at = new Date('2026-04-06T00:00:00Z')
    const { record } = await createRecord(await w.ctx(at), 'deal', {
      title: 'Gone',
      owner: w.users.alice.id,
      closeDate: '2026-04-20',
      open: true,
    })
    const id = String(record.id)
    await w.run(at)
    expect(await dueOf(`close-soon:${id}`)).toHaveLength(1)
    await deleteRecord(await w.ctx(at), 'deal', id, 1)
    await w.run(at)
    expect(await dueOf(`close-soon:${id}`)).toEqual([])
    expect(await dueOf(`still-open:${id}`)).toEqual([])
    await w.run(new Date('2026-04-30T00:00:00Z'))
    const all = await notificationsOf(w.db, w.users.alice.id)
    expect(all.filter((n) => n.record_id === id)).toEqual([])
  })

  it('fires a schedule alert at its cron time in its zone, once per run, and moves to the next run', async () => {
    await w.db.query(sql`delete from notifications where alert = 'monday-digest'`)
    await w.db.query(
      sql`update timers set due_at = '2026-05-04T00:00:00Z', fired_at = null
        where kind = 'alert' and key = 'schedule:monday-digest'`,
    )
    // Monday 09:00 in Seoul is Monday 00:00 UTC.
    await w.run(new Date('2026-05-03T23:59:00Z'))
    expect(await titles('bob', 'monday-digest')).toEqual([])
    await w.run(new Date('2026-05-04T00:00:00Z'))
    await w.run(new Date('2026-05-04T00:30:00Z'))
    expect(await titles('bob', 'monday-digest')).toEqual([
      expect.objectContaining({ title: 'Your week', record_id: null }),
    ])
    expect(await dueOf('schedule:monday-digest')).toEqual([
      { due: '2026-05-11T00:00:00.000Z', fired: false },
    ])
  })
})
