import { describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import { MAX_ALERT_CHAIN, isAlertLoop, parseAlertOrigin, toAlertOrigin } from './alert-origin'

const alert = (id: string, withActions: boolean): Alert => ({
  id,
  label: { en: id },
  entity: 'deal',
  trigger: { type: 'updated' },
  recipients: [{ type: 'owner' }],
  channels: [{ type: 'inApp' }],
  template: { en: { title: 't', body: 'b' } },
  ...(withActions ? { actions: [{ type: 'setField', field: 'stage', value: 'x' }] } : {}),
})

describe('alert origins', () => {
  it('writes and reads the chain of alerts behind a write', () => {
    expect(toAlertOrigin(['mark-overdue', 'escalate'])).toBe('alert:mark-overdue>escalate')
    expect(parseAlertOrigin('alert:mark-overdue>escalate')).toEqual(['mark-overdue', 'escalate'])
    expect(parseAlertOrigin('req-42')).toEqual([])
    expect(parseAlertOrigin(null)).toEqual([])
  })

  it('keeps an alert off writes its own actions led to, and long chains from growing', () => {
    expect(isAlertLoop(alert('stamp', true), ['stamp'])).toBe(true)
    expect(isAlertLoop(alert('stamp', true), ['echo', 'stamp'])).toBe(true)
    expect(isAlertLoop(alert('stamp', true), ['echo'])).toBe(false)
    const long = Array.from({ length: MAX_ALERT_CHAIN }, (_, i) => `a${i}`)
    expect(isAlertLoop(alert('notify', false), long)).toBe(false)
    expect(isAlertLoop(alert('writer', true), long)).toBe(true)
  })
})
