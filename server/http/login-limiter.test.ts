import { describe, expect, it } from 'vitest'
import { TooManyRequestsError } from '../../runtime/errors'
import { createLoginLimiter } from './login-limiter'

describe('login limiter', () => {
  it('refuses a key after its allowed failures until the window passes', () => {
    const limiter = createLoginLimiter({ maxFailures: 3, windowMs: 1000 })
    for (let i = 0; i < 3; i++) {
      limiter.assertAllowed('ip|ana', 0)
      limiter.recordFailure('ip|ana', 0)
    }
    expect(() => limiter.assertAllowed('ip|ana', 500)).toThrow(TooManyRequestsError)
    expect(() => limiter.assertAllowed('ip|bob', 500)).not.toThrow()
    expect(() => limiter.assertAllowed('ip|ana', 1000)).not.toThrow()
  })

  it('forgets failures after a successful login', () => {
    const limiter = createLoginLimiter({ maxFailures: 1 })
    limiter.recordFailure('k', 0)
    limiter.reset('k')
    expect(() => limiter.assertAllowed('k', 1)).not.toThrow()
  })

  it('keeps memory bounded', () => {
    const limiter = createLoginLimiter({ maxFailures: 1, maxKeys: 100 })
    for (let i = 0; i < 1000; i++) limiter.recordFailure(`k${i}`, 0)
    expect(() => limiter.assertAllowed('k999', 1)).toThrow(TooManyRequestsError)
    expect(() => limiter.assertAllowed('k0', 1)).not.toThrow()
  })
})
