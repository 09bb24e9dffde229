import { describe, expect, it } from 'vitest'
import type { ApprovalStep } from '../../../metadata/flow'
import { flowWith, Run, step } from './core-fixtures'

const finance = [{ role: 'finance' }]

describe('how a step decides', () => {
  it('or-sign: the first approval completes the step', () => {
    const run = new Run(flowWith({ steps: [step('s', finance, { mode: 'any' })] }))
    run.submit()
    expect(run.approve('fin3').state).toBe('approved')
  })

  it('countersign: every approver must approve', () => {
    const run = new Run(flowWith({ steps: [step('s', finance, { mode: 'all' })] }))
    run.submit()
    expect(run.approve('fin1').state).toBeNull()
    expect(run.approve('fin2').state).toBeNull()
    expect(run.approve('fin3').state).toBe('approved')
  })

  it('countersign: one rejection rejects the step', () => {
    const run = new Run(flowWith({ steps: [step('s', finance, { mode: 'all' })] }))
    run.submit()
    run.approve('fin1')
    expect(run.reject('fin2').state).toBe('rejected')
  })

  it('vote: approved once approvals reach the threshold share', () => {
    const run = new Run(flowWith({ steps: [step('s', finance, { mode: 'vote', threshold: 0.6 })] }))
    run.submit()
    expect(run.approve('fin1').state).toBeNull()
    expect(run.approve('fin2').state).toBe('approved')
  })

  it('vote: rejected once the threshold can no longer be reached', () => {
    const run = new Run(flowWith({ steps: [step('s', finance, { mode: 'vote', threshold: 0.6 })] }))
    run.submit()
    expect(run.reject('fin1').state).toBeNull()
    expect(run.reject('fin2').state).toBe('rejected')
  })

  it('in turn: one approver at a time in the order found, the rest waiting', () => {
    const run = new Run(
      flowWith({ steps: [step('s', [{ user: 'fin2' }, { user: 'fin1' }], { mode: 'sequence' })] }),
    )
    run.submit()
    expect(run.pending()).toEqual(['fin2'])
    expect(run.instance!.tasks.map((t) => t.status)).toEqual(['pending', 'waiting'])
    run.approve('fin2')
    expect(run.pending()).toEqual(['fin1'])
    expect(run.approve('fin1').state).toBe('approved')
  })

  it('completion rules over the counts and the record override the mode', () => {
    const rule: ApprovalStep['complete'] = {
      approve: { '>=': [{ var: 'approved' }, { if: [{ '>': [{ var: 'amount' }, 100] }, 2, 1] }] },
    }
    const big = new Run(
      flowWith({ steps: [step('s', finance, { mode: 'all', complete: rule })] }),
      { amount: 500 },
    )
    big.submit()
    expect(big.approve('fin1').state).toBeNull()
    expect(big.approve('fin2').state).toBe('approved')
    const small = new Run(
      flowWith({ steps: [step('s', finance, { mode: 'all', complete: rule })] }),
      { amount: 5 },
    )
    small.submit()
    expect(small.approve('fin1').state).toBe('approved')
  })

  it('a completion reject rule over pending and rejected counts rejects the step', () => {
    const complete = {
      reject: { '>=': [{ var: 'rejected' }, 2] },
      approve: { '==': [{ var: 'pending' }, 0] },
    }
    const run = new Run(flowWith({ steps: [step('s', finance, { mode: 'all', complete })] }))
    run.submit()
    expect(run.reject('fin1').state).toBeNull()
    expect(run.reject('fin2').state).toBe('rejected')
  })
})
