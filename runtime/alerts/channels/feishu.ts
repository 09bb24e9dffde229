import { createHmac } from 'node:crypto'
import { toChatMessage, type ChatMessage } from './chat-message'

/**
 * Feishu / Lark custom bot (自定义机器人). Followed: Feishu's custom-bot guide — a JSON POST to
 * `…/open-apis/bot/v2/hook/<token>`, either `msg_type: "interactive"` with the card under `card`
 * (a `header.title` of `plain_text`, a `div` of `lark_md` text and an `action` button whose `url`
 * opens the page), or `msg_type: "post"` with `content.post.<language>` holding a `title` and
 * `content` as lines of `text` and `a` (link) elements. With signature checking on, the body
 * also carries `timestamp` (seconds, as a string) and `sign`: the base64 HMAC-SHA256 whose key is
 * the timestamp, a line feed and the secret, over an empty message. The body may be at most
 * 20 KB; success is `{ code: 0 }` (older answers: `StatusCode: 0`).
 */

/** The kind of Feishu message: a card with a button (default) or a rich-text post. */
export type FeishuFormat = 'interactive' | 'post'

/** The bot's JSON body for a chat message, signed when a secret is given. */
export function buildFeishuMessage(
  message: ChatMessage,
  options: { format?: FeishuFormat; secret?: string; now?: Date } = {},
): Record<string, unknown> {
  const m = toChatMessage(message)
  const body = options.format === 'post' ? toPost(m) : toCard(m)
  if (!options.secret) return body
  const timestamp = Math.floor((options.now ?? new Date()).getTime() / 1000)
  return { timestamp: String(timestamp), sign: signFeishu(options.secret, timestamp), ...body }
}

/** Feishu's signature for a timestamp in seconds. */
export function signFeishu(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64')
}

type Checked = ReturnType<typeof toChatMessage>

function toCard(m: Checked) {
  const elements: unknown[] = []
  if (m.text) elements.push({ tag: 'div', text: { tag: 'lark_md', content: m.text } })
  if (m.link) {
    const button = {
      tag: 'button',
      text: { tag: 'plain_text', content: m.link.label },
      type: 'primary',
      url: m.link.url,
    }
    elements.push({ tag: 'action', actions: [button] })
  }
  return {
    msg_type: 'interactive',
    card: {
      header: { title: { tag: 'plain_text', content: m.title }, template: 'blue' },
      elements,
    },
  }
}

function toPost(m: Checked) {
  const lines: unknown[][] = m.text
    ? m.text.split('\n').map((line) => [{ tag: 'text', text: line }])
    : []
  if (m.link) lines.push([{ tag: 'a', text: m.link.label, href: m.link.url }])
  return {
    msg_type: 'post',
    content: { post: { [postLanguage(m.locale)]: { title: m.title, content: lines } } },
  }
}

/** Feishu keys a post's content by language: zh_cn, en_us, ja_jp. */
function postLanguage(locale: string): string {
  const language = locale.split('-')[0].toLowerCase()
  return language === 'zh' ? 'zh_cn' : language === 'ja' ? 'ja_jp' : 'en_us'
}
