import { describe, expect, it } from 'vitest'
import { AlreadyDecidedError, ConflictError, ForbiddenError, ValidationError } from '../../errors'
import { flowWith, Run, step } from './core-fixtures'

const oneStep = (mode: 'any' | 'all' | 'sequence' = 'any') =>
  flowWith({ steps: [step('s', [{ user: 'fin1' }, { user: 'fin2' }], { mode })] })

describe('changing hands', () => {
  it('delegate: the delegate acts on the owner behalf and history says so', () => {
    const run = new Run(flowWith({ steps: [step('s', [{ user: 'fin1' }])] }))
    run.submit()
    run.act('fin1', { type: 'delegate', task: run.taskOf('fin1'), to: 'hr' })
    expect(run.instance!.tasks[0]).toMatchObject({
      assignee: 'hr',
      owner: 'fin1',
      delegatedFrom: 'fin1',
    })
    expect(run.approve('hr', 'ok for fin1').state).toBe('approved')
    expect(run.instance!.history).toContainEqual(
      expect.objectContaining({
        action: 'approve',
        by: 'hr',
        onBehalfOf: 'fin1',
        comment: 'ok for fin1',
      }),
    )
  })

  it('delegate: the owner keeps the task and may still act on it or take it back', () => {
    const run = new Run(flowWith({ steps: [step('s', [{ user: 'fin1' }])] }))
    run.submit()
    const task = run.taskOf('fin1')
    run.act('fin1', { type: 'delegate', task, to: 'hr' })
    run.act('fin1', { type: 'delegate', task, to: 'fin1' })
    expect(run.instance!.tasks[0]).toMatchObject({ assignee: 'fin1', owner: 'fin1' })
    expect(run.instance!.tasks[0]!.delegatedFrom).toBeUndefined()
    expect(() => run.act('hr', { type: 'approve', task })).toThrow(ForbiddenError)
  })

  it('reclaim: the owner takes a delegated task back; the delegate loses it; history says so', () => {
    const run = new Run(flowWith({ steps: [step('s', [{ user: 'fin1' }])] }))
    run.submit()
    const task = run.taskOf('fin1')
    run.act('fin1', { type: 'delegate', task, to: 'hr' })
    const result = run.act('fin1', { type: 'reclaim', task, comment: 'I am back' })
    expect(result.state).toBeNull()
    expect(result.effects).toEqual([{ type: 'notify', users: ['hr'], reason: 'reclaimed', task }])
    expect(run.instance!.tasks[0]).toMatchObject({ assignee: 'fin1', owner: 'fin1' })
    expect(run.instance!.tasks[0]!.delegatedFrom).toBeUndefined()
    expect(run.instance!.history.at(-1)).toEqual({
      at: new Date(run.now).toISOString(),
      action: 'reclaim',
      by: 'fin1',
      step: 's',
      task,
      comment: 'I am back',
      from: ['hr'],
    })
    expect(() => run.act('hr', { type: 'approve', task })).toThrow(ForbiddenError)
    expect(run.approve('fin1').state).toBe('approved')
    expect(run.instance!.history).toContainEqual(
      expect.objectContaining({ action: 'approve', by: 'fin1' }),
    )
    expect(run.instance!.history.find((h) => h.action === 'approve')!.onBehalfOf).toBeUndefined()
  })

  it('reclaim after the delegate handed the task on again takes it from the last delegate', () => {
    const run = new Run(flowWith({ steps: [step('s', [{ user: 'fin1' }])] }))
    run.submit()
    const task = run.taskOf('fin1')
    run.act('fin1', { type: 'delegate', task, to: 'hr' })
    run.act('hr', { type: 'delegate', task, to: 'fin2' })
    run.act('fin1', { type: 'reclaim', task })
    expect(run.pending()).toEqual(['fin1'])
    expect(run.instance!.history.at(-1)).toMatchObject({ action: 'reclaim', from: ['fin2'] })
  })

  it('reclaim is refused to the delegate (403) and on a task not delegated (409)', () => {
    const run = new Run(oneStep())
    run.submit()
    const task = run.taskOf('fin1')
    expect(() => run.act('fin1', { type: 'reclaim', task })).toThrow(ConflictError)
    run.act('fin1', { type: 'delegate', task, to: 'hr' })
    expect(() => run.act('hr', { type: 'reclaim', task })).toThrow(ForbiddenError)
    expect(() => run.act('fin2', { type: 'reclaim', task })).toThrow(ForbiddenError)
    expect(run.instance!.tasks.find((t) => t.id === task)).toMatchObject({ assignee: 'hr' })
  })

  it('reclaim is refused once the delegate has decided (409 ALREADY_DECIDED)', () => {
    const run = new Run(oneStep('all'))
    run.submit()
    const task = run.taskOf('fin1')
    run.act('fin1', { type: 'delegate', task, to: 'hr' })
    run.approve('hr')
    expect(() => run.act('fin1', { type: 'reclaim', task })).toThrow(AlreadyDecidedError)
    expect(run.instance!.tasks.find((t) => t.id === task)).toMatchObject({
      status: 'approved',
      decidedBy: 'hr',
    })
  })

  it('transfer: the task moves for good and keeps its original owner', () => {
    const run = new Run(flowWith({ steps: [step('s', [{ user: 'fin1' }])] }))
    run.submit()
    const task = run.taskOf('fin1')
    run.act('fin1', { type: 'transfer', task, to: 'hr' })
    expect(run.instance!.tasks[0]).toMatchObject({
      assignee: 'hr',
      owner: 'hr',
      originalOwner: 'fin1',
      handover: 'transfer',
    })
    expect(() => run.act('fin1', { type: 'approve', task })).toThrow(ForbiddenError)
    run.approve('hr')
    expect(run.instance!.tasks[0]).toMatchObject({
      status: 'approved',
      decidedBy: 'hr',
      originalOwner: 'fin1',
    })
  })

  it('transfer or delegate to someone who is not an active user is refused on to', () => {
    const run = new Run(oneStep())
    run.submit()
    expect(() =>
      run.act('fin1', { type: 'transfer', task: run.taskOf('fin1'), to: 'gone' }),
    ).toThrow(ValidationError)
  })

  it('add signer: the live countersign step waits for the added approver too', () => {
    const run = new Run(oneStep('all'))
    run.submit()
    run.act('fin1', { type: 'addSigner', task: run.taskOf('fin1'), users: ['hr'] })
    expect(run.pending()).toEqual(['fin1', 'fin2', 'hr'])
    run.approve('fin1')
    run.approve('fin2')
    expect(run.last!.state).toBeNull()
    expect(run.approve('hr').state).toBe('approved')
  })

  it('add signer to an in-turn step puts the new approver last in the turn', () => {
    const run = new Run(oneStep('sequence'))
    run.submit()
    run.act('fin1', { type: 'addSigner', task: run.taskOf('fin1'), users: ['hr'] })
    expect(run.instance!.tasks.map((t) => [t.assignee, t.status])).toEqual([
      ['fin1', 'pending'],
      ['fin2', 'waiting'],
      ['hr', 'waiting'],
    ])
  })

  it('remove signer: a countersign step no longer waits for the removed approver', () => {
    const run = new Run(flowWith({ steps: [step('s', [{ role: 'finance' }], { mode: 'all' })] }))
    run.submit()
    run.approve('fin1')
    expect(run.act('fin2', { type: 'removeSigner', task: run.taskOf('fin3') }).state).toBeNull()
    expect(run.pending()).toEqual(['fin2'])
    expect(run.approve('fin2').state).toBe('approved')
    expect(run.instance!.history).toContainEqual(
      expect.objectContaining({ action: 'removeSigner', by: 'fin2', to: ['fin3'] }),
    )
  })

  it('remove signer: the last open signer cannot be removed (422)', () => {
    const run = new Run(oneStep('all'))
    run.submit()
    run.act('fin2', { type: 'removeSigner', task: run.taskOf('fin1') })
    const error = (() => {
      try {
        run.act('emp', { type: 'removeSigner', task: run.taskOf('fin2') })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).details[0]!.path).toBe('task')
  })

  it('remove signer is refused to someone neither a signer of the step nor the submitter', () => {
    const run = new Run(oneStep('all'))
    run.submit()
    expect(() => run.act('hr', { type: 'removeSigner', task: run.taskOf('fin1') })).toThrow(
      ForbiddenError,
    )
  })

  it('transfer to someone who already holds an open task of the step is refused on to', () => {
    const run = new Run(oneStep('all'))
    run.submit()
    const error = (() => {
      try {
        run.act('fin1', { type: 'transfer', task: run.taskOf('fin1'), to: 'fin2' })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).details[0]!.path).toBe('to')
    expect(run.pending()).toEqual(['fin1', 'fin2'])
  })
})
