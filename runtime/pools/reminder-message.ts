import type { PoolDefinition } from '../../metadata/pool'
import { formatDate, pickTemplate } from '../templates'

/** The reminder's words per language; `{pool}` and `{date}` are filled in for the reader. */
const REMINDER_TEXT: Readonly<Record<string, string>> = {
  en: 'Returns to {pool} on {date} without a follow-up',
  'zh-CN': '如无跟进，将于{date}退回{pool}',
  ko: '후속 조치가 없으면 {date}에 {pool}(으)로 반환됩니다',
}

/**
 * The in-app reminder that a record returns to its pool, in the reader's language (falling back
 * to English) with the due day as it falls in the instance time zone.
 * @example
 * reminderTitle(pool, new Date('2026-07-15T20:00Z'), 'zh-CN', 'Asia/Shanghai')
 * // '如无跟进，将于2026年7月16日退回华东公海'
 */
export function reminderTitle(
  pool: Pick<PoolDefinition, 'id' | 'label'>,
  dueAt: Date,
  locale: string | null,
  timeZone: string,
): string {
  const picked = pickTemplate(REMINDER_TEXT, locale)!
  const labels = pool.label as Record<string, string | undefined>
  const name = labels[picked.locale] ?? pool.label.en ?? pool.id
  const date = formatDate(dueAt, { locale: picked.locale, timeZone })
  return picked.template.replace('{date}', date).replace('{pool}', name)
}
