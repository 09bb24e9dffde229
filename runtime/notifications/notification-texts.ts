import type { Issue } from '../errors'
import { pickTemplate } from '../templates'

/** A notification's title and body in one language. */
export interface NotificationText {
  title: string
  body: string | null
}

/** A notification's texts by locale (`en`, `zh-CN`, …), each shown to a reader of that language. */
export type NotificationTexts = Record<string, NotificationText>

const LOCALE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}$/
const MAX_LOCALES = 20

/** Where `texts` breaks the limits of a stored notification: paths under `texts`. */
export function validateNotificationTexts(
  texts: unknown,
  limits: { title: number; body: number },
): Issue[] {
  if (texts === undefined || texts === null) return []
  if (typeof texts !== 'object' || Array.isArray(texts))
    return [{ path: 'texts', message: 'must be an object of texts by locale' }]
  const entries = Object.entries(texts as Record<string, unknown>)
  if (entries.length > MAX_LOCALES)
    return [{ path: 'texts', message: `must hold at most ${MAX_LOCALES} locales` }]
  return entries.flatMap(([locale, text]) => {
    const at = `texts.${locale}`
    if (!LOCALE.test(locale)) return [{ path: at, message: 'is not a locale' }]
    const { title, body } = (text ?? {}) as Partial<NotificationText>
    const issues: Issue[] = []
    if (typeof title !== 'string' || !title.trim() || title.length > limits.title)
      issues.push({ path: `${at}.title`, message: `must be 1 to ${limits.title} characters` })
    if (
      body !== undefined &&
      body !== null &&
      (typeof body !== 'string' || body.length > limits.body)
    )
      issues.push({
        path: `${at}.body`,
        message: `must be a text of at most ${limits.body} characters`,
      })
    return issues
  })
}

/**
 * What a reader sees of a notification: its text in their language (else the same language in
 * another region, else English) when it was stored in several, else the title and body it was
 * stored with (rows sent before texts were kept, notices in one language).
 * @example toReaderText({ title: '새 거래', body: null, texts }, 'en') // { title: 'New deal', … }
 */
export function toReaderText(
  row: NotificationText & { texts: NotificationTexts | null },
  locale: string | undefined,
): NotificationText {
  const picked = pickTemplate(row.texts, locale)
  if (!picked) return { title: row.title, body: row.body }
  return { title: picked.template.title, body: picked.template.body ?? null }
}
