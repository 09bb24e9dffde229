import type { Locale } from '../../metadata/labels'
import type { DateBucket } from '../../metadata/report'

/*
 * How a date bucket reads in the caller's language. Every month name, year and order comes from
 * Intl (the platform's CLDR data); a calendar quarter is named as each language names quarters
 * ("Q2 2026", "2026年第2季度", "2026년 2분기"), a word Intl has no format for. Any other bucket of
 * several months (a fiscal quarter or year not starting in January) or days (a week) reads as
 * the range it covers.
 */

type Style = 'day' | 'month' | 'year'

const OPTIONS: Record<Style, Intl.DateTimeFormatOptions> = {
  day: { year: 'numeric', month: 'short', day: 'numeric' },
  month: { year: 'numeric', month: 'short' },
  year: { year: 'numeric' },
}

/** A calendar quarter in each language: its number and the year as Intl writes it alone. */
const QUARTER: Record<Locale, (n: number, year: string) => string> = {
  en: (n, year) => `Q${n} ${year}`,
  'zh-CN': (n, year) => `${year}第${n}季度`,
  ko: (n, year) => `${year} ${n}분기`,
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
 * @example bucketLabel('2026-04-01', 'quarter', 1, 'zh-CN') // '2026年第2季度'
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
      // A fiscal quarter of a year starting in January is a calendar one.
      if (bucket === 'quarter' || fiscalStart === 1)
        return (QUARTER[locale] ?? QUARTER.en)(
          Math.floor(start.getUTCMonth() / 3) + 1,
          formatOf(locale, 'year').format(start),
        )
      return formatOf(locale, 'month').formatRange(start, shifted(first, 0, 2))
    case 'year':
      return formatOf(locale, 'year').format(start)
    case 'fiscalYear':
      return fiscalStart === 1
        ? formatOf(locale, 'year').format(start)
        : formatOf(locale, 'month').formatRange(start, shifted(first, 0, 11))
  }
}
