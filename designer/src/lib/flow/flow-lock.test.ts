import { describe, expect, it } from 'vitest'
import type { Entity } from '$metadata/entity'
import type { Flow } from '$metadata/flow'
import { lockedFields, startState } from './flow-lock'

const entity = {
  id: 'quote',
  fields: [
    { name: 'status', type: 'select' },
    { name: 'discount', type: 'percent' },
    { name: 'note', type: 'text' },
  ],
} as unknown as Entity

const flow = (by?: 'anyone' | 'approver') =>
  ({
    id: 'q',
    entity: 'quote',
    stateField: 'status',
    states: [
      { id: 'draft', initial: true },
      { id: 'pending', lock: { editable: ['discount'], by } },
    ],
    transitions: [],
  }) as unknown as Flow

describe('lockedFields', () => {
  it('keeps only the state field read-only in a state without a lock', () => {
    expect(lockedFields(flow(), entity, { status: 'draft' }, false)).toEqual(['status'])
  })

  it('keeps every field but the editable ones read-only under a lock', () => {
    expect(lockedFields(flow(), entity, { status: 'pending' }, false)).toEqual(['status', 'note'])
  })

  it('lets only a holder of a pending task edit under an approver lock', () => {
    const f = flow('approver')
    expect(lockedFields(f, entity, { status: 'pending' }, false)).toEqual([
      'status',
      'discount',
      'note',
    ])
    expect(lockedFields(f, entity, { status: 'pending' }, true)).toEqual(['status', 'note'])
  })
})

describe('startState', () => {
  it('starts in the state marked initial, else the field default, else the first', () => {
    expect(startState(flow(), entity)).toEqual({ field: 'status', state: 'draft' })
    const unmarked = { ...flow(), states: [{ id: 'a' }, { id: 'b' }] } as unknown as Flow
    expect(startState(unmarked, entity).state).toBe('a')
    const withDefault = {
      ...entity,
      fields: [{ name: 'status', type: 'select', default: 'b' }],
    } as unknown as Entity
    expect(startState(unmarked, withDefault).state).toBe('b')
  })
})
