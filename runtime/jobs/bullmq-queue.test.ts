import { describe, expect, it } from 'vitest'
import { toJobId, toKey } from './bullmq-queue'

describe('BullMQ job ids', () => {
  const keys = ['timer:42', '42', '%3A', '%', ':', 'a%25b:c', 'k-x', '客户:7', '']

  it('never contain a colon and never read as an integer', () => {
    for (const key of keys) {
      const id = toJobId(key)
      expect(id).not.toContain(':')
      expect(`${parseInt(id, 10)}`).not.toBe(id)
    }
  })

  it('give two different keys two different ids, and give each key back', () => {
    const ids = keys.map(toJobId)
    expect(new Set(ids).size).toBe(keys.length)
    expect(ids.map(toKey)).toEqual(keys)
  })
})
