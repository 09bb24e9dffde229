import { describe, expect, it } from 'vitest'
import { ConflictError, ForbiddenError, ValidationError } from '../../errors'
import { ctxFor, flowWith, Run, step } from './core-fixtures'
import { runFlowEvent } from './run-flow-event'

const plain = flowWith(undefined, {
  guard: { '!=': [{ var: 'title' }, 'blocked'] },
  requires: ['reason'],
  inputs: ['note'],
  comment: 'optional',
})

describe('firing a plain transition', () => {
  it('moves the record to the target state and asks for its effects and the transition event', () => {
    const run = new Run(plain, { title: 'x' })
    const result = run.submit('emp', { inputs: { reason: 'because' } })
    expect(result.state).toBe('approved')
    expect(result.inputs).toEqual({ reason: 'because' })
    expect(result.instance).toBeNull()
    expect(result.effects).toEqual([
      { type: 'runTransitionEffects', transition: 'submit' },
      { type: 'emit', transition: 'submit', from: 'draft', to: 'approved', action: 'submit' },
    ])
  })

  it('refuses a transition that does not leave the record state with a 409', () => {
    const run = new Run(plain, { status: 'approved', reason: 'r' })
    expect(() => run.submit()).toThrow(ConflictError)
  })

  it('refuses a transition whose guard fails over the record and $user with a 403', () => {
    const run = new Run(plain, { title: 'blocked', reason: 'r' })
    expect(() => run.submit()).toThrow(ForbiddenError)
    const byUser = flowWith(undefined, { guard: { '==': [{ var: '$user.id' }, 'mgr'] } })
    expect(() => new Run(byUser).submit('emp')).toThrow(ForbiddenError)
    expect(new Run(byUser).submit('mgr').state).toBe('approved')
  })

  it('names each required field left empty and each field that is not an input', () => {
    const run = new Run(plain, { reason: '  ' })
    const error = catchError(() => run.submit('emp', { inputs: { other: 1 } }))
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).details.map((i) => i.path).sort()).toEqual([
      'inputs.other',
      'inputs.reason',
    ])
  })

  it('takes a required field already filled on the record', () => {
    expect(new Run(plain, { reason: 'filled' }).submit().state).toBe('approved')
  })

  it('requires a comment when the transition says so and refuses one when it says none', () => {
    const required = flowWith(undefined, { comment: 'required' })
    expect(paths(() => new Run(required).submit())).toEqual(['comment'])
    expect(new Run(required).submit('emp', { comment: 'why' }).state).toBe('approved')
    const none = flowWith(undefined, { comment: 'none' })
    expect(paths(() => new Run(none).submit('emp', { comment: 'hi' }))).toEqual(['comment'])
  })

  it('does not change the instance or record it was given', () => {
    const flow = flowWith({ steps: [step('boss', [{ manager: 1 }])] })
    const run = new Run(flow)
    run.submit()
    const before = structuredClone(run.instance)
    const ctx = ctxFor('mgr', run.record)
    runFlowEvent(flow, run.instance, { type: 'approve', task: 't1', actor: 'mgr' }, ctx)
    expect(run.instance).toEqual(before)
  })
})

describe('an approval with one or-sign step', () => {
  const flow = flowWith({ steps: [step('boss', [{ role: 'finance' }])] })

  it('starts an instance, moves the record to pending and gives each approver a task', () => {
    const run = new Run(flow)
    const result = run.submit()
    expect(result.state).toBe('pending')
    expect(run.instance).toMatchObject({
      status: 'running',
      submitter: 'emp',
      fromState: 'draft',
      active: ['boss'],
    })
    expect(run.pending()).toEqual(['fin1', 'fin2', 'fin3'])
    expect(result.effects).toContainEqual({
      type: 'emit',
      transition: 'submit',
      from: 'draft',
      to: 'pending',
      action: 'submit',
    })
    expect(result.effects.filter((e) => e.type === 'notify' && e.reason === 'task')).toHaveLength(3)
  })

  it('completes on the first approval: the record takes the target state and the others are cancelled', () => {
    const run = new Run(flow)
    run.submit()
    const result = run.approve('fin2')
    expect(result.state).toBe('approved')
    expect(run.instance!.status).toBe('approved')
    expect(run.instance!.tasks.map((t) => t.status)).toEqual(['cancelled', 'approved', 'cancelled'])
    expect(result.effects).toContainEqual({ type: 'runTransitionEffects', transition: 'submit' })
    expect(result.effects).toContainEqual({
      type: 'emit',
      transition: 'submit',
      from: 'pending',
      to: 'approved',
      action: 'approve',
    })
  })

  it('answers a second decision on the closed step with 409 ALREADY_DECIDED', () => {
    const run = new Run(flow)
    run.submit()
    const late = run.instance!.tasks.find((t) => t.assignee === 'fin3')!.id
    run.approve('fin1')
    const error = catchError(() => run.act('fin3', { type: 'approve', task: late }))
    expect(error).toBeInstanceOf(ConflictError)
    expect((error as ConflictError).code).toBe('ALREADY_DECIDED')
  })

  it('refuses a decision by someone who is not the task assignee with a 403', () => {
    const run = new Run(flow)
    run.submit()
    expect(() => run.act('emp', { type: 'approve', task: run.taskOf('fin1') })).toThrow(
      ForbiddenError,
    )
  })

  it('rejects with a comment into the rejection state, and refuses a rejection without one', () => {
    const run = new Run(flow)
    run.submit()
    expect(paths(() => run.act('fin1', { type: 'reject', task: run.taskOf('fin1') }))).toEqual([
      'comment',
    ])
    const result = run.reject('fin1', 'too dear')
    expect(result.state).toBe('rejected')
    expect(run.instance).toMatchObject({ status: 'rejected', rejectedStep: 'boss' })
    expect(run.instance!.history.at(-2)).toMatchObject({
      action: 'reject',
      by: 'fin1',
      comment: 'too dear',
    })
  })
})

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

function paths(fn: () => unknown): string[] {
  const error = catchError(fn)
  if (!(error instanceof ValidationError)) throw error
  return error.details.map((i) => i.path)
}
