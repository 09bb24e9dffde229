import type { Context } from 'hono'
import { LOCALES, type Locale } from '../../metadata/labels'
import type { AppEnv } from '../app-deps'
import { readHeader } from './read-header'

/** The header the workspace names its language in (labels in answers follow it). */
export const LOCALE_HEADER = 'x-trellis-locale'

const isLocale = (asked: string | undefined): asked is Locale =>
  (LOCALES as readonly string[]).includes(asked ?? '')

/** The language the workspace shows (x-trellis-locale), when Trellis speaks it. */
export function shownLocale(c: Context): Locale | undefined {
  const asked = readHeader(c, LOCALE_HEADER)
  return isLocale(asked) ? asked : undefined
}

/**
 * The language to refuse a request in: the one the workspace shows, else the caller's saved
 * one, else (no caller, so nothing saved) the browser's Accept-Language; English otherwise.
 * @example readQuery(c, ['limit'], requestLocale(c))
 */
export function requestLocale(c: Context<AppEnv>): Locale {
  const shown = shownLocale(c)
  if (shown) return shown
  const user = c.get('user')
  if (user) return isLocale(user.locale) ? user.locale : 'en'
  return toAcceptedLocale(readHeader(c, 'accept-language')) ?? 'en'
}

/**
 * The first language of an Accept-Language header Trellis speaks, by weight then order: zh,
 * zh-Hans and zh-CN read as zh-CN, ko and ko-KR as ko, en and en-GB as en.
 * @example toAcceptedLocale('fr;q=0.9, ko-KR;q=0.8, en;q=0.5') // 'ko'
 */
export function toAcceptedLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined
  const ranges = header.split(',').map((part, at) => {
    const [tag, ...params] = part.trim().split(';')
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find(Boolean)
    return { locale: toSpokenLocale(tag.trim()), weight: q === undefined ? 1 : Number(q), at }
  })
  const spoken = ranges.filter((r) => r.locale && r.weight > 0)
  spoken.sort((a, b) => b.weight - a.weight || a.at - b.at)
  return spoken[0]?.locale
}

/** The language Trellis speaks for one language tag, if any (Traditional Chinese is none). */
function toSpokenLocale(tag: string): Locale | undefined {
  const [lang, next] = tag.toLowerCase().split('-')
  if (lang === 'en' || lang === 'ko') return lang
  if (lang === 'zh' && (next === undefined || next === 'hans' || next === 'cn')) return 'zh-CN'
  return undefined
}
