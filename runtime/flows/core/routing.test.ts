import { describe, expect, it } from 'vitest'
import { flowWith, Run, step } from './core-fixtures'

describe('routing an approval', () => {
  it('goes straight through when the entry criteria do not hold, and starts when they do', () => {
    const flow = flowWith({
      when: { '>': [{ var: 'discount' }, 20] },
      steps: [step('boss', [{ manager: 1 }])],
    })
    expect(new Run(flow, { discount: 10 }).submit()).toMatchObject({
      state: 'approved',
      instance: null,
    })
    const run = new Run(flow, { discount: 25 })
    expect(run.submit().state).toBe('pending')
    expect(run.pending()).toEqual(['mgr'])
  })

  it('reads the entry criteria after the inputs given when firing', () => {
    const flow = flowWith(
      { when: { '>': [{ var: 'amount' }, 100] }, steps: [step('boss', [{ manager: 1 }])] },
      { inputs: ['amount'] },
    )
    expect(new Run(flow, { amount: 1 }).submit('emp', { inputs: { amount: 500 } }).state).toBe(
      'pending',
    )
  })

  it('runs sequential steps one after another and skips a step whose condition fails', () => {
    const flow = flowWith({
      steps: [
        step('manager', [{ manager: 1 }]),
        step('hr', [{ role: 'hr' }], { when: { '>': [{ var: 'days' }, 3] } }),
        step('director', [{ manager: 2 }], { when: { '>': [{ var: 'days' }, 5] } }),
      ],
    })
    const run = new Run(flow, { days: 4 })
    run.submit()
    expect(run.pending()).toEqual(['mgr'])
    run.approve('mgr')
    expect(run.pending()).toEqual(['hr'])
    expect(run.approve('hr').state).toBe('approved')
    expect(run.instance!.completed).toEqual(['manager', 'hr'])
    expect(run.instance!.history).toContainEqual(
      expect.objectContaining({ action: 'skip', step: 'director' }),
    )
  })

  it('takes the first conditional branch whose condition holds', () => {
    const flow = flowWith({
      steps: [
        {
          id: 'route',
          branches: [
            {
              id: 'big',
              when: { '>': [{ var: 'amount' }, 1000] },
              steps: [step('ceo', [{ user: 'ceo' }])],
            },
            {
              id: 'mid',
              when: { '>': [{ var: 'amount' }, 100] },
              steps: [step('dir', [{ user: 'dir' }])],
            },
            { id: 'rest', steps: [step('mgr', [{ user: 'mgr' }])] },
          ],
        },
        step('finance', [{ user: 'fin1' }]),
      ],
    })
    const big = new Run(flow, { amount: 5000 })
    big.submit()
    expect(big.pending()).toEqual(['ceo'])
    const mid = new Run(flow, { amount: 500 })
    mid.submit()
    expect(mid.pending()).toEqual(['dir'])
    mid.approve('dir')
    expect(mid.pending()).toEqual(['fin1'])
    const small = new Run(flow, { amount: 5 })
    small.submit()
    expect(small.pending()).toEqual(['mgr'])
  })

  it('runs parallel branches at once and joins them before the next step', () => {
    const flow = flowWith({
      steps: [
        {
          id: 'checks',
          parallel: [
            {
              id: 'money',
              steps: [step('fin', [{ user: 'fin1' }]), step('fin-lead', [{ user: 'fin2' }])],
            },
            { id: 'people', steps: [step('hr', [{ user: 'hr' }])] },
          ],
        },
        step('final', [{ user: 'ceo' }]),
      ],
    })
    const run = new Run(flow)
    run.submit()
    expect(run.pending()).toEqual(['fin1', 'hr'])
    run.approve('hr')
    expect(run.pending()).toEqual(['fin1'])
    run.approve('fin1')
    expect(run.pending()).toEqual(['fin2'])
    run.approve('fin2')
    expect(run.pending()).toEqual(['ceo'])
    expect(run.approve('ceo').state).toBe('approved')
  })

  it('rejects the whole approval when one parallel branch rejects, cancelling the other', () => {
    const flow = flowWith({
      steps: [
        {
          id: 'p',
          parallel: [
            { id: 'a', steps: [step('fin', [{ user: 'fin1' }])] },
            { id: 'b', steps: [step('hr', [{ user: 'hr' }])] },
          ],
        },
      ],
    })
    const run = new Run(flow)
    run.submit()
    expect(run.reject('hr').state).toBe('rejected')
    expect(run.instance!.tasks.find((t) => t.assignee === 'fin1')!.status).toBe('cancelled')
  })

  it('finishes at once when every step is skipped', () => {
    const flow = flowWith({ steps: [step('never', [{ user: 'mgr' }], { when: false })] })
    const run = new Run(flow)
    const result = run.submit()
    expect(result.state).toBe('approved')
    expect(run.instance!.status).toBe('approved')
    expect(
      result.effects.filter((e) => e.type === 'emit').map((e) => 'action' in e && e.action),
    ).toEqual(['submit', 'approve'])
  })
})
