import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import { fixedClock } from '../../runtime/clock'
import { silentLogger } from '../../runtime/context'
import { createRecord, updateRecord } from '../../runtime/records'
import { publishMetadata } from '../../runtime/registry'
import { notificationsOf, openAlertWorld, type AlertWorld } from './alerts-fixture'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en })

const closeSoon: Alert = {
  id: 'close-soon',
  label: label('Closes soon'),
  entity: 'deal',
  trigger: { type: 'dateOffset', field: 'closeDate', offset: { days: -3 } },
  recipients: [{ type: 'owner' }],
  channels: [{ type: 'inApp' }],
  template: { en: { title: '{{record.title}} closes soon', body: 'Three days left.' } },
}

const published = new Date('2026-03-02T00:00:00Z')

/** Deals closing on 2026-04-01 … 2026-04-25 (day = n + 1), every fifth without a date. */
const DEALS = 25
const closeDateOf = (n: number) =>
  n % 5 === 4 ? null : `2026-04-${String(n + 1).padStart(2, '0')}`

describe.each(testTargets())(
  'publishing a date alert plans existing records on $name',
  (target) => {
    let w: AlertWorld
    let close: () => Promise<void>
    const ids: string[] = []

    const publishAlerts = async (alerts: Alert[]) =>
      publishMetadata(
        { db: w.db, user: null, clock: fixedClock(published), log: silentLogger },
        (b) => ({ ...b, alerts }),
      )
    const alertTimers = () =>
      w.db.query<{ key: string; due_at: string | Date }>(
        sql`select key, due_at from timers where kind = 'alert' order by key`,
      )
    const dueOf = (timers: { key: string; due_at: string | Date }[], id: string) =>
      timers
        .filter((t) => t.key.endsWith(`:${id}`))
        .map((t) => `${t.key.split(':')[0]} ${new Date(t.due_at).toISOString()}`)

    beforeAll(async () => {
      const opened = await target.open()
      close = opened.close
      w = await openAlertWorld(opened.db, [])
      // Small chunks: 25 deals take three firings of the plan timer.
      w.deps.planBatch = 10
      const ctx = await w.ctx(published)
      for (let n = 0; n < DEALS; n++) {
        const { record } = await createRecord(ctx, 'deal', {
          title: `Deal ${n}`,
          owner: w.users.alice.id,
          closeDate: closeDateOf(n),
        })
        ids.push(String(record.id))
      }
      await w.run(published)
    })
    afterAll(() => close?.())

    it('gives every existing deal with a date its timer, in chunks after the publish', async () => {
      await publishAlerts([closeSoon])
      expect(await alertTimers()).toEqual([])
      await w.run(published)
      const timers = await alertTimers()
      expect(timers).toHaveLength(20)
      expect(dueOf(timers, ids[0])).toEqual(['close-soon 2026-03-29T09:00:00.000Z'])
      expect(dueOf(timers, ids[4])).toEqual([])
      expect(dueOf(timers, ids[24])).toEqual([])
      expect(dueOf(timers, ids[23])).toEqual(['close-soon 2026-04-21T09:00:00.000Z'])
      const [plan] = await w.db.query<{ fired_at: unknown; payload: { after: string } }>(
        sql`select fired_at, payload from timers where kind = 'alert-plan'`,
      )
      expect(plan.fired_at).not.toBeNull()
      // The last chunk ended after the 20th id of 25: three chunks, the last one short.
      expect(plan.payload.after).toBe([...ids].sort()[19])
    })

    it('plans a record once however often the plan runs, and fires for a deal created before the alert', async () => {
      await w.db.query(
        sql`update timers set fired_at = null, due_at = due_at - interval '1 millisecond',
        payload = jsonb_set(payload, '{after}', 'null') where kind = 'alert-plan'`,
      )
      await w.run(published)
      expect(await alertTimers()).toHaveLength(20)
      await w.run(new Date('2026-03-29T09:00:00Z'))
      const mine = await notificationsOf(w.db, w.users.alice.id)
      expect(mine).toEqual([
        expect.objectContaining({ title: 'Deal 0 closes soon', record_id: ids[0] }),
      ])
    })

    it('moves the timers when the offset changes and leaves none once the alert is switched off or removed', async () => {
      const at = new Date('2026-03-30T00:00:00Z')
      const plan = (alerts: Alert[]) =>
        publishMetadata(
          { db: w.db, user: null, clock: fixedClock(at), log: silentLogger },
          (b) => ({ ...b, alerts }),
        )
      await plan([
        { ...closeSoon, trigger: { ...closeSoon.trigger, offset: { days: -1 } } } as Alert,
      ])
      await w.run(at)
      const moved = await alertTimers()
      // Deal 0 (1 April) is due on 31 March now; deal 1 on 1 April.
      expect(dueOf(moved, ids[0])).toEqual(['close-soon 2026-03-31T09:00:00.000Z'])
      expect(dueOf(moved, ids[1])).toEqual(['close-soon 2026-04-01T09:00:00.000Z'])
      expect(moved).toHaveLength(20)
      await plan([{ ...closeSoon, enabled: false }])
      await w.run(at)
      expect(await alertTimers()).toEqual([])
      await plan([closeSoon])
      await w.run(at)
      expect((await alertTimers()).length).toBeGreaterThan(0)
      await plan([])
      await w.run(at)
      expect(await alertTimers()).toEqual([])
    })
  },
)

const stamp: Alert = {
  id: 'stamp',
  label: label('Stamp'),
  entity: 'deal',
  trigger: { type: 'updated' },
  recipients: [{ type: 'owner' }],
  channels: [{ type: 'inApp' }],
  template: { en: { title: '{{record.title}} stamped', body: 'Stage {{record.stage}}.' } },
  actions: [{ type: 'setField', field: 'stage', value: { cat: [{ var: 'record.stage' }, '+s'] } }],
}

const echo: Alert = {
  ...stamp,
  id: 'echo',
  template: { en: { title: 'echo', body: 'echo' } },
  actions: [
    { type: 'setField', field: 'margin', value: { cat: [{ var: 'record.margin' }, '+e'] } },
  ],
}

describe.each(testTargets())('alert actions do not set themselves off on $name', (target) => {
  let w: AlertWorld
  let close: () => Promise<void>
  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    w = await openAlertWorld(opened.db, [stamp])
  })
  afterAll(() => close?.())

  const dealRow = async (id: string) => {
    const [row] = await w.db.query<{ stage: string; margin: string; version: number }>(
      sql`select stage, margin, version from app.deal where id = ${id}::uuid`,
    )
    return row
  }
  const pending = async () => {
    const [row] = await w.db.query<{ n: number }>(
      sql`select count(*)::int as n from outbox where delivered_at is null`,
    )
    return row.n
  }

  it('fires an alert that updates the record it fired on once, and marks its write as its own', async () => {
    const at = new Date('2026-03-02T02:00:00Z')
    const ctx = await w.ctx(at)
    const { record } = await createRecord(ctx, 'deal', {
      title: 'Loop',
      owner: w.users.alice.id,
      stage: 'new',
    })
    const id = String(record.id)
    await updateRecord(ctx, 'deal', id, { stage: 'won' }, 1)
    await w.run(at)
    await w.run(at)
    expect(await dealRow(id)).toMatchObject({ stage: 'won+s', version: 3 })
    const mine = await notificationsOf(w.db, w.users.alice.id)
    expect(mine.filter((n) => n.alert === 'stamp')).toHaveLength(1)
    const audit = await w.db.query<{ version: number; request_id: string | null }>(
      sql`select version, request_id from audit_log where record_id = ${id}::uuid order by version`,
    )
    expect(audit.map((a) => a.request_id)).toEqual([null, null, 'alert:stamp'])
    expect(await pending()).toBe(0)
  })

  it('stops two alerts that set each other off after a few writes', async () => {
    const at = new Date('2026-03-03T02:00:00Z')
    await publishMetadata(
      { db: w.db, user: null, clock: fixedClock(at), log: silentLogger },
      (b) => ({ ...b, alerts: [stamp, echo] }),
    )
    const ctx = await w.ctx(at)
    const { record } = await createRecord(ctx, 'deal', {
      title: 'Ping',
      owner: w.users.alice.id,
      stage: 's',
      margin: 'm',
    })
    const id = String(record.id)
    await updateRecord(ctx, 'deal', id, { open: true }, 1)
    const run = await w.run(at)
    expect(run.events).toBeLessThan(20)
    const row = await dealRow(id)
    expect(row.stage).toMatch(/^s(\+s)+$/)
    expect(row.margin).toMatch(/^m(\+e)+$/)
    // The human write plus at most two writes of each alert: each skips chains holding itself.
    expect(row.version).toBeLessThanOrEqual(6)
    await w.run(at)
    expect((await dealRow(id)).version).toBe(row.version)
    expect(await pending()).toBe(0)
  })
})
