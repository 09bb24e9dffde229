import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openPointsFixture, type PointsFixture } from './approvals-points-fixture'

// approvals.md, Concurrency (the or-sign race through HTTP) and Inbox (the signed link a task
// notice carries, used through HTTP). The race is real on PostgreSQL (8 connections); PGlite
// runs one transaction at a time, where the same answers must come out of its queue.
describe.each(testTargets())('Approval coverage: races and notice links on $name', (target) => {
  let f: PointsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
  })
  afterAll(() => f?.close())

  /** The claim's moves between states, from the events telling them (payload.flow), oldest first. */
  const moves = async (id: string) => {
    const rows = await f.db.query<{ payload: unknown }>(sql`select payload from outbox
      where record_id = ${id}::uuid and payload ? 'flow' order by id`)
    return rows.map((r) => {
      const p = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as {
        from: string
        to: string
      }
      return [p.from, p.to]
    })
  }

  it('or-sign: three approvers acting at the same instant complete the step once', async () => {
    const id = await f.submitted('orsign')
    const signers = ['fin1', 'fin2', 'fin3'] as const
    const tasks = await Promise.all(signers.map((who) => f.taskOf(who, id)))
    const answers = await Promise.all(signers.map((who, i) => f.act(who, tasks[i], 'approve')))
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409])
    for (const late of answers.filter((a) => a.status === 409))
      expect(late.body.error.code).toBe('ALREADY_DECIDED')
    expect((await f.record(id)).status).toBe('approved')
    expect(await f.holders(id, 'approved')).toHaveLength(1)
    expect(await moves(id)).toEqual([
      ['draft', 'pending'],
      ['pending', 'approved'],
    ])
    const approvals = (await f.view(id)).timeline.filter(
      (h: { action: string }) => h.action === 'approve',
    )
    expect(approvals).toHaveLength(1)
  })

  it('or-sign: an approval and a rejection at the same instant decide the step once', async () => {
    const id = await f.submitted('orsign')
    const [t1, t2] = [await f.taskOf('fin1', id), await f.taskOf('fin2', id)]
    const answers = await Promise.all([
      f.act('fin1', t1, 'approve'),
      f.act('fin2', t2, 'reject', { comment: 'no receipt' }),
    ])
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409])
    const won = answers.find((a) => a.status === 200)!.body.status as 'approved' | 'rejected'
    expect((await f.record(id)).status).toBe(won)
    expect(await moves(id)).toEqual([
      ['draft', 'pending'],
      ['pending', won],
    ])
  })

  /** The approve link of the task notice `who` got for the claim, read through HTTP. */
  async function noticeLink(who: 'cfo', id: string): Promise<string> {
    const page = await f.req(who, 'GET', '/api/notifications')
    expect(page.status).toBe(200)
    const notice = page.body.data.find((n: { recordId?: string }) => n.recordId === id)
    const link = /Approve:\s*(\/api\/approval-links\/[A-Za-z0-9_-]+)/.exec(notice?.body ?? '')
    if (!link) throw new Error(`no approve link for ${who}: ${JSON.stringify(page.body.data)}`)
    return link[1]
  }

  it('the approve link of the task notice acts once, without a session', async () => {
    const id = await f.submitted('byUser')
    const link = await noticeLink('cfo', id)
    const shown = await f.call('GET', link)
    expect(shown.status).toBe(200)
    expect(await shown.json()).toMatchObject({ action: 'approve', usable: true })
    const acted = await f.call('POST', link)
    expect([acted.status, ((await acted.json()) as { status: string }).status]).toEqual([
      200,
      'approved',
    ])
    expect((await f.record(id)).status).toBe('approved')
    const again = await f.call('POST', link)
    expect([
      again.status,
      ((await again.json()) as { error: { code: string } }).error.code,
    ]).toEqual([409, 'LINK_USED'])
  })

  it('the approve link of the task notice refuses a record edited since it was sent', async () => {
    const id = await f.submitted('byUser')
    const link = await noticeLink('cfo', id)
    const edited = await f.req('cfo', 'PATCH', `/api/data/claim/${id}`, {
      note: 'edited after the notice',
      version: (await f.record(id)).version,
    })
    expect(edited.status).toBe(200)
    const refused = await f.call('POST', link)
    expect([
      refused.status,
      ((await refused.json()) as { error: { code: string } }).error.code,
    ]).toEqual([409, 'RECORD_CHANGED'])
    expect((await f.record(id)).status).toBe('pending')
  })
})
