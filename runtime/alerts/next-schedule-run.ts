import { Cron } from 'croner'
import type { Alert } from '../../metadata/alert'
import { DefinitionError } from '../errors'

/**
 * When a `schedule` alert runs next, strictly after `after`, reading its cron in its own time
 * zone (croner). Null for other triggers, a disabled alert, or a cron that never runs again.
 * @example nextScheduleRun({ …, trigger: { type: 'schedule', cron: '0 9 * * 1-5', timeZone: 'Asia/Seoul' } },
 *   new Date('2026-03-06T01:00:00Z')) // 2026-03-09T00:00:00.000Z (Monday 09:00 in Seoul)
 */
export function nextScheduleRun(alert: Alert, after: Date): Date | null {
  const { trigger } = alert
  if (trigger.type !== 'schedule' || alert.enabled === false) return null
  let cron: Cron
  try {
    cron = new Cron(trigger.cron, { timezone: trigger.timeZone, paused: true })
  } catch (err) {
    // Saved alerts passed the same parse; this guards definitions that skipped validation.
    throw new DefinitionError(`Alert '${alert.id}' has a schedule that cannot run`, [
      { path: `alerts[${alert.id}].trigger.cron`, message: String((err as Error).message) },
    ])
  }
  return cron.nextRun(after)
}
