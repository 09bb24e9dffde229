import { createHmac } from 'node:crypto'
import { markdownLinkText, markdownLinkUrl, toChatMessage, type ChatMessage } from './chat-message'

/**
 * DingTalk (钉钉) custom robot. Followed: DingTalk's custom-robot guide — a JSON POST to
 * `…/robot/send?access_token=…` with `msgtype: "markdown"` and `markdown: { title, text }` (the
 * title shows in the conversation list, the text is the markdown body). With "加签" signing, the
 * caller appends `timestamp` (milliseconds) and `sign` to the URL: the base64 HMAC-SHA256, keyed
 * with the robot's secret, of the timestamp, a line feed and the secret, URL-encoded; DingTalk
 * refuses a timestamp more than an hour off. Success is `{ errcode: 0, errmsg: "ok" }`.
 */

/** The robot's JSON body for a chat message. */
export function buildDingtalkMessage(message: ChatMessage) {
  const m = toChatMessage(message)
  const lines = [`#### ${m.title}`]
  if (m.text) lines.push(m.text)
  if (m.link) lines.push(`[${markdownLinkText(m.link.label)}](${markdownLinkUrl(m.link.url)})`)
  return { msgtype: 'markdown', markdown: { title: m.title, text: lines.join('\n\n') } }
}

/** DingTalk's signature for a timestamp in milliseconds (base64, not yet URL-encoded). */
export function signDingtalk(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64')
}

/** The robot URL with `timestamp` and `sign` added when the robot has a signing secret. */
export function signedDingtalkUrl(url: string, secret: string | undefined, now: Date): string {
  if (!secret) return url
  const signed = new URL(url)
  const timestamp = now.getTime()
  signed.searchParams.set('timestamp', String(timestamp))
  signed.searchParams.set('sign', signDingtalk(secret, timestamp))
  return signed.toString()
}
