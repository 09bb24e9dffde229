import { describe, expect, it } from 'vitest'
import type { Pool } from '$metadata/pool'
import { en } from '../i18n/en'
import { ko } from '../i18n/ko'
import { zhCN } from '../i18n/zh-CN'
import { RECLAIM_REASONS, toReasonLabels, toReasonText } from './reason-labels'

const east = {
  type: 'pool',
  id: 'east',
  label: { en: 'East' },
  entity: 'customer',
  returnReasons: [
    { value: 'wrongContact', label: { en: 'Wrong contact', 'zh-CN': '联系方式错误' } },
  ],
} as Pool

describe('history reasons', () => {
  it('names a pool return reason by the published definition’s label', () => {
    const labels = toReasonLabels([east])
    expect(toReasonText('wrongContact', labels)).toEqual({
      labels: { en: 'Wrong contact', 'zh-CN': '联系方式错误' },
    })
  })

  it('names an automatic reclaim by its own message, and leaves an unknown reason as typed', () => {
    expect(toReasonText('noFollowUp', new Map())).toEqual({ key: 'history.reason.noFollowUp' })
    expect(toReasonText('noDeal', new Map())).toEqual({ key: 'history.reason.noDeal' })
    expect(toReasonText('moved away', new Map())).toEqual({ raw: 'moved away' })
  })

  it('has every reclaim reason in English, Chinese and Korean', () => {
    for (const key of Object.values(RECLAIM_REASONS))
      for (const messages of [en, zhCN, ko]) expect(messages[key]).toMatch(/\S/)
  })

  it('skips assignment rules, which have no return reasons', () => {
    const rule = { type: 'assignment', id: 'rr', entity: 'customer' } as unknown as Pool
    expect([...toReasonLabels([rule, east]).keys()]).toEqual(['wrongContact'])
  })
})
