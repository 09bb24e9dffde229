import { describe, expect, it } from 'vitest'
import { ConflictError } from '../../errors'
import type { StepTimeout } from '../../../metadata/flow'
import { flowWith, Run, step } from './core-fixtures'

const timed = (timeout: StepTimeout) =>
  flowWith({ steps: [step('s', [{ user: 'mgr' }], { timeout }), step('t', [{ user: 'hr' }])] })

describe('timeouts', () => {
  it('every new pending task of a timed step gets a timeout, and a decided one has it cancelled', () => {
    const run = new Run(timed({ after: { hours: 8 }, action: 'remind' }))
    const started = run.submit()
    expect(started.effects).toContainEqual({ type: 'scheduleTimeout', task: 't1', step: 's' })
    const decided = run.approve('mgr')
    expect(decided.effects).toContainEqual({ type: 'cancelTimeout', task: 't1' })
    expect(decided.effects.some((e) => e.type === 'scheduleTimeout')).toBe(false)
  })

  it('remind notifies the assignee up to repeat times, setting the timer again until then', () => {
    const run = new Run(timed({ after: { hours: 8 }, action: 'remind', repeat: 2 }))
    run.submit()
    const first = run.act('system', { type: 'timeout', task: 't1' })
    expect(first.effects).toEqual([
      { type: 'notify', users: ['mgr'], reason: 'remind', task: 't1' },
      { type: 'scheduleTimeout', task: 't1', step: 's' },
    ])
    expect(run.act('system', { type: 'timeout', task: 't1' }).effects).toEqual([
      { type: 'notify', users: ['mgr'], reason: 'remind', task: 't1' },
    ])
    expect(run.act('system', { type: 'timeout', task: 't1' }).effects).toEqual([])
    expect(run.instance!.tasks[0]!.reminders).toBe(2)
  })

  it('escalate hands the task to the assignee manager, keeping the original owner', () => {
    const run = new Run(timed({ after: { days: 1 }, action: 'escalate' }))
    run.submit()
    run.act('system', { type: 'timeout', task: 't1' })
    expect(run.instance!.tasks[0]).toMatchObject({
      assignee: 'dir',
      owner: 'dir',
      originalOwner: 'mgr',
      handover: 'escalate',
    })
    expect(run.instance!.history.at(-1)).toMatchObject({
      action: 'escalate',
      by: null,
      to: ['dir'],
    })
    expect(run.approve('dir').state).toBeNull()
    expect(run.pending()).toEqual(['hr'])
  })

  it('auto-approve decides the task for its approver', () => {
    const run = new Run(timed({ after: { days: 1 }, action: 'approve' }))
    run.submit()
    run.act('system', { type: 'timeout', task: 't1' })
    expect(run.instance!.tasks[0]).toMatchObject({ status: 'approved', auto: 'timeout' })
    expect(run.pending()).toEqual(['hr'])
  })

  it('auto-reject rejects the approval', () => {
    const run = new Run(timed({ after: { days: 1 }, action: 'reject' }))
    run.submit()
    expect(run.act('system', { type: 'timeout', task: 't1' }).state).toBe('rejected')
  })

  it('a timeout of a task decided meanwhile is refused as already decided', () => {
    const run = new Run(timed({ after: { days: 1 }, action: 'approve' }))
    run.submit()
    run.approve('mgr')
    expect(() => run.act('system', { type: 'timeout', task: 't1' })).toThrow(ConflictError)
  })
})

describe('CC and history', () => {
  it('copies users when a step starts and when the approval ends', () => {
    const flow = flowWith({
      cc: [{ user: 'hr' }],
      steps: [step('s', [{ user: 'mgr' }], { cc: [{ role: 'finance' }] })],
    })
    const run = new Run(flow)
    expect(run.submit().effects).toContainEqual({
      type: 'notify',
      users: ['fin1', 'fin2', 'fin3'],
      reason: 'cc',
    })
    expect(run.approve('mgr').effects).toContainEqual({
      type: 'notify',
      users: ['hr'],
      reason: 'cc',
    })
  })

  it('keeps every action with who, on behalf of whom, when and the comment, and the snapshot', () => {
    const run = new Run(flowWith({ steps: [step('s', [{ user: 'mgr' }])] }), { amount: 5 })
    run.submit('emp', { comment: 'please' })
    run.act('mgr', { type: 'delegate', task: 't1', to: 'dir' })
    run.now = '2025-03-04T10:00:00Z'
    run.approve('dir', 'fine')
    expect(run.instance!.snapshot).toMatchObject({ amount: 5, status: 'draft' })
    expect(run.instance!.history.map((h) => [h.action, h.by, h.onBehalfOf ?? null])).toEqual([
      ['submit', 'emp', null],
      ['delegate', 'mgr', null],
      ['approve', 'dir', 'mgr'],
      ['complete', null, null],
      ['complete', null, null],
    ])
    expect(run.instance!.history[2]).toMatchObject({
      at: '2025-03-04T10:00:00.000Z',
      comment: 'fine',
      task: 't1',
      step: 's',
    })
  })
})
