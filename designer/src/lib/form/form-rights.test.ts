import { describe, expect, it } from 'vitest'
import { withRights } from './form-rights'

const open = { visible: true, required: false, readOnly: false }

describe('withRights', () => {
  it('makes the fields the caller may only read read-only, and leaves the rest', () => {
    const state = withRights(
      { subject: open, managerComment: open },
      true,
      new Set(['managerComment']),
    )
    expect(state.subject.readOnly).toBe(false)
    expect(state.managerComment.readOnly).toBe(true)
  })

  it('makes every field read-only when the caller may not save', () => {
    const state = withRights({ name: open, budget: { ...open, required: true } }, false, new Set())
    expect(Object.values(state).map((s) => s.readOnly)).toEqual([true, true])
    expect(state.budget.required).toBe(true)
  })
})
