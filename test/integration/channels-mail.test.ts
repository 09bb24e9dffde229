import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createInProcessMailer,
  createSmtpMailer,
  DeliveryError,
  type Mailer,
} from '../../runtime/alerts/channels'
import { ValidationError } from '../../runtime/errors'
import { renderTemplate } from '../../runtime/templates'
import { decodeMail, startSmtp, type DecodedMail } from './channels-fixture'

/** A mailer and a way to read what its far end received, decoded. */
interface MailerUnderTest {
  mailer: Mailer
  received(): Promise<(DecodedMail & { to: string[] })[]>
  close(): Promise<void>
}

const implementations: [string, () => Promise<MailerUnderTest>][] = [
  [
    'in-process',
    async () => {
      const mailer = createInProcessMailer()
      return {
        mailer,
        received: async () =>
          mailer.sent.map((m) => ({
            to: m.to,
            subject: m.subject,
            text: m.text,
            html: m.html,
            headers: Object.fromEntries(
              Object.entries(m.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
            ),
          })),
        close: () => mailer.close(),
      }
    },
  ],
  [
    'smtp',
    async () => {
      const server = await startSmtp()
      const mailer = createSmtpMailer({ url: server.url, from: 'Trellis <alerts@trellis.test>' })
      return {
        mailer,
        received: async () =>
          server.mails.map((m) => {
            expect(m.user).toBe('alerts') // the credentials in SMTP_URL were used
            expect(m.from).toBe('alerts@trellis.test')
            return { to: m.to, ...decodeMail(m.raw) }
          }),
        close: async () => {
          await mailer.close()
          await server.close()
        },
      }
    },
  ],
]

describe.each(implementations)('Mailer (%s)', (_name, open) => {
  let under: MailerUnderTest
  beforeAll(async () => {
    under = await open()
  })
  afterAll(() => under.close())

  it('delivers subject, text and HTML as written', async () => {
    const html = renderTemplate(
      '<p>Quote <b>{{code}}</b> for {{customer}} expires {{formatDate validUntil}}</p>',
      { code: 'Q-2025-0007', customer: 'Tom & Jerry <Ltd>', validUntil: '2025-03-01' },
      { locale: 'en', timeZone: 'UTC', format: 'html' },
    )
    await under.mailer.send({
      to: 'rep@example.com',
      subject: 'Quote Q-2025-0007 expires soon',
      text: 'Quote Q-2025-0007 for Tom & Jerry <Ltd> expires Mar 1, 2025',
      html,
      headers: { 'X-Trellis-Alert': 'quote-expiring' },
    })
    const mail = (await under.received()).at(-1)!
    expect(mail.to).toEqual(['rep@example.com'])
    expect(mail.subject).toBe('Quote Q-2025-0007 expires soon')
    expect(mail.text).toBe('Quote Q-2025-0007 for Tom & Jerry <Ltd> expires Mar 1, 2025')
    expect(mail.html).toBe(
      '<p>Quote <b>Q-2025-0007</b> for Tom &amp; Jerry &lt;Ltd&gt; expires Mar 1, 2025</p>',
    )
    expect(mail.headers['x-trellis-alert']).toBe('quote-expiring')
    expect(mail.headers['auto-submitted']).toBe('auto-generated')
  })

  it('keeps Chinese and Korean subjects and bodies intact', async () => {
    const cases = [
      {
        to: 'zh@example.com',
        subject: '报价单 Q-7 即将到期：客户「华东贸易」',
        text: '请在 3 月 1 日前跟进。',
      },
      {
        to: 'ko@example.com',
        subject: '견적서 Q-7 만료 예정 — 고객 “서울상사”',
        text: '3월 1일까지 확인해 주세요.',
      },
    ]
    for (const message of cases)
      await under.mailer.send({ ...message, html: `<p>${message.text}</p>` })
    const mails = (await under.received()).slice(-2)
    expect(mails.map((m) => [m.to[0], m.subject, m.text, m.html])).toEqual(
      cases.map((c) => [c.to, c.subject, c.text, `<p>${c.text}</p>`]),
    )
  })

  it('sends to several recipients and text alone when there is no HTML', async () => {
    await under.mailer.send({
      to: ['a@example.com', 'b@example.com'],
      subject: 'Plain',
      text: 'Only text',
    })
    const mail = (await under.received()).at(-1)!
    expect(mail.to).toEqual(['a@example.com', 'b@example.com'])
    expect([mail.text, mail.html]).toEqual(['Only text', undefined])
  })

  it('puts a subject with line breaks on one line instead of opening a header', async () => {
    await under.mailer.send({
      to: 'rep@example.com',
      subject: 'Hi\r\nBcc: victim@example.com',
      text: 'x',
    })
    const mail = (await under.received()).at(-1)!
    expect(mail.subject).toBe('Hi Bcc: victim@example.com')
    expect(mail.to).toEqual(['rep@example.com'])
    expect(mail.headers.bcc).toBeUndefined()
  })

  it('refuses a bad message naming each bad part, and sends nothing', async () => {
    const before = (await under.received()).length
    const attempt = under.mailer.send({
      to: ['ok@example.com', 'not an address'],
      subject: ' ',
      text: 'x',
      headers: { Bcc: 'x@example.com', 'X-Ok': 'line\nbreak' },
    })
    await expect(attempt).rejects.toBeInstanceOf(ValidationError)
    const paths = await attempt.catch((e: ValidationError) => e.details.map((d) => d.path))
    expect(paths).toEqual(['to[1]', 'subject', 'headers.Bcc', 'headers.X-Ok'])
    expect((await under.received()).length).toBe(before)
  })
})

describe('SMTP mailer failures', () => {
  it('throws a DeliveryError when the server refuses the credentials', async () => {
    const server = await startSmtp()
    const wrong = server.url.replace('s3cret', 'wrong')
    const mailer = createSmtpMailer({ url: wrong, from: 'alerts@trellis.test' })
    const attempt = mailer.send({ to: 'a@example.com', subject: 's', text: 't' })
    await expect(attempt).rejects.toBeInstanceOf(DeliveryError)
    await expect(attempt).rejects.toThrow(/127\.0\.0\.1/)
    await expect(attempt).rejects.not.toThrow(/wrong/) // the password never shows in the error
    expect(server.mails).toHaveLength(0)
    await mailer.close()
    await server.close()
  })

  it('throws a DeliveryError when nothing listens', async () => {
    const server = await startSmtp()
    await server.close()
    const mailer = createSmtpMailer({
      url: server.url,
      from: 'alerts@trellis.test',
      timeoutMs: 2000,
    })
    const attempt = mailer.send({ to: 'a@example.com', subject: 's', text: 't' })
    await expect(attempt).rejects.toBeInstanceOf(DeliveryError)
    await expect(attempt).rejects.toMatchObject({ retryable: true })
    await mailer.close()
  })

  it('refuses an SMTP_URL that is not smtp:// and a missing sender, naming them', () => {
    expect(() => createSmtpMailer({ url: 'http://mail', from: 'a@b.c' })).toThrow(ValidationError)
    expect(() => createSmtpMailer({ url: 'smtp://mail:25', from: '' })).toThrow(/MAIL_FROM/)
  })
})
