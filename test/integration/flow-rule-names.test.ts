import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Flow } from '../../metadata/flow'
import { testTargets } from '../support/databases'
import { claimFlow, openPointsFixture, type PointsFixture } from './approvals-points-fixture'
import { movableClock } from './sharing-fixture'

/** The claim flow with the guard of its `fast` transition (exec only) replaced, and its index. */
function withFastGuard(guard: Flow['transitions'][number]['guard']): [Flow, number] {
  const flow = claimFlow()
  const fast = flow.transitions.findIndex((t) => t.id === 'fast')
  flow.transitions[fast]!.guard = guard
  return [flow, fast]
}

// docs/flows.md, The names a rule reads: applying refuses a rule that reads a name nothing gives.
describe.each(testTargets())('Flow rule names on apply on $name', (target) => {
  let f: PointsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')

  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
  })
  afterAll(() => f?.close())

  it('refuses a flow whose guard reads an unknown name, naming the guard; the published one stays', async () => {
    const [typo, fast] = withFastGuard({ '>': [{ var: 'amout' }, 0] })
    const put = (flow: Flow) => f.req('admin', 'PUT', '/api/meta/flows/claimFlow', flow)
    expect((await put(typo)).status).toBe(200)
    const res = await f.req('admin', 'POST', '/api/meta/apply')
    expect(res.status).toBe(400)
    expect(res.body.error.details).toEqual([
      {
        path: `flows[claimFlow].transitions[${fast}].guard`,
        message: "no field 'amout' in entity 'claim' (conditions also see $user)",
      },
    ])
    // The draft goes back to what is published: the exec-only guard still holds for the ceo.
    expect((await put(claimFlow())).status).toBe(200)
    const { id } = await f.claim('rep1', { amount: 100 })
    expect((await f.fire('ceo', id, 'fast')).status).toBe(200)
    expect((await f.record(id)).status).toBe('approved')
  })
})
