import { ValidationError, type Issue } from '../../errors'

/** One email: plain text always (every client reads it), HTML when the template has it. */
export interface MailMessage {
  to: string | string[]
  subject: string
  text: string
  html?: string
  /** Extra headers such as `List-Unsubscribe`; the address and subject headers are not here. */
  headers?: Record<string, string>
}

/** Sends mail. `createSmtpMailer` talks to an SMTP server; `createInProcessMailer` keeps it. */
export interface Mailer {
  readonly kind: 'smtp' | 'in-process'
  /** Resolves once the server accepted the message; throws `DeliveryError` when it did not. */
  send(message: MailMessage): Promise<{ messageId: string }>
  close(): Promise<void>
}

/** A message as the in-process mailer kept it. */
export interface KeptMail extends MailMessage {
  to: string[]
  messageId: string
}

/** The in-process mailer: what it sent, to read in tests and on the embedded default. */
export interface InProcessMailer extends Mailer {
  readonly sent: KeptMail[]
}

/** Longest subject accepted (characters). */
export const MAX_SUBJECT = 998
/** Largest text or HTML body accepted (characters). */
export const MAX_MAIL_BODY = 1024 * 1024

const ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,76}$/
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'sender',
  'reply-to',
  'date',
  'message-id',
  'content-type',
  'content-transfer-encoding',
  'mime-version',
])

/**
 * Checks a message and returns it in the form every mailer sends: recipients as a list, the
 * subject on one line (a line break from a template's data would start a new header), and
 * `Auto-Submitted: auto-generated` so mail servers and out-of-office replies leave it alone.
 * Throws a `ValidationError` naming each bad part.
 */
export function toMailMessage(message: MailMessage): KeptMail {
  const issues: Issue[] = []
  const to = (Array.isArray(message.to) ? message.to : [message.to]).map((a) => String(a).trim())
  if (to.length === 0) issues.push({ path: 'to', message: 'names no recipient' })
  to.forEach((address, i) => {
    if (!ADDRESS.test(address))
      issues.push({ path: `to[${i}]`, message: `'${address}' is not an email address` })
  })
  const subject =
    typeof message.subject === 'string' ? message.subject.replace(/[\r\n]+/g, ' ').trim() : ''
  if (!subject) issues.push({ path: 'subject', message: 'is required' })
  if (subject.length > MAX_SUBJECT)
    issues.push({ path: 'subject', message: `is longer than ${MAX_SUBJECT}` })
  if (typeof message.text !== 'string') issues.push({ path: 'text', message: 'is required' })
  else if (message.text.length > MAX_MAIL_BODY)
    issues.push({ path: 'text', message: 'is too large' })
  if (
    message.html !== undefined &&
    (typeof message.html !== 'string' || message.html.length > MAX_MAIL_BODY)
  ) {
    issues.push({
      path: 'html',
      message: `must be a string of at most ${MAX_MAIL_BODY} characters`,
    })
  }
  const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' }
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
      issues.push({ path: `headers.${name}`, message: 'is not a header a message may set' })
    } else if (typeof value !== 'string' || /[\r\n]/.test(value)) {
      issues.push({ path: `headers.${name}`, message: 'must be one line of text' })
    } else headers[name] = value
  }
  if (issues.length) throw new ValidationError('The email is not valid', issues)
  return { to, subject, text: message.text, html: message.html, headers, messageId: '' }
}

/**
 * A mailer that keeps messages in memory instead of sending them: for unit tests and for the
 * embedded default when no `SMTP_URL` is set (the in-app notification still reaches the user).
 * @example const mailer = createInProcessMailer(); await mailer.send(msg); mailer.sent[0].subject
 */
export function createInProcessMailer(): InProcessMailer {
  const sent: KeptMail[] = []
  return {
    kind: 'in-process',
    sent,
    async send(message) {
      const kept = toMailMessage(message)
      kept.messageId = `<${sent.length + 1}.${Date.now()}@trellis.in-process>`
      sent.push(kept)
      return { messageId: kept.messageId }
    },
    async close() {},
  }
}
