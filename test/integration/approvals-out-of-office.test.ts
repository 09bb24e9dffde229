import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openApprovalsFixture, type ApprovalsFixture } from './approvals-fixture'

const OOO = '/api/me/out-of-office'
const MISSING = '00000000-0000-4000-8000-000000000001'
const DAY = 24 * 3600 * 1000

describe.each(testTargets())('Out-of-office substitutes on $name', (target) => {
  let f: ApprovalsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openApprovalsFixture(target, clock)
  })
  afterAll(() => f?.close())

  const at = (days: number) => new Date(clock.now().getTime() + days * DAY).toISOString()
  const put = (body: unknown) => f.call2('mgr', 'PUT', OOO, OOO, body)
  const refused = async (body: unknown) => {
    const res = await put(body)
    expect(res.problems).toEqual([])
    return [res.status, res.body.error?.details?.[0]?.path]
  }

  it('answers nulls before a substitute is set', async () => {
    const res = await f.call2('mgr', 'GET', OOO, OOO)
    expect([res.status, res.problems]).toEqual([200, []])
    expect(res.body).toEqual({
      substitute: null,
      substituteName: null,
      from: null,
      to: null,
      active: false,
    })
  })

  it('refuses a substitute who is the caller, unknown or disabled, and a range that ends first', async () => {
    const range = { from: at(-1), to: at(5) }
    expect(await refused({ substitute: f.ids.mgr, ...range })).toEqual([422, 'substitute'])
    expect(await refused({ substitute: MISSING, ...range })).toEqual([422, 'substitute'])
    expect(await refused({ substitute: 'bob', ...range })).toEqual([422, 'substitute'])
    expect(await refused({ substitute: f.ids.sub, from: at(5), to: at(1) })).toEqual([422, 'to'])
    expect(await refused({ substitute: f.ids.sub, from: 'soon', to: at(1) })).toEqual([422, 'from'])
  })

  it('sends a task created in the range to the substitute, and to the approver again once cleared', async () => {
    const set = await put({ substitute: f.ids.sub, from: at(-1), to: at(5) })
    expect([set.status, set.problems]).toEqual([200, []])
    expect(set.body).toMatchObject({
      substitute: f.ids.sub,
      substituteName: 'Person sub',
      active: true,
    })
    expect((await f.call2('mgr', 'GET', OOO, OOO)).body.substitute).toBe(f.ids.sub)

    const { id, version } = await f.leave('rep1')
    const [task] = await f.submit('rep1', id, version)
    const theirs = await f.call2('sub', 'GET', '/api/inbox', '/api/inbox?box=pending')
    expect(theirs.body.items.map((i: { taskId: string }) => i.taskId)).toEqual([task])
    const mine = await f.call2('mgr', 'GET', '/api/inbox', '/api/inbox?box=pending')
    expect(mine.body.items).toEqual([])
    const approved = await f.call2(
      'sub',
      'POST',
      '/api/tasks/{id}/{action}',
      `/api/tasks/${task}/approve`,
    )
    expect(approved.status).toBe(200)

    const cleared = await f.call2('mgr', 'DELETE', OOO, OOO)
    expect([cleared.status, cleared.problems]).toEqual([204, []])
    const next = await f.leave('rep2')
    const [again] = await f.submit('rep2', next.id, next.version)
    const back = await f.call2('mgr', 'GET', '/api/inbox', '/api/inbox?box=pending')
    expect(back.body.items.map((i: { taskId: string }) => i.taskId)).toEqual([again])
  })
})
