import { describe, expect, it } from 'vitest'
import {
  labelText,
  needsDialog,
  stateColor,
  stepperItems,
  toPerson,
  visibleTransitions,
} from './flow-view'

describe('flow view helpers', () => {
  it('picks the label in the locale, passing translated strings through', () => {
    expect(labelText({ en: 'Draft', ko: '초안' }, 'ko', 'draft')).toBe('초안')
    expect(labelText({ en: 'Draft' }, 'zh-CN', 'draft')).toBe('Draft')
    expect(labelText('草稿', 'en', 'draft')).toBe('草稿')
    expect(labelText(undefined, 'en', 'draft')).toBe('draft')
  })

  it('names people by name, and ids only for a directory look-up', () => {
    expect(toPerson({ id: 'u1', name: 'Ann' })).toEqual({ id: 'u1', name: 'Ann' })
    expect(toPerson('Ann')).toEqual({ name: 'Ann' })
    expect(toPerson('8c6e1a52-9a0b-4c1e-9a59-0f1b2c3d4e5f')).toEqual({
      id: '8c6e1a52-9a0b-4c1e-9a59-0f1b2c3d4e5f',
    })
    expect(toPerson(null)).toBeNull()
  })

  it('puts final states last and marks the current one and those passed', () => {
    const states = [
      { id: 'draft', initial: true },
      { id: 'approved', final: true },
      { id: 'pending' },
      { id: 'rejected', final: true },
    ]
    const items = stepperItems(states, 'pending', 'en')
    expect(items.map((s) => s.id)).toEqual(['draft', 'pending', 'approved', 'rejected'])
    expect(items.map((s) => s.current)).toEqual([false, true, false, false])
    expect(items.map((s) => s.passed)).toEqual([true, false, false, false])
    const done = stepperItems(states, 'approved', 'en')
    expect(done.map((s) => s.passed)).toEqual([true, true, false, false])
  })

  it('hides transitions of other states and scopes, keeps guarded ones with their reason', () => {
    const base = { requires: [], inputs: [], comment: 'optional' as const, approval: false }
    const list = visibleTransitions([
      { ...base, id: 'submit', available: true },
      { ...base, id: 'approve', available: false, reason: 'state' },
      { ...base, id: 'close', available: false, reason: 'scope' },
      { ...base, id: 'cancel', available: false, reason: 'guard' },
    ])
    expect(list.map((t) => t.id)).toEqual(['submit', 'cancel'])
  })

  it('asks first when fields, a required comment or picks are needed', () => {
    const base = { id: 'x', available: true }
    expect(needsDialog({ ...base })).toBe(false)
    expect(needsDialog({ ...base, requires: ['lostReason'] })).toBe(true)
    expect(needsDialog({ ...base, comment: 'required' })).toBe(true)
    expect(needsDialog({ ...base, picks: [{ step: 's1' }] })).toBe(true)
  })

  it('turns colour names into codes and keeps codes', () => {
    expect(stateColor('green')).toBe('#16a34a')
    expect(stateColor('#abc')).toBe('#abc')
    expect(stateColor(undefined)).toBe('var(--accent)')
  })
})
