import { describe, expect, it } from 'vitest'
import type { ApprovalBranches, ApprovalStep, CreateEffect, Flow } from './flow'
import { flowBundle, quoteFlow } from './flow-fixtures'
import { validateReferences } from './references'
import type { Rule } from './rule'

const issuesOf = (change: (flow: Flow) => void) => {
  const flow = quoteFlow()
  change(flow)
  return validateReferences(flowBundle(flow))
}
const at = (path: string) => `flows[quote-flow].${path}`
const over = (name: string): Rule => ({ '>': [{ var: name }, 0] })

// The fixture's transitions: 0 submit (approval), 1 send (set), 2 accept (create), 3 lose.
const STEPS = 'transitions[0].approval.steps'
const submit = (f: Flow) => f.transitions[0].approval!
const manager = (f: Flow) => submit(f).steps[0] as ApprovalStep
const byDiscount = (f: Flow) => submit(f).steps[1] as ApprovalBranches
const convert = (f: Flow) => f.transitions[2].effects![0] as CreateEffect

const CONDITIONS = '(conditions also see $user)'
const EFFECTS = '(effect values also see $user, $now, $today, $created)'

describe('the names a flow rule reads', () => {
  it('refuses a typo in a guard, naming the guard and what conditions see', () => {
    expect(issuesOf((f) => (f.transitions[3].guard = over('amout')))).toEqual([
      {
        path: at('transitions[3].guard'),
        message: `no field 'amout' in entity 'quote' ${CONDITIONS}`,
      },
    ])
  })

  it('refuses a typo among the names missing and missing_some test', () => {
    const issues = issuesOf((f) => {
      f.transitions[3].guard = { '!': { missing: ['discount', 'discont'] } }
      submit(f).when = { missing_some: [1, ['titel', 'discount']] }
    })
    expect(issues).toEqual([
      { path: at('transitions[0].approval.when'), message: expect.stringContaining("'titel'") },
      {
        path: at('transitions[3].guard'),
        message: `no field 'discont' in entity 'quote' ${CONDITIONS}`,
      },
    ])
  })

  it("refuses a typo in an approval's entry criteria, a step's when and a branch's when", () => {
    const issues = issuesOf((f) => {
      submit(f).when = over('discont')
      manager(f).when = { and: [over('$user.roles'), over('titel')] }
      byDiscount(f).branches[1]!.when = over('lostReson')
    })
    expect(issues).toEqual([
      { path: at('transitions[0].approval.when'), message: expect.stringContaining("'discont'") },
      { path: at(`${STEPS}[0].when`), message: `no field 'titel' in entity 'quote' ${CONDITIONS}` },
      { path: at(`${STEPS}[1].branches[1].when`), message: expect.stringContaining("'lostReson'") },
    ])
  })

  it('refuses the names only effects see ($now, $created) in a condition', () => {
    expect(issuesOf((f) => (f.transitions[3].guard = over('$now')))).toEqual([
      {
        path: at('transitions[3].guard'),
        message: `no field '$now' in entity 'quote' ${CONDITIONS}`,
      },
    ])
  })

  it('lets conditions read fields, system keys, child rows, dotted paths and $user', () => {
    const known: Rule = {
      and: [
        { '==': [{ var: 'createdBy' }, { var: '$user.id' }] },
        { some: [{ var: 'lines' }, { '>': [{ var: 'quantity' }, 1] }] },
        over('lines.0.quantity'),
        { in: ['sales', { var: ['$user.roles', []] }] },
      ],
    }
    const issues = issuesOf((f) => {
      f.transitions[3].guard = known
      submit(f).when = known
      manager(f).when = known
      byDiscount(f).branches[1]!.when = known
    })
    expect(issues).toEqual([])
  })

  it('refuses a typo in a set value and a $created that no earlier create effect made', () => {
    const issues = issuesOf((f) => {
      f.transitions[1].effects![0]!.params.values.title = { cat: [{ var: 'tilte' }, '!'] }
      f.transitions[1].effects!.push({
        type: 'set',
        params: { values: { customer: { var: '$created.order' } } },
      })
    })
    expect(issues).toEqual([
      {
        path: at('transitions[1].effects[0].params.values.title'),
        message: `no field 'tilte' in entity 'quote' ${EFFECTS}`,
      },
      {
        path: at('transitions[1].effects[1].params.values.customer'),
        message: "no earlier create effect is named 'order' (no create effect runs before)",
      },
    ])
  })

  it('checks create values over the source and copied rows over the row and $parent', () => {
    const issues = issuesOf((f) => {
      const params = convert(f).params
      params.values.customer = { var: 'custmer' }
      params.children![0]!.values.product = { var: 'prodcut' }
      params.children![0]!.values.quantity = { var: '$parent.titel' }
    })
    const CHILD = 'transitions[2].effects[0].params.children[0].values'
    expect(issues).toEqual([
      {
        path: at('transitions[2].effects[0].params.values.customer'),
        message: `no field 'custmer' in entity 'quote' ${EFFECTS}`,
      },
      {
        path: at(`${CHILD}.product`),
        message:
          "no field 'prodcut' in entity 'quoteLine' (copied row values also see $parent, $user)",
      },
      { path: at(`${CHILD}.quantity`), message: `no field 'titel' in entity 'quote' ${EFFECTS}` },
    ])
  })

  it('lets effects read $now, $today, $user and what earlier create effects made', () => {
    const issues = issuesOf((f) => {
      const params = convert(f).params
      params.values.customer = { cat: [{ var: '$user.username' }, ' ', { var: '$today' }] }
      params.children![0]!.values.product = {
        cat: [
          { var: 'id' },
          { var: '$parent.title' },
          { var: '$parent.$now' },
          { var: '$user.id' },
        ],
      }
      f.transitions[2].effects!.push({
        type: 'set',
        params: { values: { title: { cat: [{ var: '$created.order' }, { var: '$now' }] } } },
      })
    })
    expect(issues).toEqual([])
  })

  it('names one issue per unknown name, however often a rule reads it', () => {
    const twice: Rule = { or: [over('amout'), { '<': [{ var: 'amout' }, { var: 'discont' }] }] }
    expect(issuesOf((f) => (f.transitions[3].guard = twice)).map((i) => i.message)).toEqual([
      expect.stringContaining("'amout'"),
      expect.stringContaining("'discont'"),
    ])
  })
})
