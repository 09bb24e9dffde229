import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APPROVAL_TIMEOUT_KIND } from '../../runtime/flows'
import { claimDueTimers } from '../../runtime/jobs'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openPointsFixture, type PointsFixture } from './approvals-points-fixture'

// approvals.md, Time: "Timers survive restarts and fire once". A worker claims the approval's
// timeout and dies before running it; a worker started afterwards fires it once, and a freshly
// built API (a restarted process) answers with the outcome.
describe.each(testTargets())('Approval coverage: timers across a restart on $name', (target) => {
  let f: PointsFixture
  // Friday 16:00 UTC: the one-hour timeouts of the points flow fall due at 17:00.
  const clock = movableClock('2026-03-06T16:00:00.000Z')
  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
  })
  afterAll(() => f?.close())

  it('a timeout claimed by a worker that died fires once from the next worker', async () => {
    const id = await f.submitted('autoApprove')
    const [claimed] = await claimDueTimers(f.db, {
      now: new Date('2026-03-06T17:00:00Z'),
      limit: 10,
      owner: 'worker-that-dies',
      leaseMs: 1000,
    })
    expect(claimed).toMatchObject({ kind: APPROVAL_TIMEOUT_KIND })
    // The dead worker's lease still holds: the new worker leaves the timer alone.
    await f.runTimersAt('2026-03-06T17:00:00Z')
    expect([(await f.record(id)).status, await f.holders(id)]).toEqual(['pending', ['lead']])
    await new Promise((r) => setTimeout(r, 1100))
    await f.runTimersAt('2026-03-06T17:00:00Z')
    await f.runTimersAt('2026-03-06T18:00:00Z')

    const restarted = buildApp({
      db: f.db,
      clock,
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(f.db),
    })
    const res = await restarted.request(`/api/data/claim/${id}/approval`, {
      headers: { authorization: `Bearer ${f.adminToken}` },
    })
    expect(res.status).toBe(200)
    const view = (await res.json()) as {
      instance: { status: string }
      steps: { tasks: { status: string; auto?: string }[] }[]
      timeline: { action: string }[]
    }
    expect(view.instance.status).toBe('approved')
    expect(view.steps[0].tasks[0]).toMatchObject({ status: 'approved', auto: 'timeout' })
    expect(view.timeline.filter((h) => h.action === 'approve')).toHaveLength(1)
    expect((await f.record(id)).status).toBe('approved')
  })
})
