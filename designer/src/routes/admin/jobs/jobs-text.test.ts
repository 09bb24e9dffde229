import { describe, expect, it } from 'vitest'
import { formatDateTime, formatDuration, nameKey } from './jobs-text'

describe('jobs page texts', () => {
  it('says a duration in the largest whole unit, in the reader language', () => {
    expect(formatDuration(0, 'en')).toBe('0 sec')
    expect(formatDuration(999, 'en')).toBe('0 sec')
    expect(formatDuration(59_999, 'en')).toBe('59 sec')
    expect(formatDuration(185_000, 'en')).toBe('3 min')
    expect(formatDuration(2 * 3_600_000 + 1, 'en')).toBe('2 hr')
    expect(formatDuration(3 * 86_400_000, 'en')).toBe('3 days')
    expect(formatDuration(185_000, 'zh-CN')).toBe('3分钟')
    expect(formatDuration(185_000, 'ko')).toBe('3분')
  })

  it('shows a time to the minute in the reader locale and time zone', () => {
    const at = '2026-03-01T09:05:42Z'
    expect(formatDateTime(at, 'en', 'UTC')).toBe('Mar 1, 2026, 9:05 AM')
    expect(formatDateTime(at, 'en', 'Asia/Shanghai')).toBe('Mar 1, 2026, 5:05 PM')
    expect(formatDateTime(at, 'zh-CN', 'Asia/Shanghai')).toBe('2026年3月1日 17:05')
    expect(formatDateTime(at, 'ko', 'Asia/Seoul')).toContain('2026. 3. 1.')
  })

  it('names the engine jobs and leaves other names alone', () => {
    expect(nameKey('event')).toBe('adminJobs.name.event')
    expect(nameKey('timer')).toBe('adminJobs.name.timer')
    expect(nameKey('reminder')).toBe('adminJobs.name.reminder')
    expect(nameKey('sla-warning')).toBeNull()
  })
})
