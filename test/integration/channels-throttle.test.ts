import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shouldSend } from '../../runtime/alerts/channels'
import type { Db } from '../../runtime/db'
import { ValidationError } from '../../runtime/errors'
import { testTargets } from '../support/databases'

describe.each(testTargets())('shouldSend (throttle per recipient) on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  beforeAll(async () => {
    ;({ db, close } = await target.open())
  })
  afterAll(() => close?.())

  const base = {
    channel: 'email',
    recipient: 'rep@example.com',
    alert: 'quote-expiring',
    windowMinutes: 60,
  }
  const at = (iso: string) => new Date(iso)

  it('lets the first message of a window through and holds back the rest of that window', async () => {
    const answers = []
    for (const time of [
      '2025-03-01T09:00:00Z',
      '2025-03-01T09:20:00Z',
      '2025-03-01T09:59:59Z',
      '2025-03-01T10:00:00Z',
    ]) {
      answers.push(await shouldSend(db, { ...base, now: at(time) }))
    }
    expect(answers).toEqual([true, false, false, true])
    const rows = await db.query<{ key: string; job: string }>(
      sql`select key, job from job_effects where key like 'throttle:quote-expiring:email:%' order by key`,
    )
    expect(rows).toEqual([
      {
        key: 'throttle:quote-expiring:email:rep@example.com:2025-03-01T09:00:00.000Z',
        job: 'throttle',
      },
      {
        key: 'throttle:quote-expiring:email:rep@example.com:2025-03-01T10:00:00.000Z',
        job: 'throttle',
      },
    ])
  })

  it('counts each recipient, channel and alert apart', async () => {
    const now = at('2025-04-01T08:00:00Z')
    const answers = await Promise.all([
      shouldSend(db, { ...base, now }),
      shouldSend(db, { ...base, recipient: 'boss@example.com', now }),
      shouldSend(db, { ...base, channel: 'sms', now }),
      shouldSend(db, { ...base, alert: 'order-created', now }),
    ])
    expect(answers).toEqual([true, true, true, true])
    expect(await shouldSend(db, { ...base, recipient: 'boss@example.com', now })).toBe(false)
  })

  it('lets one of many simultaneous deliveries through', async () => {
    const now = at('2025-05-01T12:34:00Z')
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        shouldSend(db, { ...base, recipient: 'race@example.com', now }),
      ),
    )
    expect(answers.filter(Boolean)).toHaveLength(1)
  })

  it('does not throttle with a window of zero, and stores nothing', async () => {
    const now = at('2025-06-01T00:00:00Z')
    const key = 'nolimit@example.com'
    expect(await shouldSend(db, { ...base, recipient: key, windowMinutes: 0, now })).toBe(true)
    expect(await shouldSend(db, { ...base, recipient: key, windowMinutes: 0, now })).toBe(true)
    const rows = await db.query(sql`select 1 from job_effects where key like ${`%${key}%`}`)
    expect(rows).toHaveLength(0)
  })

  it('uses day windows from midnight UTC', async () => {
    const daily = { ...base, recipient: 'daily@example.com', windowMinutes: 1440 }
    expect(await shouldSend(db, { ...daily, now: at('2025-07-01T23:59:00Z') })).toBe(true)
    expect(await shouldSend(db, { ...daily, now: at('2025-07-01T00:00:00Z') })).toBe(false)
    expect(await shouldSend(db, { ...daily, now: at('2025-07-02T00:00:00Z') })).toBe(true)
  })

  it('refuses a missing recipient or a window that is not a number, naming it', async () => {
    const now = at('2025-08-01T00:00:00Z')
    await expect(shouldSend(db, { ...base, recipient: '', now })).rejects.toThrow(ValidationError)
    await expect(shouldSend(db, { ...base, windowMinutes: Number.NaN, now })).rejects.toMatchObject(
      {
        details: [{ path: 'windowMinutes' }],
      },
    )
  })
})
