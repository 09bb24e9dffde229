import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { watchUnread } from './unread-feed'

/** A stand-in for the browser's EventSource: the test plays the server's side of the stream. */
class FakeStream {
  static last: FakeStream | undefined
  closed = false
  listeners = new Map<string, ((event: { data?: string }) => void)[]>()
  constructor(public url: string) {
    FakeStream.last = this
  }
  addEventListener(type: string, listener: (event: { data?: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }
  emit(type: string, data?: string) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data })
  }
  close() {
    this.closed = true
  }
}

describe('the unread feed', () => {
  beforeEach(() => vi.stubGlobal('EventSource', FakeStream))
  afterEach(() => vi.unstubAllGlobals())

  it('passes on counts and, once signed out, closes the stream and says so once', () => {
    const counts: number[] = []
    let signedOut = 0
    const stop = watchUnread((n) => counts.push(n), {
      url: '/stream',
      onSignedOut: () => signedOut++,
    })
    const stream = FakeStream.last!
    stream.emit('open')
    stream.emit('unread', JSON.stringify({ count: 3 }))
    stream.emit('signedOut', '{}')
    expect(counts).toEqual([3])
    expect(stream.closed).toBe(true)
    expect(signedOut).toBe(1)
    stop()
  })
})
