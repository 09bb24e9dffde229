import { describe, expect, it } from 'vitest'
import { en } from '$lib/i18n/en'
import { ko } from '$lib/i18n/ko'
import { zhCN } from '$lib/i18n/zh-CN'
import {
  actionKey,
  modeKey,
  statusKey,
  TASK_ACTIONS,
  taskActionKey,
  taskStatusKey,
  whenText,
} from './approval-text'

describe('approval texts', () => {
  it('has a message in every language for every action, status and button', () => {
    const keys = [
      ...['submit', 'approve', 'reject', 'return', 'recall', 'resubmit', 'escalate'].map(actionKey),
      ...['running', 'approved', 'rejected', 'recalled'].map(statusKey),
      ...['waiting', 'pending', 'approved', 'rejected', 'returned', 'cancelled'].map(taskStatusKey),
      ...TASK_ACTIONS.map(taskActionKey),
      modeKey('all'),
    ]
    for (const key of keys) {
      expect(key).not.toBeNull()
      for (const dict of [en, zhCN, ko] as Record<string, string>[]) expect(dict[key!]).toBeTruthy()
    }
  })

  it('reads an unknown action as "acted" and unknown statuses as none', () => {
    expect(actionKey('teleport')).toBe('approval.action.other')
    expect(statusKey('weird')).toBeNull()
    expect(taskActionKey('explode')).toBeNull()
  })

  it('writes a time in the reader language, and nothing for none', () => {
    const at = '2026-03-02T01:30:00Z'
    expect(whenText(at, 'ko')).toBe(
      new Intl.DateTimeFormat('ko', { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(at),
      ),
    )
    expect(whenText(null, 'en')).toBe('')
    expect(whenText('not a date', 'en')).toBe('')
  })
})
