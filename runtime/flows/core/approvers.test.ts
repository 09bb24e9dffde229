import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../errors'
import { fakeOrg, flowWith, Run, step } from './core-fixtures'

const firstPending = (
  flow: ReturnType<typeof flowWith>,
  record: Record<string, unknown> = {},
  actor = 'emp',
) => {
  const run = new Run(flow, record)
  run.submit(actor)
  return run.pending()
}

describe('who approves', () => {
  it('a named user', () => {
    expect(firstPending(flowWith({ steps: [step('s', [{ user: 'hr' }])] }))).toEqual(['hr'])
  })

  it('every active holder of a role', () => {
    expect(firstPending(flowWith({ steps: [step('s', [{ role: 'director' }])] }))).toEqual([
      'ceo',
      'dir',
    ])
  })

  it('the user or users held in a field of the record', () => {
    const flow = flowWith({ steps: [step('s', [{ field: 'reviewers' }])] })
    expect(firstPending(flow, { reviewers: 'hr' })).toEqual(['hr'])
    expect(firstPending(flow, { reviewers: ['fin1', 'gone', 'fin2'] })).toEqual(['fin1', 'fin2'])
  })

  it('the submitter manager N levels up', () => {
    expect(firstPending(flowWith({ steps: [step('s', [{ manager: 1 }])] }))).toEqual(['mgr'])
    expect(firstPending(flowWith({ steps: [step('s', [{ manager: 2 }])] }))).toEqual(['dir'])
  })

  it('the chain of managers up to a role, in turn, the direct manager first', () => {
    const run = new Run(
      flowWith({ steps: [step('s', [{ managerChain: { upToRole: 'director' } }])] }),
    )
    run.submit()
    expect(run.instance!.tasks.map((t) => [t.assignee, t.status])).toEqual([
      ['mgr', 'pending'],
      ['dir', 'waiting'],
    ])
    run.approve('mgr')
    expect(run.approve('dir').state).toBe('approved')
  })

  it('the chain of managers to the top or a number of levels', () => {
    expect(
      new Run(flowWith({ steps: [step('s', [{ managerChain: {} }])] }))
        .submit()
        .instance!.tasks.map((t) => t.assignee),
    ).toEqual(['mgr', 'dir', 'ceo'])
    expect(
      new Run(flowWith({ steps: [step('s', [{ managerChain: { levels: 2 } }])] }))
        .submit()
        .instance!.tasks.map((t) => t.assignee),
    ).toEqual(['mgr', 'dir'])
  })

  it('the head of the submitter department or of the department in a field', () => {
    expect(firstPending(flowWith({ steps: [step('s', [{ departmentHead: {} }])] }))).toEqual([
      'dir',
    ])
    expect(
      firstPending(flowWith({ steps: [step('s', [{ departmentHead: { field: 'dept' } }])] }), {
        dept: 'finance',
      }),
    ).toEqual(['fin1'])
  })

  it('the users the submitter picked from the allowed role', () => {
    const flow = flowWith({
      steps: [step('s', [{ submitterPick: { role: 'finance', min: 1, max: 2 } }], { mode: 'all' })],
    })
    const run = new Run(flow)
    run.submit('emp', { picks: { s: ['fin3', 'fin1'] } })
    expect(run.pending()).toEqual(['fin1', 'fin3'])
  })

  it('refuses picks outside the role, too few or too many, naming the step', () => {
    const flow = flowWith({
      steps: [step('s', [{ submitterPick: { role: 'finance', min: 1, max: 2 } }])],
    })
    const paths = (picks: Record<string, string[]>) => {
      try {
        new Run(flow).submit('emp', { picks })
      } catch (error) {
        if (error instanceof ValidationError) return error.details.map((i) => i.path)
        throw error
      }
      return []
    }
    expect(paths({ s: ['hr'] })).toEqual(['picks.s[0]'])
    expect(paths({})).toEqual(['picks.s'])
    expect(paths({ s: ['fin1', 'fin2', 'fin3'] })).toEqual(['picks.s'])
    expect(paths({ s: ['fin1'], other: ['fin2'] })).toEqual(['picks.other'])
  })
})

describe('approver edge cases', () => {
  const nobody = [{ role: 'nobody' }]

  it('no approver found: auto-approve the step', () => {
    const run = new Run(flowWith({ noApprover: 'approve', steps: [step('s', nobody)] }))
    expect(run.submit().state).toBe('approved')
  })

  it('no approver found: auto-reject the step', () => {
    const run = new Run(flowWith({ noApprover: 'reject', steps: [step('s', nobody)] }))
    expect(run.submit().state).toBe('rejected')
    expect(run.instance!.rejectedStep).toBe('s')
  })

  it('no approver found: send to an administrator (the default)', () => {
    const run = new Run(flowWith({ steps: [step('s', nobody)] }))
    run.submit()
    expect(run.pending()).toEqual(['root'])
  })

  it('the submitter as approver is skipped by default', () => {
    const run = new Run(
      flowWith({ steps: [step('s', [{ user: 'emp' }, { user: 'hr' }], { mode: 'all' })] }),
    )
    run.submit('emp')
    expect(run.pending()).toEqual(['hr'])
    const alone = new Run(
      flowWith({ steps: [step('s', [{ user: 'emp' }]), step('t', [{ user: 'hr' }])] }),
    )
    alone.submit('emp')
    expect(alone.pending()).toEqual(['hr'])
  })

  it('the submitter as approver passes to their manager when the approval says so', () => {
    const run = new Run(
      flowWith({ submitterApproves: 'manager', steps: [step('s', [{ role: 'manager' }])] }),
    )
    run.submit('mgr')
    expect(run.pending()).toEqual(['dir'])
  })

  it('the submitter with no manager to pass to falls to the no-approver rule', () => {
    const run = new Run(
      flowWith({
        submitterApproves: 'manager',
        noApprover: 'reject',
        steps: [step('s', [{ user: 'ceo' }])],
      }),
    )
    run.submit('ceo')
    expect(run.pending()).toEqual([])
    expect(run.instance?.status).toBe('rejected')
  })

  it('the submitter as approver is kept when the approval says keep', () => {
    const run = new Run(
      flowWith({ submitterApproves: 'keep', steps: [step('s', [{ user: 'emp' }])] }),
    )
    run.submit('emp')
    expect(run.pending()).toEqual(['emp'])
  })

  it('someone who approved the previous step is approved for at once (approve once)', () => {
    const flow = flowWith({
      steps: [
        step('a', [{ user: 'mgr' }]),
        step('b', [{ user: 'mgr' }, { user: 'hr' }], { mode: 'all' }),
      ],
    })
    const run = new Run(flow)
    run.submit()
    run.approve('mgr')
    expect(run.pending()).toEqual(['hr'])
    const auto = run.instance!.tasks.find((t) => t.step === 'b' && t.owner === 'mgr')!
    expect(auto).toMatchObject({ status: 'approved', auto: 'repeated' })
    expect(run.approve('hr').state).toBe('approved')
  })

  it('the repeated approver is asked again when the approval says ask', () => {
    const flow = flowWith({
      repeatedApprover: 'ask',
      steps: [step('a', [{ user: 'mgr' }]), step('b', [{ user: 'mgr' }])],
    })
    const run = new Run(flow)
    run.submit()
    run.approve('mgr')
    expect(run.pending()).toEqual(['mgr'])
  })

  it('an out-of-office approver task goes to their substitute and history keeps the owner', () => {
    const away = fakeOrg({
      emp: { manager: 'mgr' },
      mgr: {
        away: { substitute: 'dep', from: '2025-03-01T00:00:00Z', to: '2025-03-05T00:00:00Z' },
      },
      dep: {},
    })
    const run = new Run(flowWith({ steps: [step('s', [{ manager: 1 }])] }), {}, away)
    run.submit()
    expect(run.instance!.tasks[0]).toMatchObject({
      assignee: 'dep',
      owner: 'dep',
      originalOwner: 'mgr',
      handover: 'substitute',
    })
    run.approve('dep')
    expect(run.instance!.history).toContainEqual(
      expect.objectContaining({ action: 'approve', by: 'dep', onBehalfOf: 'mgr' }),
    )
    const later = new Run(flowWith({ steps: [step('s', [{ manager: 1 }])] }), {}, away)
    later.now = '2025-03-10T09:00:00Z'
    later.submit()
    expect(later.pending()).toEqual(['mgr'])
  })
})
