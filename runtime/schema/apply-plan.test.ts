import { describe, expect, it } from 'vitest'
import { ConflictError } from '../errors'
import { toApplyError } from './apply-plan'
import type { PlanStepView } from './plan'

const step: PlanStepView = {
  kind: 'createIndex',
  entity: 'customer',
  field: 'code',
  description: 'unique index customer_code_key',
  destructive: false,
  sql: 'create unique index …',
}

describe('toApplyError', () => {
  it('turns duplicates refusing a unique index into a 409 naming the field', () => {
    const err = toApplyError(step, {
      code: '23505',
      detail: 'Key (code)=(C-1) is duplicated.',
    }) as ConflictError
    expect(err).toBeInstanceOf(ConflictError)
    expect(err.status).toBe(409)
    expect(err.message).toContain('customer')
    expect(err.details).toEqual([
      {
        path: 'customer.code',
        message: 'must be unique, but existing rows share a value (Key (code)=(C-1) is duplicated)',
      },
    ])
  })

  it('names the entity alone when the step is about several fields', () => {
    const err = toApplyError({ ...step, field: undefined }, { code: '23502' }) as ConflictError
    expect(err.details[0].path).toBe('customer')
  })

  it('passes other failures through unchanged', () => {
    const failure = Object.assign(new Error('connection reset'), { code: '08006' })
    expect(toApplyError(step, failure)).toBe(failure)
    const plain = new Error('bug')
    expect(toApplyError(step, plain)).toBe(plain)
  })
})
