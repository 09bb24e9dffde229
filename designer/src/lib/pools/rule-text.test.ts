import { describe, expect, it } from 'vitest'
import type { Pool } from '$metadata/pool'
import { toRuleText } from './rule-text'

const byRegion = {
  type: 'assignment',
  id: 'ticket-by-region',
  label: { en: 'Tickets by region', 'zh-CN': '工单按区域分派', ko: '지역별 티켓 배정' },
  entity: 'ticket',
  strategy: 'leastLoad',
} as unknown as Pool

describe('the assignment rule a history entry names', () => {
  it('names the rule by its label and says how it chose the owner', () => {
    expect(toRuleText('ticket-by-region:fallback', [byRegion])).toEqual({
      labels: byRegion.label,
      id: 'ticket-by-region',
      how: 'history.how.fallback',
    })
    expect(toRuleText('ticket-by-region:leastLoad', [byRegion]).how).toBe('history.how.leastLoad')
  })

  it('keeps the id of a rule no longer published, and no manner it does not know', () => {
    expect(toRuleText('lead-east:roundRobin', [byRegion])).toEqual({
      labels: null,
      id: 'lead-east',
      how: 'history.how.roundRobin',
    })
    expect(toRuleText('odd', [byRegion])).toEqual({ labels: null, id: 'odd', how: null })
    expect(toRuleText('ticket-by-region:byMagic', [byRegion]).how).toBeNull()
  })
})
