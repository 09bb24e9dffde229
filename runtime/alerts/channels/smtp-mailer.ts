import nodemailer from 'nodemailer'
import { ValidationError } from '../../errors'
import { DeliveryError } from './delivery-error'
import { toMailMessage, type Mailer } from './mailer'

/** Where and as whom to send. */
export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the start). */
  url: string
  /** The From address, e.g. `Trellis <no-reply@example.com>` (`MAIL_FROM`). */
  from: string
  /** Connection, greeting and socket time-out (ms). */
  timeoutMs?: number
}

/**
 * A mailer that hands messages to an SMTP server through nodemailer, over one pooled
 * connection set. Text and HTML go as one multipart/alternative message in UTF-8, so Chinese
 * and Korean subjects and bodies arrive intact.
 * @example const mailer = createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom })
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  let url: URL
  try {
    url = new URL(options.url)
  } catch {
    url = new URL('invalid:')
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ValidationError('SMTP_URL is not an smtp:// URL', [
      { path: 'url', message: 'must look like smtp://user:pass@host:port or smtps://…' },
    ])
  }
  if (!options.from) {
    throw new ValidationError('No sender address (MAIL_FROM)', [
      { path: 'from', message: 'is required (MAIL_FROM)' },
    ])
  }
  const timeout = options.timeoutMs ?? 15_000
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  })
  const where = `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`
  return {
    kind: 'smtp',
    async send(message) {
      const mail = toMailMessage(message)
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: mail.headers,
        })
        return { messageId: info.messageId }
      } catch (error) {
        const failure = error as { responseCode?: number; message: string }
        const code = failure.responseCode
        // SMTP 4xx replies are temporary and 5xx permanent, the other way round from HTTP.
        const retryable = code === undefined || (code >= 400 && code < 500)
        throw new DeliveryError(
          `email via ${where} failed: ${failure.message}`,
          'email',
          code,
          retryable,
        )
      }
    },
    async close() {
      transport.close()
    },
  }
}
