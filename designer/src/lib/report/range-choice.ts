import { RELATIVE_RANGES } from '$metadata/report-measures'

/** The select's value that opens the from/to inputs; never sent to the server. */
export const CUSTOM_RANGE = '$custom'
/** A date range with no limit on either side (the server reads `..` as "any"). */
export const ANY_RANGE = '..'

/** What a date-range parameter shows: the select's choice and, for dates, the two days. */
export interface RangeChoice {
  choice: string
  custom: boolean
  from: string
  to: string
}

const isNamed = (v: string) => (RELATIVE_RANGES as readonly string[]).includes(v)

/**
 * How a date-range value reads in the bar. `picking` is true once the reader chose "Dates…"
 * and has not yet picked a day: the inputs must show although the value is still `..`.
 * @example toRangeChoice('2026-01-01..', false) // { choice: '$custom', custom: true, from: '2026-01-01', to: '' }
 * @example toRangeChoice('..', true) // { choice: '$custom', custom: true, from: '', to: '' }
 * @example toRangeChoice('last365Days', true) // { choice: '$custom', custom: true, from: '', to: '' }
 */
export function toRangeChoice(value: string, picking: boolean): RangeChoice {
  // Choosing Dates… from a named period (the default, last 365 days) opens empty inputs.
  if (isNamed(value))
    return picking
      ? { choice: CUSTOM_RANGE, custom: true, from: '', to: '' }
      : { choice: value, custom: false, from: '', to: '' }
  const [from = '', to = ''] = value.includes('..') ? value.split('..') : ['', '']
  const custom = picking || from !== '' || to !== ''
  return { choice: custom ? CUSTOM_RANGE : ANY_RANGE, custom, from, to }
}

/**
 * The value sent for two picked days; when from comes after to, the two are swapped so a
 * slip of the hand still filters (the server refuses a reversed range).
 * @example toRangeValue('2026-03-31', '2026-01-01') // '2026-01-01..2026-03-31'
 */
export function toRangeValue(from: string, to: string): string {
  return from && to && from > to ? `${to}..${from}` : `${from}..${to}`
}
