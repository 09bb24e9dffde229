import { describe, expect, it } from 'vitest'
import { ApiError } from '$lib/api/client'
import { conflictKey } from './flow-refusal'

describe('conflictKey', () => {
  it('tells a decided step from a stale record, and leaves other errors alone', () => {
    expect(conflictKey(new ApiError(409, 'ALREADY_DECIDED', 'x'))).toBe('flow.alreadyDecided')
    expect(conflictKey(new ApiError(409, 'conflict', 'stale'))).toBe('flow.conflict')
    expect(conflictKey(new ApiError(422, 'validation', 'bad'))).toBeNull()
    expect(conflictKey(new Error('x'))).toBeNull()
  })
})
