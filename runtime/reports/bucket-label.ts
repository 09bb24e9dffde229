import type { Locale } from '../../metadata/labels'
import type { DateBucket } from '../../metadata/report'

/*
 * How a date bucket reads in the caller's language. Every word and every order comes from Intl
 * (the platform's CLDR data): no month names or patterns of our own. A bucket of several months
 * (a quarter, a fiscal year) or days (a week) reads as the range it covers.
 */

type Style = 'day' | 'month' | 'year'

const OPTIONS: Record<Style, Intl.DateTimeFormatOptions> = {
  day: { year: 'numeric', month: 'short', day: 'numeric' },
  month: { year: 'numeric', month: 'short' },
  year: { year: 'numeric' },
}

const formats = new Map<string, Intl.DateTimeFormat>()

/** One formatter per language and style: a trend of many periods builds each once. */
function formatOf(locale: Locale, style: Style): Intl.DateTimeFormat {
  const key = `${locale}\u0000${style}`
  let format = formats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...OPTIONS[style], timeZone: 'UTC' })
    formats.set(key, format)
  }
  return format
}

/** The UTC day `first` (`YYYY-MM-DD`) moved by whole days or months. */
function shifted(first: string, days: number, months = 0): Date {
  const [y, m, d] = first.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1 + months, d + days))
}

/**
 * How the bucket starting on `first` reads in `locale` (fiscal years start in `fiscalStart`).
 * @example bucketLabel('2026-09-01', 'month', 1, 'zh-CN') // '2026年9月'
 * @example bucketLabel('2026-04-01', 'quarter', 1, 'en') // 'Apr – Jun 2026'
 */
export function bucketLabel(
  first: string,
  bucket: DateBucket,
  fiscalStart: number,
  locale: Locale,
): string {
  const start = shifted(first, 0)
  switch (bucket) {
    case 'day':
      return formatOf(locale, 'day').format(start)
    case 'week':
      return formatOf(locale, 'day').formatRange(start, shifted(first, 6))
    case 'month':
      return formatOf(locale, 'month').format(start)
    case 'quarter':
    case 'fiscalQuarter':
      return formatOf(locale, 'month').formatRange(start, shifted(first, 0, 2))
    case 'year':
      return formatOf(locale, 'year').format(start)
    case 'fiscalYear':
      return fiscalStart === 1
        ? formatOf(locale, 'year').format(start)
        : formatOf(locale, 'month').formatRange(start, shifted(first, 0, 11))
  }
}
