import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/** One request a receiver got. */
export interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** What the receiver answers next: a status, a body, and an optional delay (ms). */
export interface Answer {
  status: number
  body?: string
  delayMs?: number
}

/**
 * A real HTTP server on loopback that records every request and answers from a script (then
 * 200 `{}` once the script runs out). Stands in for webhook subscribers, SMS gateways and bots.
 */
export async function startReceiver(script: Answer[] = []) {
  const received: Received[] = []
  const answers = [...script]
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      })
      const answer = answers.shift() ?? { status: 200, body: '{}' }
      const reply = () => {
        if (res.destroyed) return
        res.writeHead(answer.status, { 'content-type': 'application/json' })
        res.end(answer.body ?? '')
      }
      if (answer.delayMs) setTimeout(reply, answer.delayMs)
      else reply()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Queues more answers. */
    answer: (...more: Answer[]) => answers.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A message the SMTP server received, as the envelope and raw RFC 5322 text. */
export interface ReceivedMail {
  from: string
  to: string[]
  user?: string
  raw: string
}

/** A real SMTP server (smtp-server) on loopback that requires `user`/`pass` and keeps what it gets. */
export async function startSmtp(credentials = { user: 'alerts', pass: 's3cret' }) {
  const mails: ReceivedMail[] = []
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) {
        callback(null, { user: auth.username })
      } else callback(new Error('Invalid username or password'))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.server.address() as AddressInfo
  return {
    port,
    url: `smtp://${credentials.user}:${credentials.pass}@127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The parts of a received mail a test compares: decoded headers and bodies. */
export interface DecodedMail {
  headers: Record<string, string>
  subject: string
  text?: string
  html?: string
}

/**
 * Decodes a raw message enough to check it: unfolded headers, RFC 2047 encoded words in the
 * subject, and text/plain and text/html parts in quoted-printable, base64 or 7/8 bit. Written
 * here, apart from nodemailer, so the test checks what went over the wire, not what the library
 * believes it sent.
 */
export function decodeMail(raw: string): DecodedMail {
  const { headers, body } = splitHeaders(raw)
  const parts = leafParts(headers, body)
  return {
    headers,
    subject: decodeWords(headers.subject ?? ''),
    text: parts.find((p) => p.type === 'text/plain')?.content,
    html: parts.find((p) => p.type === 'text/html')?.content,
  }
}

function splitHeaders(raw: string) {
  const at = raw.search(/\r?\n\r?\n/)
  const head = raw.slice(0, at).replace(/\r?\n[ \t]+/g, ' ')
  const headers: Record<string, string> = {}
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { headers, body: raw.slice(at).replace(/^\r?\n\r?\n/, '') }
}

function leafParts(
  headers: Record<string, string>,
  body: string,
): { type: string; content: string }[] {
  const type = (headers['content-type'] ?? 'text/plain').split(';')[0].trim().toLowerCase()
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1]
  if (type.startsWith('multipart/') && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1, -1)
      .flatMap((part) => {
        const inner = splitHeaders(part.replace(/^\r?\n/, ''))
        return leafParts(inner.headers, inner.body)
      })
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase()
  return [{ type, content: decodeBody(body, encoding).replace(/\r\n/g, '\n').replace(/\n$/, '') }]
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding === 'quoted-printable') {
    const soft = body.replace(/=\r?\n/g, '')
    const bytes: number[] = []
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16))
        i += 2
      } else bytes.push(...Buffer.from(soft[i], 'utf8'))
    }
    return Buffer.from(bytes).toString('utf8')
  }
  return body
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi,
      (_m, _charset: string, kind: string, data: string) =>
        kind.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64').toString('utf8')
          : decodeBody(data.replace(/_/g, ' '), 'quoted-printable'),
    )
}
