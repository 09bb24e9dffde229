import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeliveryError, sendChatMessage, type ChatMessage } from '../../runtime/alerts/channels'
import { ValidationError } from '../../runtime/errors'
import { startReceiver } from './channels-fixture'

// The receivers listen on loopback, which webhooks and bots may reach only when allowed.
const allowPrivate = process.env.TRELLIS_WEBHOOK_ALLOW_PRIVATE
beforeAll(() => {
  process.env.TRELLIS_WEBHOOK_ALLOW_PRIVATE = 'true'
})
afterAll(() => {
  if (allowPrivate === undefined) delete process.env.TRELLIS_WEBHOOK_ALLOW_PRIVATE
  else process.env.TRELLIS_WEBHOOK_ALLOW_PRIVATE = allowPrivate
})

let r: Awaited<ReturnType<typeof startReceiver>>
beforeAll(async () => {
  r = await startReceiver()
})
afterAll(() => r.close())

const recordUrl = 'https://crm.example.com/workspace/quote/7d1c(2)?tab=lines'
const message: ChatMessage = {
  title: '报价单 Q-2025-0007 即将到期',
  text: '客户：华东贸易\n金额：¥1,200.50',
  link: { url: recordUrl, label: '打开报价单' },
  locale: 'zh-CN',
}
const lastBody = () => JSON.parse(r.received.at(-1)!.body)

describe('group bots, each in its documented incoming-webhook format', () => {
  it('WeCom: a markdown message with a link to the record', async () => {
    await sendChatMessage(
      { provider: 'wecom', url: `${r.url}/cgi-bin/webhook/send?key=k1` },
      message,
    )
    const call = r.received.at(-1)!
    expect(call.url).toBe('/cgi-bin/webhook/send?key=k1')
    expect(call.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(lastBody()).toEqual({
      msgtype: 'markdown',
      markdown: {
        content:
          '### 报价单 Q-2025-0007 即将到期\n\n客户：华东贸易\n金额：¥1,200.50\n\n' +
          '[打开报价单](https://crm.example.com/workspace/quote/7d1c%282%29?tab=lines)',
      },
    })
  })

  it('WeCom: a long text is cut to the 4096 bytes the robot takes', async () => {
    await sendChatMessage(
      { provider: 'wecom', url: r.url },
      { title: 't', text: '长'.repeat(3000) },
    )
    const content = lastBody().markdown.content as string
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096)
    expect(content.endsWith('…')).toBe(true)
  })

  it('DingTalk: markdown with a title, and a signed URL the robot can check', async () => {
    const secret = 'SECdingtalk0123456789'
    const now = new Date('2025-03-01T01:02:03.456Z')
    await sendChatMessage(
      { provider: 'dingtalk', url: `${r.url}/robot/send?access_token=tok`, secret },
      message,
      { now },
    )
    const url = new URL(r.received.at(-1)!.url, r.url)
    expect(url.searchParams.get('access_token')).toBe('tok')
    expect(url.searchParams.get('timestamp')).toBe(String(now.getTime()))
    // DingTalk's recipe: base64 HMAC-SHA256 keyed with the secret over "timestamp\nsecret".
    const expected = createHmac('sha256', secret)
      .update(`${now.getTime()}\n${secret}`)
      .digest('base64')
    expect(url.searchParams.get('sign')).toBe(expected)
    expect(lastBody()).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: '报价单 Q-2025-0007 即将到期',
        text:
          '#### 报价单 Q-2025-0007 即将到期\n\n客户：华东贸易\n金额：¥1,200.50\n\n' +
          '[打开报价单](https://crm.example.com/workspace/quote/7d1c%282%29?tab=lines)',
      },
    })
  })

  it('DingTalk without a secret leaves the URL as given', async () => {
    await sendChatMessage(
      { provider: 'dingtalk', url: `${r.url}/robot/send?access_token=tok` },
      message,
    )
    expect(r.received.at(-1)!.url).toBe('/robot/send?access_token=tok')
  })

  it('Feishu: an interactive card with a button, signed in the body', async () => {
    const secret = 'feishu-secret'
    const now = new Date('2025-03-01T01:02:03Z')
    await sendChatMessage(
      { provider: 'feishu', url: `${r.url}/open-apis/bot/v2/hook/abc`, secret },
      message,
      { now },
    )
    const body = lastBody()
    const seconds = now.getTime() / 1000
    // Feishu's recipe: HMAC-SHA256 keyed with "timestamp\nsecret" over nothing, base64.
    const expected = createHmac('sha256', `${seconds}\n${secret}`).digest('base64')
    expect(body).toEqual({
      timestamp: String(seconds),
      sign: expected,
      msg_type: 'interactive',
      card: {
        header: {
          title: { tag: 'plain_text', content: '报价单 Q-2025-0007 即将到期' },
          template: 'blue',
        },
        elements: [
          { tag: 'div', text: { tag: 'lark_md', content: '客户：华东贸易\n金额：¥1,200.50' } },
          {
            tag: 'action',
            actions: [
              {
                tag: 'button',
                text: { tag: 'plain_text', content: '打开报价单' },
                type: 'primary',
                url: recordUrl,
              },
            ],
          },
        ],
      },
    })
  })

  it('Feishu: a rich-text post in the reader language when asked for', async () => {
    await sendChatMessage(
      { provider: 'feishu', url: r.url, format: 'post' },
      { ...message, link: { url: recordUrl } },
    )
    expect(lastBody()).toEqual({
      msg_type: 'post',
      content: {
        post: {
          zh_cn: {
            title: '报价单 Q-2025-0007 即将到期',
            content: [
              [{ tag: 'text', text: '客户：华东贸易' }],
              [{ tag: 'text', text: '金额：¥1,200.50' }],
              [{ tag: 'a', text: '查看', href: recordUrl }],
            ],
          },
        },
      },
    })
  })

  it('KakaoWork: preview text and header, text and button blocks', async () => {
    const korean: ChatMessage = {
      title: '견적서 Q-7 만료 예정',
      text: '고객: 서울상사',
      link: { url: recordUrl, label: '견적서를 지금 바로 열어서 확인하기 (클릭)' },
      locale: 'ko',
    }
    await sendChatMessage({ provider: 'kakaowork', url: `${r.url}/bots/hook/xyz` }, korean)
    expect(lastBody()).toEqual({
      text: '견적서 Q-7 만료 예정\n고객: 서울상사',
      blocks: [
        { type: 'header', text: '견적서 Q-7 만료 예정', style: 'blue' },
        { type: 'text', text: '고객: 서울상사', markdown: true },
        {
          type: 'button',
          text: '견적서를 지금 바로 열어서 확인하기',
          style: 'default',
          action: { type: 'open_system_browser', value: recordUrl },
        },
      ],
    })
    expect([...lastBody().blocks[2].text].length).toBeLessThanOrEqual(20)
  })
})

describe('group bot failures', () => {
  it('throws when a bot answers 200 with an error code (a bad signature, say)', async () => {
    r.answer(
      { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' },
      {
        status: 200,
        body: '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}',
      },
      {
        status: 200,
        body: '{"success":false,"error":{"code":"invalid_parameter","message":"bad blocks"}}',
      },
    )
    const url = r.url
    await expect(
      sendChatMessage({ provider: 'dingtalk', url, secret: 's' }, message),
    ).rejects.toThrow(/310000 sign not match/)
    await expect(
      sendChatMessage({ provider: 'feishu', url, secret: 's' }, message),
    ).rejects.toThrow(/19021/)
    await expect(sendChatMessage({ provider: 'kakaowork', url }, message)).rejects.toThrow(
      /invalid_parameter bad blocks/,
    )
    await expect(sendChatMessage({ provider: 'wecom', url }, message)).resolves.toBeUndefined()
  })

  it('throws a DeliveryError on a 5xx, naming the app', async () => {
    r.answer({ status: 502 })
    await expect(sendChatMessage({ provider: 'wecom', url: r.url }, message)).rejects.toMatchObject(
      {
        channel: 'wecom',
        status: 502,
        retryable: true,
      },
    )
  })

  it('refuses an unknown app, a bad URL, a missing title or a relative record link, naming each', async () => {
    const before = r.received.length
    const path = (promise: Promise<unknown>) =>
      promise.then(
        () => 'sent',
        (e: ValidationError) => (e instanceof ValidationError ? e.details[0].path : String(e)),
      )
    expect(await path(sendChatMessage({ provider: 'slack' as 'wecom', url: r.url }, message))).toBe(
      'provider',
    )
    expect(await path(sendChatMessage({ provider: 'wecom', url: 'not a url' }, message))).toBe(
      'url',
    )
    expect(
      await path(sendChatMessage({ provider: 'wecom', url: r.url }, { ...message, title: ' ' })),
    ).toBe('title')
    const relative = { ...message, link: { url: '/workspace/quote/1' } }
    expect(await path(sendChatMessage({ provider: 'kakaowork', url: r.url }, relative))).toBe(
      'link.url',
    )
    expect(r.received.length).toBe(before)
  })

  it('is a DeliveryError when nothing listens', async () => {
    const gone = await startReceiver()
    await gone.close()
    await expect(
      sendChatMessage({ provider: 'feishu', url: gone.url }, message),
    ).rejects.toBeInstanceOf(DeliveryError)
  })
})
