import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor } from './cursor'

describe('list cursors', () => {
  it('round-trips the sort values and id', () => {
    const c = { sort: '-createdAt', values: ['2026-01-01 00:00:00+00', null], id: 'x' }
    expect(decodeCursor(encodeCursor(c), '-createdAt', 2)).toEqual(c)
  })

  it('rejects garbage with a 400 on cursor', () => {
    expect(() => decodeCursor('%%%', '-createdAt', 1)).toThrow(/Invalid cursor/)
    expect(() => decodeCursor(Buffer.from('{"a":1}').toString('base64url'), 's', 1)).toThrow(
      /Invalid cursor/,
    )
  })

  it('rejects a cursor made for another sort', () => {
    const text = encodeCursor({ sort: 'name', values: ['a'], id: 'x' })
    expect(() => decodeCursor(text, '-name', 1)).toThrow(/another sort/)
  })
})
