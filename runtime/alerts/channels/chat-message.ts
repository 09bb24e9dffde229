import { ValidationError, type Issue } from '../../errors'
import { assertHttpUrl } from './http-post'

/** What an alert posts to a group chat: a title, a few lines, and a link that opens the record. */
export interface ChatMessage {
  title: string
  /** Plain lines (already rendered from the template as text); chat markup is the builder's job. */
  text: string
  /** An absolute URL that opens the record in the workspace, with the button's words. */
  link?: { url: string; label?: string }
  /** The reader's language, for providers that key content by language (Feishu posts). */
  locale?: string
}

/** Longest title and text a chat message takes (characters); providers cap the whole body. */
export const MAX_CHAT_TITLE = 200
export const MAX_CHAT_TEXT = 3000

/** The link button's words when the caller gives none, by language. */
const OPEN_LABEL: Record<string, string> = { en: 'Open', zh: '查看', ko: '열기' }

/** Checks a chat message; throws a `ValidationError` naming each bad part. */
export function toChatMessage(message: ChatMessage): Required<Omit<ChatMessage, 'link'>> & {
  link?: { url: string; label: string }
} {
  const issues: Issue[] = []
  const title = typeof message?.title === 'string' ? message.title.replace(/\s+/g, ' ').trim() : ''
  if (!title) issues.push({ path: 'title', message: 'is required' })
  if (title.length > MAX_CHAT_TITLE)
    issues.push({ path: 'title', message: `is longer than ${MAX_CHAT_TITLE}` })
  const text = typeof message?.text === 'string' ? message.text.trim() : ''
  if (text.length > MAX_CHAT_TEXT)
    issues.push({ path: 'text', message: `is longer than ${MAX_CHAT_TEXT}` })
  if (issues.length) throw new ValidationError('The chat message is not valid', issues)
  const locale = message.locale ?? 'en'
  if (!message.link) return { title, text, locale }
  assertHttpUrl(message.link.url, 'link.url')
  const label = message.link.label?.trim() || OPEN_LABEL[locale.split('-')[0]] || OPEN_LABEL.en
  return { title, text, locale, link: { url: message.link.url, label } }
}

/** Markdown link text with the characters that would end it escaped. */
export function markdownLinkText(text: string): string {
  return text.replace(/[[\]\\]/g, (c) => `\\${c}`)
}

/** A URL as a markdown link target: brackets, angle brackets and spaces percent-encoded. */
export function markdownLinkUrl(url: string): string {
  // encodeURIComponent leaves ( and ) alone, and they would end the link early.
  return url.replace(
    /[()<>\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  )
}
