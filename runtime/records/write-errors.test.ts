import { describe, expect, it } from 'vitest'
import { ConflictError } from '../errors'
import type { EntityPlan } from './entity-plan'
import { toWriteError } from './write-errors'

// toWriteError reads only `stored` (to name the field behind a column).
const plan = { stored: [] } as unknown as EntityPlan

describe('toWriteError', () => {
  it('answers a deadlock between two writers (row lock and dedup key) with 409, not 500', () => {
    const error = toWriteError(plan, { code: '40P01', message: 'deadlock detected' })
    expect(error).toBeInstanceOf(ConflictError)
    expect((error as ConflictError).status).toBe(409)
  })

  it('passes an error it does not know through unchanged', () => {
    const unknown = { code: '57014', message: 'canceling statement due to statement timeout' }
    expect(toWriteError(plan, unknown)).toBe(unknown)
  })
})
