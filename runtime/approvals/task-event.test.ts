import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors'
import { toTaskEvent } from './task-event'

const ME = '11111111-1111-4111-8111-111111111111'
const OTHER = '22222222-2222-4222-8222-222222222222'

/** The paths a refused input names. */
function refusedPaths(fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof ValidationError) return err.details.map((d) => d.path)
    throw err
  }
  throw new Error('accepted')
}

describe('toTaskEvent', () => {
  it('builds an approval with the trimmed comment', () => {
    expect(toTaskEvent('approve', 't1', { comment: ' ok ' }, ME)).toEqual({
      type: 'approve',
      task: 't1',
      actor: ME,
      comment: 'ok',
    })
  })

  it('leaves a missing comment on a rejection or a return to the core, which words it', () => {
    expect(toTaskEvent('reject', 't1', {}, ME)).toMatchObject({ comment: undefined })
    expect(toTaskEvent('return', 't1', { comment: '  ' }, ME)).toMatchObject({
      comment: undefined,
    })
    expect(refusedPaths(() => toTaskEvent('reject', 't1', { comment: 3 }, ME))).toEqual(['comment'])
  })

  it('returns to the previous step by default, or to the submitter or a named step', () => {
    const c = { comment: 'fix it' }
    expect(toTaskEvent('return', 't1', c, ME)).toMatchObject({ to: 'previous' })
    expect(toTaskEvent('return', 't1', { ...c, to: 'submitter' }, ME)).toMatchObject({
      to: 'submitter',
    })
    expect(toTaskEvent('return', 't1', { ...c, step: 'manager' }, ME)).toMatchObject({
      to: { step: 'manager' },
    })
    expect(refusedPaths(() => toTaskEvent('return', 't1', { ...c, to: 'nowhere' }, ME))).toEqual([
      'to',
    ])
  })

  it('delegates to another user, never to the actor', () => {
    expect(toTaskEvent('delegate', 't1', { to: OTHER.toUpperCase() }, ME)).toMatchObject({
      type: 'delegate',
      to: OTHER,
    })
    expect(refusedPaths(() => toTaskEvent('transfer', 't1', { to: ME }, ME))).toEqual(['to'])
    expect(refusedPaths(() => toTaskEvent('transfer', 't1', { to: 'bob' }, ME))).toEqual(['to'])
  })

  it('adds signers without repeats and names the bad entry', () => {
    expect(toTaskEvent('addSigner', 't1', { users: [OTHER, OTHER] }, ME)).toMatchObject({
      users: [OTHER],
    })
    expect(refusedPaths(() => toTaskEvent('addSigner', 't1', { users: [] }, ME))).toEqual(['users'])
    expect(refusedPaths(() => toTaskEvent('addSigner', 't1', { users: [OTHER, 3] }, ME))).toEqual([
      'users[1]',
    ])
  })

  it('refuses a field the action does not read', () => {
    expect(refusedPaths(() => toTaskEvent('approve', 't1', { to: OTHER }, ME))).toEqual(['to'])
  })
})
