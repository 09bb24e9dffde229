import { describe, expect, it } from 'vitest'
import { ConflictError, ForbiddenError, ValidationError } from '../../errors'
import { flowWith, Run, step } from './core-fixtures'

const threeSteps = (extra = {}) =>
  flowWith({
    ...extra,
    steps: [
      step('a', [{ user: 'mgr' }]),
      step('b', [{ user: 'dir' }]),
      step('c', [{ user: 'ceo' }]),
    ],
  })

describe('going back', () => {
  it('reject ends the approval in the rejection state and needs a comment', () => {
    const run = new Run(threeSteps())
    run.submit()
    expect(() => run.act('mgr', { type: 'reject', task: run.taskOf('mgr'), comment: ' ' })).toThrow(
      ValidationError,
    )
    expect(run.reject('mgr', 'no budget').state).toBe('rejected')
    expect(run.last!.effects).toContainEqual({ type: 'notify', users: ['emp'], reason: 'rejected' })
  })

  it('return to the previous step runs it again in a new round', () => {
    const run = new Run(threeSteps())
    run.submit()
    run.approve('mgr')
    run.act('dir', {
      type: 'return',
      task: run.taskOf('dir'),
      to: 'previous',
      comment: 'check again',
    })
    expect(run.pending()).toEqual(['mgr'])
    const again = run.instance!.tasks.find((t) => t.status === 'pending')!
    expect(again).toMatchObject({ step: 'a', round: 2 })
    expect(run.instance!.completed).toEqual([])
    run.approve('mgr')
    expect(run.pending()).toEqual(['dir'])
  })

  it('return to a chosen earlier completed step', () => {
    const run = new Run(threeSteps({ repeatedApprover: 'ask' }))
    run.submit()
    run.approve('mgr')
    run.approve('dir')
    run.act('ceo', { type: 'return', task: run.taskOf('ceo'), to: { step: 'a' }, comment: 'redo' })
    expect(run.pending()).toEqual(['mgr'])
    expect(() =>
      run.act('mgr', { type: 'return', task: run.taskOf('mgr'), to: { step: 'c' }, comment: 'x' }),
    ).toThrow(ValidationError)
  })

  it('return needs a comment and an earlier step to go to', () => {
    const run = new Run(threeSteps())
    run.submit()
    expect(() =>
      run.act('mgr', { type: 'return', task: run.taskOf('mgr'), to: 'previous' }),
    ).toThrow(ValidationError)
    expect(() =>
      run.act('mgr', { type: 'return', task: run.taskOf('mgr'), to: 'previous', comment: 'x' }),
    ).toThrow(ValidationError)
  })

  it('return to the submitter puts the record back where it was, resubmittable', () => {
    const run = new Run(threeSteps())
    run.submit()
    const result = run.act('mgr', {
      type: 'return',
      task: run.taskOf('mgr'),
      to: 'submitter',
      comment: 'fill in the dates',
    })
    expect(result.state).toBe('draft')
    expect(run.instance).toMatchObject({ status: 'rejected', rejectedStep: 'a' })
    expect(result.effects).toContainEqual({ type: 'notify', users: ['emp'], reason: 'returned' })
    run.act('emp', { type: 'resubmit' })
    expect(run.record.status).toBe('pending')
    expect(run.pending()).toEqual(['mgr'])
  })

  it('recall by the submitter cancels the tasks and puts the record back before submission', () => {
    const run = new Run(threeSteps())
    run.submit()
    expect(() => run.act('mgr', { type: 'recall' })).toThrow(ForbiddenError)
    const result = run.act('emp', { type: 'recall' })
    expect(result.state).toBe('draft')
    expect(run.instance!.status).toBe('recalled')
    expect(run.instance!.tasks.every((t) => t.status === 'cancelled')).toBe(true)
    expect(result.effects).toContainEqual({ type: 'notify', users: ['mgr'], reason: 'recalled' })
    expect(() => run.act('emp', { type: 'recall' })).toThrow(ConflictError)
  })

  it('recall goes to the approval recalled state when it names one', () => {
    const run = new Run(threeSteps({ recalled: 'closed' }))
    run.submit()
    expect(run.act('emp', { type: 'recall' }).state).toBe('closed')
  })

  it('an approver withdraws their approval while the next step has not acted', () => {
    const run = new Run(threeSteps())
    run.submit()
    const mine = run.taskOf('mgr')
    run.approve('mgr')
    const result = run.act('mgr', { type: 'withdraw', task: mine })
    expect(run.pending()).toEqual(['mgr'])
    expect(run.instance!.active).toEqual(['a'])
    expect(run.instance!.tasks.find((t) => t.assignee === 'dir')!.status).toBe('cancelled')
    expect(result.state).toBeNull()
  })

  it('withdraw is refused once the next step has acted', () => {
    const run = new Run(threeSteps())
    run.submit()
    const mine = run.taskOf('mgr')
    run.approve('mgr')
    run.approve('dir')
    expect(() => run.act('mgr', { type: 'withdraw', task: mine })).toThrow(ConflictError)
    expect(() => run.act('hr', { type: 'withdraw', task: mine })).toThrow(ForbiddenError)
  })

  it('withdraw inside a countersign step reopens only that approver task', () => {
    const run = new Run(flowWith({ steps: [step('s', [{ role: 'finance' }], { mode: 'all' })] }))
    run.submit()
    const mine = run.taskOf('fin1')
    run.approve('fin1')
    run.act('fin1', { type: 'withdraw', task: mine })
    expect(run.pending()).toEqual(['fin1', 'fin2', 'fin3'])
  })

  it('resubmit after rejection starts again from the first step by default', () => {
    const run = new Run(threeSteps())
    run.submit()
    run.approve('mgr')
    run.reject('dir')
    expect(() => run.act('mgr', { type: 'resubmit' })).toThrow(ForbiddenError)
    const result = run.act('emp', { type: 'resubmit', comment: 'fixed' })
    expect(result.state).toBe('pending')
    expect(run.pending()).toEqual(['mgr'])
    expect(run.instance!.status).toBe('running')
    expect(run.instance!.history.at(-1)).toBeDefined()
    expect(run.instance!.history).toContainEqual(
      expect.objectContaining({ action: 'resubmit', by: 'emp', comment: 'fixed' }),
    )
  })

  it('resubmit after rejection starts at the rejecting step when the approval says so', () => {
    const run = new Run(threeSteps({ resubmit: 'rejectedStep' }))
    run.submit()
    run.approve('mgr')
    run.reject('dir')
    run.act('emp', { type: 'resubmit' })
    expect(run.pending()).toEqual(['dir'])
    expect(run.instance!.completed).toEqual(['a'])
  })

  it('resubmit is refused while running', () => {
    const run = new Run(threeSteps())
    run.submit()
    expect(() => run.act('emp', { type: 'resubmit' })).toThrow(ConflictError)
  })

  it('resubmit at the rejecting step of a parallel lane also resumes the lane cut short', () => {
    const run = new Run(
      flowWith({
        resubmit: 'rejectedStep',
        steps: [
          {
            id: 'checks',
            parallel: [
              { id: 'money', steps: [step('fin', [{ user: 'fin1' }])] },
              { id: 'people', steps: [step('hr', [{ user: 'hr' }])] },
            ],
          },
          step('final', [{ user: 'ceo' }]),
        ],
      }),
    )
    run.submit()
    run.reject('hr')
    run.act('emp', { type: 'resubmit' })
    expect(run.pending()).toEqual(['fin1', 'hr'])
    run.approve('hr')
    run.approve('fin1')
    expect(run.pending()).toEqual(['ceo'])
  })

  it('withdraw in an in-turn step waits for an earlier approver who withdrew first', () => {
    const run = new Run(
      flowWith({
        steps: [
          step('s', [{ user: 'fin1' }, { user: 'fin2' }], { mode: 'sequence' }),
          step('t', [{ user: 'hr' }]),
        ],
      }),
    )
    run.submit()
    const first = run.taskOf('fin1')
    run.approve('fin1')
    const second = run.taskOf('fin2')
    run.approve('fin2')
    run.act('fin1', { type: 'withdraw', task: first })
    run.act('fin2', { type: 'withdraw', task: second })
    expect(run.pending()).toEqual(['fin1'])
    expect(run.instance!.tasks.find((t) => t.id === second)!.status).toBe('waiting')
    run.approve('fin1')
    expect(run.pending()).toEqual(['fin2'])
  })

  it('withdraw is refused once a return has sent the approval back before that step', () => {
    const run = new Run(threeSteps())
    run.submit()
    run.approve('mgr')
    const dirs = run.taskOf('dir')
    run.approve('dir')
    run.act('ceo', { type: 'return', task: run.taskOf('ceo'), to: { step: 'a' }, comment: 'redo' })
    expect(() => run.act('dir', { type: 'withdraw', task: dirs })).toThrow(ConflictError)
    expect(run.pending()).toEqual(['mgr'])
    expect(run.instance!.active).toEqual(['a'])
  })
})
