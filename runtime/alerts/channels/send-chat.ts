import { ValidationError } from '../../errors'
import type { ChatMessage } from './chat-message'
import { DeliveryError } from './delivery-error'
import { buildDingtalkMessage, signedDingtalkUrl } from './dingtalk'
import { buildFeishuMessage, type FeishuFormat } from './feishu'
import { assertHttpUrl, httpPost } from './http-post'
import { allowsPrivateTargets } from './private-targets'
import { buildKakaoworkMessage } from './kakaowork'
import { buildWecomMessage } from './wecom'

/** The group-chat apps an alert can post to. */
export const CHAT_PROVIDERS = ['wecom', 'dingtalk', 'feishu', 'kakaowork'] as const
export type ChatProvider = (typeof CHAT_PROVIDERS)[number]

/** One group bot: which app, its incoming-webhook URL, and its signing secret if it has one. */
export interface ChatBot {
  provider: ChatProvider
  url: string
  /** DingTalk and Feishu sign requests when the bot has a secret; WeCom and KakaoWork do not. */
  secret?: string
  /** Feishu only: a card with a button (default) or a rich-text post. */
  format?: FeishuFormat
}

/**
 * Posts a message to a group bot in that app's incoming-webhook format, signed where the bot
 * asks for it. Throws `DeliveryError` when the bot cannot be reached, answers outside 2xx, or
 * answers 200 with an error code in its body (how these bots refuse a bad signature or body), or
 * its host is private, loopback or link-local and `allowPrivate` (default: the
 * `TRELLIS_WEBHOOK_ALLOW_PRIVATE` setting) does not allow it.
 * @example await sendChatMessage({ provider: 'dingtalk', url, secret }, { title, text, link: { url: recordUrl } })
 */
export async function sendChatMessage(
  bot: ChatBot,
  message: ChatMessage,
  options: { now?: Date; timeoutMs?: number; allowPrivate?: boolean } = {},
): Promise<void> {
  if (!CHAT_PROVIDERS.includes(bot?.provider)) {
    throw new ValidationError('Unknown chat app', [
      { path: 'provider', message: `must be one of ${CHAT_PROVIDERS.join(', ')}` },
    ])
  }
  assertHttpUrl(bot.url, 'url')
  const now = options.now ?? new Date()
  let url = bot.url
  let body: unknown
  switch (bot.provider) {
    case 'wecom':
      body = buildWecomMessage(message)
      break
    case 'dingtalk':
      body = buildDingtalkMessage(message)
      url = signedDingtalkUrl(bot.url, bot.secret, now)
      break
    case 'feishu':
      body = buildFeishuMessage(message, { format: bot.format, secret: bot.secret, now })
      break
    case 'kakaowork':
      body = buildKakaoworkMessage(message)
      break
  }
  const answer = await httpPost({
    url,
    body: JSON.stringify(body),
    contentType: 'application/json; charset=utf-8',
    timeoutMs: options.timeoutMs,
    channel: bot.provider,
    publicOnly: !(options.allowPrivate ?? allowsPrivateTargets()),
  })
  const refusal = refusalIn(answer.text)
  if (refusal) {
    throw new DeliveryError(
      `${bot.provider} bot refused the message: ${refusal}`,
      bot.provider,
      answer.status,
      false,
    )
  }
}

/** The error a bot reports in a 200 answer: `errcode` (WeCom, DingTalk), `code`/`StatusCode` (Feishu), `success: false` (KakaoWork). */
function refusalIn(text: string): string | null {
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(text) as Record<string, unknown>
  } catch {
    return null
  }
  if (!parsed || typeof parsed !== 'object') return null
  const code = parsed.errcode ?? parsed.code ?? parsed.StatusCode
  const said = parsed.errmsg ?? parsed.msg ?? parsed.StatusMessage
  if (code !== undefined && code !== 0 && code !== '0')
    return `${String(code)} ${String(said ?? '')}`.trim()
  if (parsed.success === false) {
    const error = parsed.error as { code?: unknown; message?: unknown } | undefined
    return `${String(error?.code ?? 'error')} ${String(error?.message ?? '')}`.trim()
  }
  return null
}
