import { createSecretKey, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApprovalLink } from '../../runtime/approvals'
import {
  approvalLinkKey,
  readApprovalLink,
  signApprovalLink,
} from '../../runtime/flows/approval-link-tokens'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import { openApprovalsFixture, type ApprovalsFixture } from './approvals-fixture'

const LINK = '/api/approval-links/{token}'
const DAY = 24 * 3600 * 1000

describe.each(testTargets())('Signed approval links on $name', (target) => {
  let f: ApprovalsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openApprovalsFixture(target, clock)
  })
  afterAll(() => f?.close())

  /** A submitted leave request of rep1, its manager task and a link for `action` on it. */
  async function linked(action: 'approve' | 'reject') {
    const { id, version } = await f.leave('rep1', { reason: 'Trip' })
    const [task] = await f.submit('rep1', id, version)
    const { token, expiresAt } = await createApprovalLink(await f.ctxOf(), task, action)
    return { id, task, token, expiresAt }
  }

  it('shows what a link would do without a session, and acts once as the assignee', async () => {
    const { id, task, token, expiresAt } = await linked('approve')
    expect(new Date(expiresAt).getTime() - clock.now().getTime()).toBe(7 * DAY)
    const shown = await f.call2(null, 'GET', LINK, `/api/approval-links/${token}`)
    expect([shown.status, shown.problems]).toEqual([200, []])
    expect(shown.body).toMatchObject({
      action: 'approve',
      usable: true,
      reason: null,
      assignee: { id: f.ids.mgr, name: 'Person mgr' },
      task: { id: task, status: 'pending', stepLabel: 'Manager review' },
      record: { entity: 'leave', id, title: 'Leave of rep1' },
    })
    const acted = await f.call2(null, 'POST', LINK, `/api/approval-links/${token}`)
    expect([acted.status, acted.problems]).toEqual([200, []])
    expect(acted.body).toMatchObject({ action: 'approve', taskId: task, status: 'approved' })
    const reused = await f.call2(null, 'POST', LINK, `/api/approval-links/${token}`)
    expect([reused.status, reused.body.error.code, reused.problems]).toEqual([409, 'LINK_USED', []])
    const after = await f.call2(null, 'GET', LINK, `/api/approval-links/${token}`)
    expect(after.body).toMatchObject({ usable: false, reason: 'used' })
  })

  it('decides once when the same link is clicked five times at once', async () => {
    const { token } = await linked('approve')
    const clicks = await Promise.all(
      Array.from({ length: 5 }, () => f.call2(null, 'POST', LINK, `/api/approval-links/${token}`)),
    )
    const statuses = clicks.map((c) => c.status).sort()
    expect(statuses).toEqual([200, 409, 409, 409, 409])
    expect(clicks.every((c) => c.problems.length === 0)).toBe(true)
  })

  it('refuses a link once the record changed since it was sent', async () => {
    const { id, token } = await linked('approve')
    const current = await f.call2('mgr', 'GET', '/api/data/leave/{id}', `/api/data/leave/${id}`)
    const edit = { reason: 'Trip (changed)', version: current.body.version }
    expect(
      (await f.call2('mgr', 'PATCH', '/api/data/leave/{id}', `/api/data/leave/${id}`, edit)).status,
    ).toBe(200)
    const stale = await f.call2(null, 'POST', LINK, `/api/approval-links/${token}`)
    expect([stale.status, stale.body.error.code, stale.problems]).toEqual([
      409,
      'RECORD_CHANGED',
      [],
    ])
    expect(stale.body.error.message).toMatch(/changed since this link was sent/)
    const shown = await f.call2(null, 'GET', LINK, `/api/approval-links/${token}`)
    expect(shown.body).toMatchObject({ usable: false, reason: 'changed' })
  })

  it('keeps a reject link usable after a refused try without a comment', async () => {
    const { token } = await linked('reject')
    const bare = await f.call2(null, 'POST', LINK, `/api/approval-links/${token}`, {})
    expect([bare.status, bare.body.error.details[0].path, bare.problems]).toEqual([
      422,
      'comment',
      [],
    ])
    const ok = await f.call2(null, 'POST', LINK, `/api/approval-links/${token}`, {
      comment: 'Not now',
    })
    expect([ok.status, ok.body.status]).toEqual([200, 'rejected'])
  })

  it('answers 404 for an unknown token and 409 for an expired link', async () => {
    const unknown = await f.call2(null, 'GET', LINK, `/api/approval-links/${'x'.repeat(43)}`)
    expect([unknown.status, unknown.problems]).toEqual([404, []])
    expect((await f.call2(null, 'POST', LINK, '/api/approval-links/short')).status).toBe(404)
    const { token } = await linked('approve')
    // A token is checked by its signature: one changed character, or the same claims signed
    // with another key, name no link.
    const bytes = Buffer.from(token, 'base64url')
    bytes[5] ^= 1
    const tampered = await f.call2(
      null,
      'GET',
      LINK,
      `/api/approval-links/${bytes.toString('base64url')}`,
    )
    expect([tampered.status, tampered.problems]).toEqual([404, []])
    const claims = readApprovalLink(await approvalLinkKey({ db: f.db }), token)
    expect(claims).toMatchObject({ action: 'approve', userId: f.ids.mgr })
    const foreign = signApprovalLink(createSecretKey(randomBytes(32)), claims!)
    expect((await f.call2(null, 'POST', LINK, `/api/approval-links/${foreign}`)).status).toBe(404)
    clock.advance(7 * DAY + 1000)
    const late = await f.call2(null, 'POST', LINK, `/api/approval-links/${token}`)
    expect([late.status, late.body.error.code, late.problems]).toEqual([409, 'LINK_EXPIRED', []])
  })
})
