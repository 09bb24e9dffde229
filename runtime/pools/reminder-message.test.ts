import { describe, expect, it } from 'vitest'
import { reminderTitle } from './reminder-message'

const pool = { id: 'east', label: { en: 'East pool', 'zh-CN': '华东公海', ko: '동부 풀' } }
// 20:00 UTC on the 15th is already the 16th in Shanghai and Seoul, still the 15th in New York.
const due = new Date('2026-07-15T20:00:00Z')

describe('reminderTitle', () => {
  it('writes the reminder in Chinese with the day as it falls in the instance time zone', () => {
    expect(reminderTitle(pool, due, 'zh-CN', 'Asia/Shanghai')).toBe(
      '如无跟进，将于2026年7月16日退回华东公海',
    )
  })

  it('writes it in Korean and in English, each with the local day', () => {
    expect(reminderTitle(pool, due, 'ko', 'Asia/Seoul')).toBe(
      '후속 조치가 없으면 2026. 7. 16.에 동부 풀(으)로 반환됩니다',
    )
    expect(reminderTitle(pool, due, 'en', 'America/New_York')).toBe(
      'Returns to East pool on Jul 15, 2026 without a follow-up',
    )
  })

  it('falls back to English words and label for a language it does not speak', () => {
    expect(reminderTitle({ id: 'east', label: { en: 'East' } }, due, 'fr', 'UTC')).toBe(
      'Returns to East on Jul 15, 2026 without a follow-up',
    )
  })
})
