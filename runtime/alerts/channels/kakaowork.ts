import { toChatMessage, type ChatMessage } from './chat-message'

/**
 * KakaoWork (카카오워크) incoming webhook. Followed: KakaoWork's Block Kit guide and the message
 * format its bots and incoming webhooks take — a JSON POST of `text` (the preview shown in the
 * push notification and chat list) and `blocks`: a `header` block (`text`, `style`), a `text`
 * block (`text`, `markdown`), and a `button` block (`text` up to 20 characters, `style`, and
 * since KakaoWork 1.11 an `action` of `{ type: "open_system_browser", value: <url> }`).
 */

/** KakaoWork's cap on a button's words. */
const MAX_BUTTON_TEXT = 20

/** The webhook's JSON body for a chat message. */
export function buildKakaoworkMessage(message: ChatMessage) {
  const m = toChatMessage(message)
  const blocks: unknown[] = [{ type: 'header', text: m.title, style: 'blue' }]
  if (m.text) blocks.push({ type: 'text', text: m.text, markdown: true })
  if (m.link) {
    blocks.push({
      type: 'button',
      text: [...m.link.label].slice(0, MAX_BUTTON_TEXT).join('').trimEnd(),
      style: 'default',
      action: { type: 'open_system_browser', value: m.link.url },
    })
  }
  return { text: m.text ? `${m.title}\n${m.text}` : m.title, blocks }
}
