import type { Alert } from '../../metadata/alert'

/**
 * Whether the record opted out of the alert's SMS: its sms channel names an `optOutField` and
 * the record holds `true` there. Other channels still deliver.
 * @example isSmsOptedOut(birthdayCare, { smsOptOut: true }) // true
 */
export function isSmsOptedOut(alert: Alert, record: Record<string, unknown>): boolean {
  return alert.channels.some(
    (c) => c.type === 'sms' && c.optOutField !== undefined && record[c.optOutField] === true,
  )
}
