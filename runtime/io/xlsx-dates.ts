import { toWallTime } from '../alerts/zoned-time'

/** Which columns of an export hold dates (a day) or datetimes (an instant); others undefined. */
export type DateKind = 'date' | 'datetime' | undefined

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** Spreadsheet number formats of the two kinds (Excel shows them in the reader's own style). */
export const DATE_FORMATS = { date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm' } as const

/**
 * A date or datetime cell's text as the Date a spreadsheet stores: a spreadsheet date has no
 * zone, so an instant becomes its wall-clock time in `timeZone` (written as that time in UTC,
 * which is how ExcelJS turns a Date into a serial); a day becomes its midnight. Text that is not
 * a date stays undefined (the cell keeps its text).
 * @example toSheetDate('2026-03-10T05:15:00.000Z', 'datetime', 'Asia/Shanghai') // 2026-03-10T13:15:00.000Z
 */
export function toSheetDate(
  text: string,
  kind: 'date' | 'datetime',
  timeZone: string,
): Date | undefined {
  if (text === '') return undefined
  if (kind === 'date') return DAY.test(text) ? new Date(`${text}T00:00:00Z`) : undefined
  const instant = new Date(text)
  if (Number.isNaN(instant.getTime())) return undefined
  const w = toWallTime(instant, timeZone)
  const ms = instant.getUTCMilliseconds()
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, ms))
}
