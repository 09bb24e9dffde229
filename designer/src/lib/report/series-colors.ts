import type { ReportColumn } from '$lib/api/reports'
import { stateColor } from '$lib/flow/flow-view'

/** The colours of series that name none, in turn: the n-th series always gets the n-th. */
export const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777']

/** The colour of a group no option names: an empty priority, an option since removed. */
export const NO_OPTION_COLOR = '#94a3b8'

/** The palette's colour at `index` (any integer), the same one each time. */
export const paletteColor = (index: number) => PALETTE[Math.max(index, 0) % PALETTE.length]

/**
 * The colour of the series (or slice) for the group key `key` of a select dimension: the option's
 * own colour when the metadata gives one (a name as the workspace paints its badges, or a hex),
 * else the palette's colour at the option's place, so that Urgent stays red and Low stays first
 * whichever priorities a period has. A key no option names is grey.
 * @example optionColor([{ value: 'urgent', label: 'Urgent', color: 'red' }], 'urgent') // '#dc2626'
 */
export function optionColor(
  options: NonNullable<ReportColumn['options']>,
  key: string | null,
): string {
  const at = options.findIndex((o) => o.value === key)
  if (at < 0) return NO_OPTION_COLOR
  const own = stateColor(options[at].color)
  return own.startsWith('#') ? own : paletteColor(at)
}

/**
 * Series of a select dimension in the options' order (a key no option names goes last, as it
 * came), whatever order the rows gave them in.
 */
export function byOptionOrder<T>(
  items: T[],
  keyOf: (item: T) => string | null,
  options: ReportColumn['options'],
): T[] {
  if (!options) return items
  const place = (item: T) => {
    const at = options.findIndex((o) => o.value === keyOf(item))
    return at < 0 ? options.length : at
  }
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => place(a.item) - place(b.item) || a.i - b.i)
    .map((x) => x.item)
}
