import { describe, expect, it } from 'vitest'
import { relativeTime } from './relative-time'

const NOW = new Date('2026-03-01T09:00:00Z')

describe('relativeTime', () => {
  it('says how long ago in the reader’s language', () => {
    expect(relativeTime('2026-03-01T08:55:00Z', NOW, 'en')).toBe('5 minutes ago')
    expect(relativeTime('2026-03-01T08:55:00Z', NOW, 'zh-CN')).toBe('5分钟前')
    expect(relativeTime('2026-03-01T08:55:00Z', NOW, 'ko')).toBe('5분 전')
  })

  it('picks the largest whole unit and says now under a minute', () => {
    expect(relativeTime('2026-02-28T09:00:00Z', NOW, 'en')).toBe('yesterday')
    expect(relativeTime('2026-03-01T06:30:00Z', NOW, 'en')).toBe('2 hours ago')
    expect(relativeTime('2026-01-01T09:00:00Z', NOW, 'en')).toBe('last month')
    expect(relativeTime('2026-03-01T08:59:40Z', NOW, 'en')).toBe('now')
  })
})
