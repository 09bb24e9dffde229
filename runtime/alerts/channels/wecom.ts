import { markdownLinkText, markdownLinkUrl, toChatMessage, type ChatMessage } from './chat-message'

/**
 * WeCom (企业微信) group robot. Followed: WeCom's group-robot webhook guide — a JSON POST to the
 * robot's webhook URL (its `key` in the query is the credential) with `msgtype: "markdown"` and
 * `markdown.content` holding WeCom's markdown subset (headings, bold, links, quotes), content at
 * most 4096 bytes; the robot answers `{ errcode: 0, errmsg: "ok" }` on success.
 */

/** WeCom's cap on markdown content (bytes of UTF-8). */
export const WECOM_MAX_BYTES = 4096

/** The robot's JSON body for a chat message. */
export function buildWecomMessage(message: ChatMessage) {
  const m = toChatMessage(message)
  const lines = [`### ${m.title}`]
  if (m.text) lines.push(m.text)
  if (m.link) lines.push(`[${markdownLinkText(m.link.label)}](${markdownLinkUrl(m.link.url)})`)
  return {
    msgtype: 'markdown',
    markdown: { content: capBytes(lines.join('\n\n'), WECOM_MAX_BYTES) },
  }
}

/** `text` cut to at most `max` UTF-8 bytes, never in the middle of a character. */
export function capBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text
  let out = ''
  let size = 0
  for (const char of text) {
    const bytes = Buffer.byteLength(char)
    if (size + bytes + 3 > max) break
    out += char
    size += bytes
  }
  return `${out}…`
}
