import { describe, expect, it } from 'vitest'
import type { Field } from '$metadata/field'
import type { Flow } from '$metadata/flow'
import type { TransitionView } from '$lib/api/flows'
import { boardColumns, boardNeedsDialog, planDrop, reachableStates } from './flow-board'

const flow = {
  id: 'stages',
  entity: 'opportunity',
  stateField: 'stage',
  label: { en: 'Stages' },
  states: [{ id: 'open', initial: true }, { id: 'proposal' }, { id: 'won' }, { id: 'lost' }],
  transitions: [
    { id: 'propose', label: { en: 'Propose' }, from: ['open'], to: 'proposal' },
    { id: 'win', label: { en: 'Win' }, from: ['proposal'], to: 'won', requires: ['amount'] },
    {
      id: 'lose',
      label: { en: 'Lose' },
      from: ['open', 'proposal'],
      to: 'lost',
      requires: ['lostReason'],
      style: 'danger',
    },
  ],
} as Flow

const option = (id: string, extra: Partial<TransitionView> = {}): TransitionView => ({
  id,
  available: true,
  ...extra,
})

describe('board drops on a flow field', () => {
  it('lists the columns a state leads to', () => {
    expect(reachableStates(flow, 'open')).toEqual(new Set(['proposal', 'lost']))
    expect(reachableStates(flow, 'won')).toEqual(new Set())
  })

  it('fires the transition leading to the column when nothing is missing', () => {
    const options = [option('propose'), option('lose', { requires: ['lostReason'] })]
    expect(planDrop(flow, options, {}, 'open', 'proposal')).toEqual({
      kind: 'fire',
      transition: options[0],
    })
    expect(planDrop(flow, options, {}, 'open', 'open')).toEqual({ kind: 'same' })
  })

  it('asks first for an empty required field, a required comment or a dangerous move', () => {
    const win = option('win', { requires: ['amount'] })
    expect(planDrop(flow, [win], { amount: null }, 'proposal', 'won').kind).toBe('dialog')
    expect(planDrop(flow, [win], { amount: { amount: 5 } }, 'proposal', 'won').kind).toBe('fire')
    const lose = option('lose', { requires: ['lostReason'], style: 'danger' })
    expect(planDrop(flow, [lose], { lostReason: 'price' }, 'proposal', 'lost').kind).toBe('dialog')
    expect(boardNeedsDialog(option('x', { comment: 'required' }), {})).toBe(true)
    expect(boardNeedsDialog(option('x', { inputs: ['note'] }), {})).toBe(true)
    expect(boardNeedsDialog(option('x', { comment: 'optional' }), {})).toBe(false)
  })

  it('refuses a column no transition reaches, or one the caller may not fire now', () => {
    expect(planDrop(flow, [option('propose')], {}, 'open', 'won')).toEqual({
      kind: 'refuse',
      reason: 'none',
    })
    const held = [option('win', { available: false, reason: 'guard' })]
    expect(planDrop(flow, held, {}, 'proposal', 'won')).toEqual({ kind: 'refuse', reason: 'guard' })
    // Listed by the definition but not by the API for this caller: not theirs.
    expect(planDrop(flow, [], {}, 'proposal', 'won')).toEqual({ kind: 'refuse', reason: 'scope' })
  })
})

describe('board columns', () => {
  const field = {
    name: 'stage',
    type: 'select',
    label: { en: 'Stage' },
    options: [
      { value: 'won', label: { en: 'Won' }, color: 'green' },
      { value: 'open', label: { en: 'Open' } },
      { value: 'proposal', label: { en: 'Proposal' } },
      { value: 'lost', label: { en: 'Lost' } },
    ],
  } as Field

  it('follows the flow when it governs the field, the options otherwise', () => {
    const governed = boardColumns(field, flow)
    expect(governed.map((c) => c.id)).toEqual(['open', 'proposal', 'won', 'lost'])
    expect(governed[2]).toEqual({ id: 'won', label: { en: 'Won' }, color: 'green' })
    expect(boardColumns(field, null).map((c) => c.id)).toEqual(['won', 'open', 'proposal', 'lost'])
  })
})
