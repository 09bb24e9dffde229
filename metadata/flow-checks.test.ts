import { describe, expect, it } from 'vitest'
import type { ApprovalStep, Flow } from './flow'
import { flowBundle, quoteFlow } from './flow-fixtures'
import { validateReferences } from './references'
import type { Rule } from './rule'
import { RULE_LIMITS } from './rule-limits'
import { validateDefinition } from './validate'

/** The quote flow after `change`. */
function flowWith(change: (flow: Flow) => void): Flow {
  const flow = quoteFlow()
  change(flow)
  return flow
}

const check = (change: (flow: Flow) => void) => validateDefinition('flow', flowWith(change))
const references = (change: (flow: Flow) => void) =>
  validateReferences(flowBundle(flowWith(change)))

// Paths into the fixture's approval tree (transition 0 is `submit`).
const STEPS = 'transitions[0].approval.steps'
const DIRECTOR = `${STEPS}[1].branches[0].steps[0]`
const FINANCE = `${STEPS}[2].parallel[0].steps[0]`
const BOARD = `${STEPS}[2].parallel[1].steps[0]`
type Tree = { branches?: { steps: Tree[] }[]; parallel?: { steps: Tree[] }[] }
/** One of the fixture's steps, by name. */
function step(flow: Flow, which: 'manager' | 'director' | 'finance' | 'board'): ApprovalStep {
  const steps = flow.transitions[0].approval!.steps as Tree[]
  const found = {
    manager: () => steps[0],
    director: () => steps[1].branches![0].steps[0],
    finance: () => steps[2].parallel![0].steps[0],
    board: () => steps[2].parallel![1].steps[0],
  }[which]()
  return found as unknown as ApprovalStep
}

describe('a valid flow', () => {
  it('passes the schema, the checks and the references with every part used', () => {
    expect(validateDefinition('flow', quoteFlow())).toEqual([])
    expect(validateReferences(flowBundle())).toEqual([])
  })

  it('lets the same branch id stand in two nodes (the fixture has an empty branch too)', () => {
    const sameIds = flowWith((f) => {
      const parallel = f.transitions[0].approval!.steps[2] as { parallel: { id: string }[] }
      parallel.parallel[0].id = 'big'
    })
    expect(validateDefinition('flow', sameIds)).toEqual([])
  })
})

describe('the flow schema', () => {
  it('names a missing approvers list of a step, not the other node shapes', () => {
    expect(check((f) => delete (step(f, 'manager') as Partial<ApprovalStep>).approvers)).toEqual([
      { path: `${STEPS}[0].approvers`, message: 'is required' },
    ])
  })

  it('refuses an approval without steps and a parallel node of one branch', () => {
    expect(check((f) => (f.transitions[0].approval!.steps = []))).toEqual([
      { path: STEPS, message: expect.stringContaining('fewer than 1') },
    ])
    const issues = check((f) => {
      const node = f.transitions[0].approval!.steps[2] as { parallel: unknown[] }
      node.parallel.pop()
    })
    expect(issues).toEqual([
      { path: `${STEPS}[2].parallel`, message: expect.stringContaining('fewer than 2') },
    ])
  })

  it('takes exactly one key per approver source', () => {
    expect(
      check((f) => (step(f, 'manager').approvers = [{ manager: 1, role: 'director' } as never])),
    ).toEqual([
      { path: `${STEPS}[0].approvers[0]`, message: expect.stringContaining('more than 1') },
    ])
  })

  it('refuses a vote threshold outside (0, 1] and a timeout without a duration', () => {
    expect(check((f) => (step(f, 'board').threshold = 1.5))).toEqual([
      { path: `${BOARD}.threshold`, message: expect.stringContaining('<= 1') },
    ])
    expect(check((f) => (step(f, 'board').threshold = 0))).toEqual([
      { path: `${BOARD}.threshold`, message: expect.stringContaining('> 0') },
    ])
    expect(check((f) => (step(f, 'manager').timeout!.after = {}))).toEqual([
      { path: `${STEPS}[0].timeout.after`, message: expect.stringContaining('fewer than 1') },
    ])
  })

  it('refuses an unknown property and an effect of an unknown type', () => {
    expect(check((f) => Object.assign(f.states[0], { colour: 'red' }))).toEqual([
      { path: 'states[0].colour', message: 'is not a known property' },
    ])
    expect(check((f) => (f.transitions[1].effects![0].type = 'email' as never))).toEqual([
      { path: 'transitions[1].effects[0].type', message: '"email" is not a known type' },
    ])
  })
})

describe('the checks inside one flow', () => {
  it('wants exactly one initial state', () => {
    expect(check((f) => delete f.states[0].initial)).toEqual([
      { path: 'states', message: 'needs exactly one initial state' },
    ])
    expect(check((f) => (f.states[3].initial = true))).toEqual([
      { path: 'states[3].initial', message: "'draft' is already the initial state" },
    ])
  })

  it('names repeated state and transition ids', () => {
    expect(check((f) => (f.states[3].id = 'sent'))).toContainEqual({
      path: 'states[4].id',
      message: "duplicate state id 'sent'",
    })
    expect(check((f) => (f.transitions[2].id = 'send'))).toEqual([
      { path: 'transitions[2].id', message: "duplicate transition id 'send'" },
    ])
  })

  it('keeps step ids unique across the approval tree and branch ids within their node', () => {
    expect(check((f) => (step(f, 'board').id = 'director'))).toEqual([
      { path: `${BOARD}.id`, message: "duplicate step id 'director'" },
    ])
    expect(
      check((f) => {
        const node = f.transitions[0].approval!.steps[1] as { branches: { id: string }[] }
        node.branches[1].id = 'big'
      }),
    ).toEqual([{ path: `${STEPS}[1].branches[1].id`, message: "duplicate branch id 'big'" }])
  })

  it('refuses transitions from or to unknown states and out of a final state', () => {
    expect(check((f) => (f.transitions[1].from = ['nowhere']))).toEqual([
      { path: 'transitions[1].from[0]', message: "no state 'nowhere' in the flow" },
    ])
    expect(check((f) => (f.transitions[1].to = 'gone'))).toEqual([
      { path: 'transitions[1].to', message: "no state 'gone' in the flow" },
    ])
    expect(check((f) => f.transitions[1].from.push('accepted'))).toEqual([
      { path: 'transitions[1].from[1]', message: "'accepted' is final: no transition leaves it" },
    ])
  })

  it('refuses approval states the flow does not list', () => {
    const issues = check((f) => {
      const approval = f.transitions[0].approval!
      Object.assign(approval, { pending: 'waiting', rejected: 'no', recalled: 'back' })
    })
    expect(issues).toEqual([
      { path: 'transitions[0].approval.pending', message: "no state 'waiting' in the flow" },
      { path: 'transitions[0].approval.rejected', message: "no state 'no' in the flow" },
      { path: 'transitions[0].approval.recalled', message: "no state 'back' in the flow" },
    ])
  })

  it('wants a threshold on a vote step, and a threshold only there', () => {
    expect(check((f) => delete step(f, 'board').threshold)).toEqual([
      { path: `${BOARD}.threshold`, message: expect.stringContaining('needs a threshold') },
    ])
    expect(check((f) => (step(f, 'finance').threshold = 0.5))).toEqual([
      { path: `${FINANCE}.threshold`, message: "is used only with mode 'vote'" },
    ])
  })

  it('refuses a zero timeout and a pick range whose min exceeds its max', () => {
    expect(check((f) => (step(f, 'manager').timeout!.after = { hours: 0, days: 0 }))).toEqual([
      { path: `${STEPS}[0].timeout.after`, message: 'must be longer than 0' },
    ])
    expect(
      check((f) => (step(f, 'board').approvers = [{ submitterPick: { min: 4, max: 2 } }])),
    ).toEqual([
      { path: `${BOARD}.approvers[0].submitterPick.min`, message: 'is more than max (2)' },
    ])
  })

  it('measures rules against the size limits', () => {
    let deep: unknown = true
    for (let i = 0; i <= RULE_LIMITS.maxDepth; i++) deep = { '!': [deep] }
    expect(check((f) => (f.transitions[3].guard = deep as never))).toContainEqual({
      path: 'transitions[3].guard',
      message: expect.stringContaining('nested more than'),
    })
    expect(check((f) => (step(f, 'director').when = deep as never))).toContainEqual({
      path: `${DIRECTOR}.when`,
      message: expect.stringContaining('nested more than'),
    })
  })
})

describe('the references of a flow', () => {
  const at = (path: string) => `flows[quote-flow].${path}`

  it('names an unknown entity, a state field that is not a select and a state no option holds', () => {
    expect(references((f) => (f.entity = 'offer'))).toEqual([
      { path: at('entity'), message: "no entity 'offer'" },
    ])
    expect(references((f) => (f.stateField = 'owner'))).toEqual([
      { path: at('stateField'), message: "'quote.owner' is a user field, not select" },
    ])
    expect(references((f) => f.states.push({ id: 'archived' }))).toEqual([
      { path: at('states[7].id'), message: "'archived' is not an option of stage" },
    ])
  })

  it('refuses unknown, system, computed and state fields in requires, inputs and locks', () => {
    expect(
      references((f) => (f.transitions[3].requires = ['reason', 'createdAt', 'total', 'stage'])),
    ).toEqual([
      { path: at('transitions[3].requires[0]'), message: "no field 'reason' in entity 'quote'" },
      { path: at('transitions[3].requires[1]'), message: "'createdAt' is a system field" },
      {
        path: at('transitions[3].requires[2]'),
        message: "'quote.total' is a computed formula field",
      },
      {
        path: at('transitions[3].requires[3]'),
        message: "'stage' is the state field: only transitions move it",
      },
    ])
    expect(references((f) => (f.transitions[2].inputs = ['code']))).toEqual([
      {
        path: at('transitions[2].inputs[0]'),
        message: "'quote.code' is a computed autoNumber field",
      },
    ])
    expect(references((f) => f.states[1].lock!.editable.push('nope', 'lines'))).toEqual([
      { path: at('states[1].lock.editable[1]'), message: "no field 'nope' in entity 'quote'" },
    ])
  })

  it('refuses set effects on unknown or computed fields', () => {
    const issues = references((f) => {
      f.transitions[1].effects = [{ type: 'set', params: { values: { total: 1, missing: 2 } } }]
    })
    expect(issues).toEqual([
      {
        path: at('transitions[1].effects[0].params.values.total'),
        message: "'quote.total' is a computed formula field",
      },
      {
        path: at('transitions[1].effects[0].params.values.missing'),
        message: "no field 'missing' in entity 'quote'",
      },
    ])
  })

  it('checks a create effect: entity, fields, child tables and the link back', () => {
    const create = (f: Flow) =>
      (
        f.transitions[2].effects![0] as Extract<
          NonNullable<Flow['transitions'][number]['effects']>[number],
          { type: 'create' }
        >
      ).params
    const effect = at('transitions[2].effects[0].params')
    expect(references((f) => (create(f).entity = 'invoice'))).toEqual([
      { path: `${effect}.entity`, message: "no entity 'invoice'" },
    ])
    expect(references((f) => Object.assign(create(f).values, { code: 'x', amount: 1 }))).toEqual([
      {
        path: `${effect}.values.code`,
        message: "'salesOrder.code' is a computed autoNumber field",
      },
      { path: `${effect}.values.amount`, message: "no field 'amount' in entity 'salesOrder'" },
    ])
    expect(
      references((f) => Object.assign(create(f).children![0], { from: 'title', to: 'customer' })),
    ).toEqual([
      {
        path: `${effect}.children[0].from`,
        message: "'quote.title' is a text field, not childTable",
      },
      {
        path: `${effect}.children[0].to`,
        message: "'salesOrder.customer' is a text field, not childTable",
      },
    ])
    expect(references((f) => (create(f).children![0].values.discount = 1))).toEqual([
      {
        path: `${effect}.children[0].values.discount`,
        message: "no field 'discount' in entity 'salesOrderLine'",
      },
    ])
    expect(references((f) => (create(f).linkBack = 'owner'))).toEqual([
      {
        path: `${effect}.linkBack`,
        message: "must be a reference field of 'quote' to 'salesOrder'",
      },
    ])
  })

  it('checks approver roles, user and department fields, and timeout calendars', () => {
    const issues = references((f) => {
      step(f, 'director').approvers = [
        { role: 'ceo' },
        { field: 'title' },
        { managerChain: { upToRole: 'vp' } },
        { submitterPick: { role: 'board' } },
      ]
      step(f, 'finance').approvers = [{ departmentHead: { field: 'owner' } }]
      step(f, 'manager').timeout!.calendar = 'mars-office'
      f.transitions[0].approval!.cc = [{ field: 'department' }]
    })
    expect(issues).toEqual([
      {
        path: at('transitions[0].approval.cc[0].field'),
        message: expect.stringContaining('not user'),
      },
      { path: at(`${STEPS}[0].timeout.calendar`), message: "no calendar 'mars-office'" },
      { path: at(`${DIRECTOR}.approvers[0].role`), message: "no role 'ceo'" },
      {
        path: at(`${DIRECTOR}.approvers[1].field`),
        message: "'quote.title' is a text field, not user",
      },
      { path: at(`${DIRECTOR}.approvers[2].managerChain.upToRole`), message: "no role 'vp'" },
      { path: at(`${DIRECTOR}.approvers[3].submitterPick.role`), message: "no role 'board'" },
      {
        path: at(`${FINANCE}.approvers[0].departmentHead.field`),
        message: "'quote.owner' is a user field, not department",
      },
    ])
  })

  it('lets completion rules read fields, $user, the counts and history; names an unknown name', () => {
    const approvedBy: Rule = {
      some: [{ var: 'history' }, { '==': [{ var: 'byUsername' }, 'cfo'] }],
    }
    const known: ApprovalStep['complete'] = {
      approve: { and: [approvedBy, { '>': [{ var: 'discount' }, { var: 'approved' }] }] },
      reject: { or: [{ var: 'rejected' }, { var: '$user.roles' }, { var: 'lines.0.qty' }] },
    }
    expect(references((f) => (step(f, 'finance').complete = known))).toEqual([])
    const unknown: ApprovalStep['complete'] = {
      approve: { some: [{ var: 'histroy' }, { '==': [{ var: 'action' }, 'approve'] }] },
      reject: { '>': [{ var: ['rejections', 0] }, 1] },
    }
    expect(references((f) => (step(f, 'finance').complete = unknown))).toEqual([
      {
        path: at(`${FINANCE}.complete.approve`),
        message:
          "no field 'histroy' in entity 'quote' (completion rules also see approved, rejected, " +
          'total, pending, history, $user)',
      },
      {
        path: at(`${FINANCE}.complete.reject`),
        message: expect.stringContaining("no field 'rejections' in entity 'quote'"),
      },
    ])
  })

  it('allows one flow per entity', () => {
    const bundle = flowBundle()
    bundle.flows!.push({ ...quoteFlow(), id: 'quote-flow-2' })
    expect(validateReferences(bundle)).toEqual([
      { path: 'flows[quote-flow-2].entity', message: "'quote' already has flow 'quote-flow'" },
    ])
  })

  it('names a flow id used twice', () => {
    const bundle = flowBundle()
    bundle.flows!.push({ ...quoteFlow(), entity: 'salesOrder' })
    expect(validateReferences(bundle)).toContainEqual({
      path: 'flows[quote-flow].id',
      message: "id 'quote-flow' is used by 2 flows",
    })
  })
})
