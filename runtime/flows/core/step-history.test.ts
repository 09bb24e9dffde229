import { describe, expect, it } from 'vitest'
import type { ApprovalStep, ApproverSource } from '../../../metadata/flow'
import type { Rule } from '../../../metadata/rule'
import { flowWith, org, Run, step } from './core-fixtures'
import { stepHistory } from './step-history'

const finance: ApproverSource[] = [{ role: 'finance' }]
const isApproval: Rule = { '==': [{ var: 'action' }, 'approve'] }
const anyApproval: Rule = { some: [{ var: 'history' }, isApproval] }
/** How many approvals in the history by holders of `role`. */
const approvalsByRole = (role: string): Rule => ({
  length: [
    { filter: [{ var: 'history' }, { and: [isApproval, { in: [role, { var: 'byRoles' }] }] }] },
  ],
})
const countersign = (complete: ApprovalStep['complete'], approvers = finance) =>
  flowWith({ steps: [step('fin', approvers, { mode: 'all', complete })] })

describe('history in completion rules', () => {
  it('a rule over history approves a countersign step at the first approval', () => {
    const run = new Run(countersign({ approve: anyApproval }))
    run.submit()
    expect(run.pending()).toEqual(['fin1', 'fin2', 'fin3'])
    expect(run.approve('fin1').state).toBe('approved')
    expect(run.instance!.status).toBe('approved')
  })

  it('sees only the current step: an earlier step’s approval does not settle the next one', () => {
    const run = new Run(
      flowWith({
        steps: [
          step('lead', [{ user: 'mgr' }]),
          step('fin', finance, { mode: 'all', complete: { approve: anyApproval } }),
        ],
      }),
    )
    run.submit()
    expect(run.approve('mgr').state).toBeNull()
    expect(run.pending()).toEqual(['fin1', 'fin2', 'fin3'])
    expect(run.approve('fin2').state).toBe('approved')
  })

  it('sees only the current round: approvals before a rejection and resubmit do not count', () => {
    const twoApprovals: Rule = { '>=': [approvalsByRole('finance'), 2] }
    const run = new Run(
      countersign({ approve: twoApprovals, reject: { '>=': [{ var: 'rejected' }, 1] } }),
    )
    run.submit()
    run.approve('fin1')
    expect(run.reject('fin2').state).toBe('rejected')
    run.act('emp', { type: 'resubmit' })
    expect(run.approve('fin3').state).toBeNull()
    expect(run.approve('fin1').state).toBe('approved')
  })

  it('counts approvals by role and by user: finance twice and the CEO by name', () => {
    const rule: Rule = {
      and: [
        { '>=': [approvalsByRole('finance'), 2] },
        {
          some: [
            { var: 'history' },
            { and: [isApproval, { '==': [{ var: 'byUsername' }, 'ceo'] }] },
          ],
        },
      ],
    }
    const run = new Run(countersign({ approve: rule }, [...finance, { user: 'ceo' }]))
    run.submit()
    expect(run.approve('ceo').state).toBeNull()
    expect(run.approve('fin3').state).toBeNull()
    expect(run.approve('fin1').state).toBe('approved')
    expect(run.instance!.tasks.find((t) => t.assignee === 'fin2')!.status).toBe('cancelled')
  })

  it('leaves out an approval its approver withdrew', () => {
    const run = new Run(countersign({ approve: { '>=': [approvalsByRole('finance'), 2] } }))
    run.submit()
    const first = run.taskOf('fin1')
    run.approve('fin1')
    run.act('fin1', { type: 'withdraw', task: first })
    // fin1's approval, then its withdraw, then fin2's: one approval stands.
    expect(run.approve('fin2').state).toBeNull()
    expect(run.approve('fin1').state).toBe('approved')
  })

  it('gives each line action, at, step, by, byUsername, byRoles, onBehalfOf and comment', () => {
    const run = new Run(countersign({ approve: { '==': [{ var: 'approved' }, 3] } }))
    run.submit()
    run.act('fin1', { type: 'delegate', task: run.taskOf('fin1'), to: 'hr' })
    run.now = '2025-03-03T10:00:00Z'
    run.approve('hr', 'fine for fin1')
    const inst = run.instance!
    expect(stepHistory(inst.tasks, inst.history, org)).toEqual([
      {
        action: 'delegate',
        at: '2025-03-03T09:00:00.000Z',
        step: 'fin',
        by: 'fin1',
        byUsername: 'fin1',
        byRoles: ['finance'],
        onBehalfOf: null,
        comment: null,
      },
      {
        action: 'approve',
        at: '2025-03-03T10:00:00.000Z',
        step: 'fin',
        by: 'hr',
        byUsername: 'hr',
        byRoles: ['hr'],
        onBehalfOf: 'fin1',
        comment: 'fine for fin1',
      },
    ])
    // The submit line belongs to no task of the step: it is left out.
    expect(inst.history.map((h) => h.action)).toEqual(['submit', 'delegate', 'approve'])
  })
})
