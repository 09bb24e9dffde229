import type { IncomingMessage } from 'node:http'

/** The body was longer than the limit: the caller answers 413. */
export class BodyTooLarge extends Error {}

/**
 * Reads a request's whole body from Node's stream, refusing one over `maxSize` bytes: by its
 * Content-Length before reading, else as it streams in (what is left of it is drained, not
 * kept). Under @hono/node-server this skips building a web Request, its ReadableStream and its
 * AbortController, which cost more than the JSON they carry.
 */
export function readIncomingBody(incoming: IncomingMessage, maxSize: number): Promise<Buffer> {
  const declared = incoming.headers['content-length']
  if (
    declared !== undefined &&
    !incoming.headers['transfer-encoding'] &&
    Number(declared) > maxSize
  )
    return Promise.reject(new BodyTooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = (err: Error | null) => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', done)
      incoming.off('aborted', onAborted)
      if (err) reject(err)
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size))
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxSize) return void chunks.push(chunk)
      done(new BodyTooLarge())
      incoming.resume()
    }
    const onEnd = () => done(null)
    const onAborted = () => done(new Error('the client closed the request before its body ended'))
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', done)
    incoming.on('aborted', onAborted)
  })
}

/** A body as text, the way a web Request's `text()` decodes it (UTF-8, a leading BOM dropped). */
export function bodyText(body: Buffer): string {
  const text = body.toString('utf8')
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}
