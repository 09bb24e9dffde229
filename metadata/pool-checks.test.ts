import { describe, expect, it } from 'vitest'
import type { Entity } from './entity'
import type { AssignmentRule, PoolDefinition } from './pool'
import { validatePoolReferences } from './pool-references'
import { validateDefinition } from './validate'

const label = { en: 'x' }
const pool: PoolDefinition = {
  type: 'pool',
  id: 'east',
  label,
  entity: 'customer',
  levelField: 'level',
  members: { roles: ['sales'] },
  limits: { claimsPerDay: 5, held: 50, heldByLevel: { A: 5 } },
  reclaim: {
    followUp: { entity: 'followUp', field: 'customer' },
    rules: [{ levels: ['A'], noFollowUpDays: 30, remindDaysBefore: 3 }, { noFollowUpDays: 15 }],
  },
  returnReasons: [{ value: 'noNeed', label }],
}
const rule: AssignmentRule = {
  type: 'assignment',
  id: 'leads',
  label,
  entity: 'lead',
  strategy: 'roundRobin',
  team: { roles: ['sales'] },
}
const paths = (kind: 'pool', doc: unknown) => validateDefinition(kind, doc).map((i) => i.path)

describe('the pool kind', () => {
  it('accepts a full pool and an assignment rule', () => {
    expect(validateDefinition('pool', pool)).toEqual([])
    expect(validateDefinition('pool', rule)).toEqual([])
  })

  it('rejects unknown properties and types at their paths', () => {
    expect(paths('pool', { ...pool, colour: 'red' }).join()).toContain('colour')
    expect(paths('pool', { ...rule, strategy: 'random' })).toContain('strategy')
    expect(paths('pool', { ...pool, cooldownDays: 0 })).toContain('cooldownDays')
  })

  it('names parts that need one another', () => {
    const { levelField: _l, ...noLevel } = pool
    expect(paths('pool', noLevel)).toEqual(['limits.heldByLevel', 'reclaim.rules[0].levels'])
    expect(paths('pool', { ...pool, reclaim: { rules: [{ noFollowUpDays: 3 }] } })).toEqual([
      'reclaim.rules[0].noFollowUpDays',
    ])
    const early = { ...pool.reclaim!, rules: [{ noFollowUpDays: 3, remindDaysBefore: 3 }] }
    expect(paths('pool', { ...pool, reclaim: early })).toEqual([
      'reclaim.rules[0].remindDaysBefore',
    ])
    expect(paths('pool', { ...pool, timeZone: 'Mars/Olympus' })).toEqual(['timeZone'])
    const twice = [...pool.returnReasons!, ...pool.returnReasons!]
    expect(paths('pool', { ...pool, returnReasons: twice })).toEqual(['returnReasons[1].value'])
    expect(paths('pool', { ...rule, team: undefined })).toEqual(['team'])
    expect(paths('pool', { ...rule, strategy: 'byField' })).toEqual(['byField', 'team'])
    expect(paths('pool', { ...rule, capacity: 5 })).toEqual(['capacity'])
  })
})

describe('pool references', () => {
  const text = (name: string) => ({ name, type: 'text' as const, label })
  const customer: Entity = {
    id: 'customer',
    label,
    ownerField: 'owner',
    fields: [text('pool'), text('level'), { name: 'owner', type: 'user', label }],
  }
  const followUp: Entity = {
    id: 'followUp',
    label,
    fields: [{ name: 'customer', type: 'text', label }],
  }
  const entities = new Map([
    ['customer', customer],
    ['followUp', followUp],
  ])

  it('names a reference field that does not point back at the entity, and unknown roles', () => {
    const roles = new Map()
    expect(validatePoolReferences(pool, { entities, roles }).map((i) => i.path)).toEqual([
      'members.roles[0]',
      'reclaim.followUp.field',
    ])
  })

  it('names a missing entity and an owner field of the wrong type', () => {
    expect(validatePoolReferences(rule, { entities })).toEqual([
      { path: 'entity', message: "no entity 'lead'" },
    ])
    const lead: Entity = { id: 'lead', label, ownerField: 'name', fields: [text('name')] }
    const found = validatePoolReferences(rule, { entities: new Map([['lead', lead]]) })
    expect(found.map((i) => i.path)).toEqual(['ownerField'])
  })
})
