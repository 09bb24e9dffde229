import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import {
  claimFlow,
  openPointsFixture,
  SHAPES,
  type PointsFixture,
} from './approvals-points-fixture'

// approvals.md, Record and history: "editing a flow creates a new version; running instances
// finish on the version they started with", with the flow edited through the metadata API.
describe.each(testTargets())('Approval coverage: editing a flow on $name', (target) => {
  let f: PointsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
  })
  afterAll(() => f?.close())

  /** The version of claimFlow the API serves (its metadata cache rereads once a second). */
  const servedVersion = async (wanted: number) => {
    for (let i = 0; i < 50; i++) {
      const res = await f.req('admin', 'GET', '/api/meta/flows/claimFlow')
      if (res.body?.version === wanted) return wanted
      await new Promise((r) => setTimeout(r, 100))
    }
    return (await f.req('admin', 'GET', '/api/meta/flows/claimFlow')).body?.version
  }

  it('an edit saved and applied is version 2; the running approval finishes on version 1', async () => {
    expect(await servedVersion(1)).toBe(1)
    const old = await f.submitted('orsign')
    expect(await f.holders(old)).toEqual(['fin1', 'fin2', 'fin3'])
    // The edit sends or-sign claims to the cfo instead of finance.
    const edited = claimFlow({
      ...SHAPES,
      orsign: {
        ...SHAPES.orsign,
        steps: [{ id: 'fin', label: { en: 'Fin' }, approvers: [{ user: 'cfo' }] }],
      },
    })
    const saved = await f.req('admin', 'PUT', '/api/meta/flows/claimFlow', edited)
    expect([saved.status, saved.body.status]).toEqual([200, 'draft'])
    // A draft changes nothing yet.
    expect(await f.holders(await f.submitted('orsign'))).toEqual(['fin1', 'fin2', 'fin3'])
    expect((await f.req('admin', 'POST', '/api/meta/apply')).status).toBe(200)
    expect(await servedVersion(2)).toBe(2)

    const fresh = await f.submitted('orsign')
    expect(await f.holders(fresh)).toEqual(['cfo'])
    // The old instance keeps its finance tasks and completes on them.
    expect(await f.holders(old)).toEqual(['fin1', 'fin2', 'fin3'])
    await f.decide('fin2', old, 'approve')
    expect((await f.record(old)).status).toBe('approved')
    expect(await f.holders(fresh)).toEqual(['cfo'])
  })
})
