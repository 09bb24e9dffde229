import { describe, expect, it } from 'vitest'
import type { Flow } from '../../../metadata/flow'
import { ctxFor, flowWith, Run, step } from './core-fixtures'
import { transitionOptions } from './options'
import { recordLock } from './record-lock'

describe('transition options', () => {
  const flow = flowWith(
    { when: { '>': [{ var: 'amount' }, 10] }, steps: [step('s', [{ user: 'mgr' }])] },
    { guard: { '!': [{ var: 'blocked' }] }, requires: ['reason'] },
  )

  it('offers a transition leaving the state whose guard holds, saying whether it starts an approval', () => {
    const [submit, close] = transitionOptions(
      flow,
      null,
      ctxFor('emp', { status: 'draft', amount: 50 }),
    )
    expect(submit).toEqual({
      id: 'submit',
      available: true,
      requires: ['reason'],
      inputs: [],
      comment: 'optional',
      approval: true,
    })
    expect(close).toMatchObject({ id: 'close', available: false, reason: 'state' })
  })

  it('says why a transition is not offered: guard, pending approval, final state', () => {
    expect(
      transitionOptions(flow, null, ctxFor('emp', { status: 'draft', blocked: true }))[0],
    ).toMatchObject({ available: false, reason: 'guard', approval: false })
    const run = new Run(flow, { amount: 50, reason: 'r' })
    run.submit()
    const pendingFlow: Flow = {
      ...flow,
      transitions: [
        ...flow.transitions,
        { id: 'force', label: { en: 'F' }, from: ['pending'], to: 'approved' },
      ],
    }
    expect(
      transitionOptions(pendingFlow, run.instance, ctxFor('emp', run.record))[2],
    ).toMatchObject({ available: false, reason: 'pending' })
    const finalFlow: Flow = {
      ...flow,
      states: flow.states.map((s) => (s.id === 'draft' ? { ...s, final: true } : s)),
    }
    expect(transitionOptions(finalFlow, null, ctxFor('emp', { status: 'draft' }))[0]).toMatchObject(
      { reason: 'final' },
    )
  })
})

describe('record lock', () => {
  const locked = (by?: 'approver'): Flow => {
    const flow = flowWith({ steps: [step('s', [{ user: 'mgr' }])] })
    flow.states = flow.states.map((s) =>
      s.id === 'pending' ? { ...s, lock: { editable: ['discount', 'status'], by } } : s,
    )
    return flow
  }

  it('leaves a state without a lock editable as roles allow', () => {
    expect(recordLock(locked(), { status: 'draft' }, null, 'emp')).toEqual({
      locked: false,
      editable: null,
    })
  })

  it('keeps only the listed fields editable while pending, never the state field', () => {
    expect(recordLock(locked(), { status: 'pending' }, null, 'emp')).toEqual({
      locked: true,
      editable: ['discount'],
    })
  })

  it('keeps them editable only by a current approver when the lock says approver', () => {
    const run = new Run(locked('approver'))
    run.submit()
    expect(recordLock(run.flow, run.record, run.instance, 'mgr')).toEqual({
      locked: true,
      editable: ['discount'],
    })
    expect(recordLock(run.flow, run.record, run.instance, 'emp')).toEqual({
      locked: true,
      editable: [],
    })
  })
})
