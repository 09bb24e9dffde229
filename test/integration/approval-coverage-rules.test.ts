import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Approval } from '../../metadata/flow'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'
import {
  claimFlow,
  openPointsFixture,
  pathsOf,
  SHAPES,
  type PointsFixture,
} from './approvals-points-fixture'

const fin = [{ role: 'finance' }]
const step = (id: string, extra: object): Approval['steps'][number] => ({
  id,
  label: { en: id },
  approvers: fin,
  ...extra,
})
const approval = (steps: Approval['steps']): Approval => ({
  pending: 'pending',
  rejected: 'rejected',
  steps,
})

const isApproval = { '==': [{ var: 'action' }, 'approve'] }
/** Approvals in the step's history whose actor holds `role`. */
const approvalsByRole = (role: string) => ({
  length: [
    { filter: [{ var: 'history' }, { and: [isApproval, { in: [role, { var: 'byRoles' }] }] }] },
  ],
})

/*
 * Shapes the points suites leave out: completion rules written as data over the counts, the
 * record and the history, and a manager chain that runs to the top of the organisation.
 */
const RULES: Record<string, Approval> = {
  // Two approvals of the three finance signers suffice; two rejections (not one) reject.
  byCounts: approval([
    step('counted', {
      mode: 'all',
      complete: {
        approve: { '>=': [{ var: 'approved' }, { '-': [{ var: 'total' }, 1] }] },
        reject: { '>': [{ var: 'rejected' }, { var: 'pending' }] },
      },
    }),
  ]),
  // A small claim needs one approval, a large one every signer: the record is in the data too.
  byAmount: approval([
    step('sized', {
      mode: 'all',
      complete: {
        approve: {
          '>=': [{ var: 'approved' }, { if: [{ '>': [{ var: 'amount' }, 1000] }, 3, 1] }],
        },
      },
    }),
  ]),
  // Countersign, yet the first approval in the step's history completes it.
  byHistory: approval([
    step('finance', {
      mode: 'all',
      complete: { approve: { some: [{ var: 'history' }, isApproval] } },
    }),
  ]),
  // Two approvals by the finance role, or the cfo's by name, whoever comes first.
  byWhoApproved: approval([
    step('finance', {
      approvers: [...fin, { user: 'cfo' }],
      mode: 'all',
      complete: {
        approve: {
          or: [
            { '>=': [approvalsByRole('finance'), 2] },
            {
              some: [
                { var: 'history' },
                { and: [isApproval, { '==': [{ var: 'byUsername' }, 'cfo'] }] },
              ],
            },
          ],
        },
      },
    }),
  ]),
  chainTop: approval([{ id: 's', label: { en: 's' }, approvers: [{ managerChain: {} }] }]),
}

// approvals.md, How a step decides (completion rules are data) and Who approves (the chain of
// managers to the top), through HTTP.
describe.each(testTargets())('Approval coverage: rules as data on $name', (target) => {
  let f: PointsFixture
  const clock = movableClock('2026-03-02T09:00:00.000Z')
  beforeAll(async () => {
    f = await openPointsFixture(target, clock)
    await f.republish({ ...SHAPES, ...RULES })
  })
  afterAll(() => f?.close())

  it('a completion rule over approved and total approves a step before every signer acted', async () => {
    const id = await f.submitted('byCounts')
    await f.decide('fin1', id, 'approve')
    expect([(await f.record(id)).status, await f.holders(id)]).toEqual([
      'pending',
      ['fin2', 'fin3'],
    ])
    const res = await f.decide('fin3', id, 'approve')
    expect(res.body.approval.status).toBe('approved')
    expect((await f.record(id)).status).toBe('approved')
    // fin2's task closed with the step: nothing left in their inbox.
    expect((await f.inbox('fin2')).map((i) => i.recordId)).not.toContain(id)
  })

  it('a completion rule over rejected and pending overrides countersign’s one-rejection rule', async () => {
    const id = await f.submitted('byCounts')
    await f.decide('fin1', id, 'reject', { comment: 'not this one' })
    // 1 rejected, 2 pending: countersign alone would have rejected here.
    expect([(await f.record(id)).status, await f.holders(id)]).toEqual([
      'pending',
      ['fin2', 'fin3'],
    ])
    await f.decide('fin2', id, 'reject', { comment: 'nor for me' })
    expect((await f.record(id)).status).toBe('rejected')
    expect((await f.view(id)).instance.status).toBe('rejected')
  })

  it('a completion rule reads the record: one approval for a small claim, all three for a large one', async () => {
    const small = await f.submitted('byAmount', 'rep1', { amount: 400 })
    await f.decide('fin2', small, 'approve')
    expect((await f.record(small)).status).toBe('approved')
    const large = await f.submitted('byAmount', 'rep1', { amount: 4000 })
    await f.decide('fin2', large, 'approve')
    await f.decide('fin1', large, 'approve')
    expect([(await f.record(large)).status, await f.holders(large)]).toEqual(['pending', ['fin3']])
    await f.decide('fin3', large, 'approve')
    expect((await f.record(large)).status).toBe('approved')
  })

  it('a completion rule over the history: the first approval completes a countersign step', async () => {
    const id = await f.submitted('byHistory')
    expect(await f.holders(id)).toEqual(['fin1', 'fin2', 'fin3'])
    const res = await f.act('fin1', await f.taskOf('fin1', id), 'approve', {})
    expect([res.status, res.body.approval.status]).toEqual([200, 'approved'])
    expect((await f.record(id)).status).toBe('approved')
    expect(await f.holders(id)).toEqual([])
  })

  it('a completion rule counts approvals in the history by role and by user', async () => {
    const byRole = await f.submitted('byWhoApproved')
    expect(await f.holders(byRole)).toEqual(['cfo', 'fin1', 'fin2', 'fin3'])
    await f.decide('fin1', byRole, 'approve')
    expect((await f.record(byRole)).status).toBe('pending')
    await f.decide('fin3', byRole, 'approve')
    expect((await f.record(byRole)).status).toBe('approved')
    expect((await f.inbox('cfo')).map((i) => i.recordId)).not.toContain(byRole)

    const byUser = await f.submitted('byWhoApproved')
    await f.decide('fin2', byUser, 'approve')
    expect((await f.record(byUser)).status).toBe('pending')
    await f.decide('cfo', byUser, 'approve')
    expect((await f.record(byUser)).status).toBe('approved')
  })

  it('a flow whose completion rule reads an unknown name is refused on apply, naming the rule', async () => {
    const typo = step('finance', {
      mode: 'all',
      complete: { approve: { some: [{ var: 'histroy' }, isApproval] } },
    })
    const put = (shapes: Record<string, Approval>) =>
      f.req('admin', 'PUT', '/api/meta/flows/claimFlow', claimFlow({ ...SHAPES, ...shapes }))
    // The draft passes the flow's own checks; its references (names rules read) on apply.
    expect((await put({ ...RULES, byHistory: approval([typo]) })).status).toBe(200)
    const res = await f.req('admin', 'POST', '/api/meta/apply')
    expect(res.status).toBe(400)
    const issue = res.body.error.details.find((d: { path: string }) =>
      d.path.endsWith('.complete.approve'),
    )
    expect(issue?.path).toMatch(/^flows\[claimFlow\]\.transitions\[\d+\]\.approval\.steps\[0\]/)
    expect(issue?.message).toContain("no field 'histroy' in entity 'claim'")
    expect(pathsOf(res)).toHaveLength(1)
    // The draft goes back to what is published; the published flow never changed.
    expect((await put(RULES)).status).toBe(200)
    const id = await f.submitted('byHistory')
    await f.decide('fin2', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
  })

  it('the chain of managers to the top: every manager above the submitter, in turn', async () => {
    expect(await f.holders(await f.submitted('chainTop', 'rep1'))).toEqual(['lead'])
    // From finance: cfo, then the ceo at the top, where a chain up to exec stops at the cfo.
    const id = await f.submitted('chainTop', 'fin1')
    expect([await f.holders(id), await f.holders(id, 'waiting')]).toEqual([['cfo'], ['ceo']])
    const toRole = await f.submitted('chainRole', 'fin1')
    expect([await f.holders(toRole), await f.holders(toRole, 'waiting')]).toEqual([['cfo'], []])
    await f.decide('cfo', id, 'approve')
    expect([await f.holders(id), (await f.record(id)).status]).toEqual([['ceo'], 'pending'])
    await f.decide('ceo', id, 'approve')
    expect((await f.record(id)).status).toBe('approved')
  })
})
