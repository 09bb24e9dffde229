import { LOCALES, toLabel, type Labels, type Locale } from '$metadata/labels'
import { setApiLocale } from '$lib/api/client'
import { en, type MessageKey } from './en'
import { ko } from './ko'
import { zhCN } from './zh-CN'

const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN, ko }
const STORAGE_KEY = 'trellis.locale'

/** The current UI language; reading `i18n.locale` inside a template makes it reactive. */
export const i18n = $state<{ locale: Locale }>({ locale: initialLocale() })
setApiLocale(i18n.locale)

function initialLocale(): Locale {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY)
  if (isLocale(stored)) return stored
  const nav = typeof navigator === 'undefined' ? 'en' : navigator.language
  if (nav.startsWith('zh')) return 'zh-CN'
  if (nav.startsWith('ko')) return 'ko'
  return 'en'
}

/** Narrows a string to a supported locale. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** Switches the UI language and remembers it in this browser. */
export function setLocale(locale: Locale): void {
  i18n.locale = locale
  setApiLocale(locale)
  localStorage.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale
}

/** Translates a UI string, filling `{name}` placeholders. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = DICTIONARIES[i18n.locale][key] ?? en[key]
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`))
}

/** Picks a metadata label in the current locale, falling back to English. */
export function label(labels: Labels | undefined, fallback = ''): string {
  return toLabel(labels, i18n.locale, fallback)
}
