import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import pino from 'pino'
import { expect } from 'vitest'
import { systemClock } from '../../runtime/clock'
import type { Db } from '../../runtime/db'
import { createSessionResolver } from '../../runtime/identity'
import { createMetadataCache } from '../../runtime/registry'
import type { AppEnv } from '../../server/app'
import { auth } from '../../server/middleware/auth'
import { errorHandler } from '../../server/middleware/error-handler'
import { requestId } from '../../server/middleware/request-id'
import { notificationRoutes } from '../../server/routes/notifications'

/** One server-sent event or comment as read off the wire. */
export interface SseItem {
  event?: string
  data?: string
  comment?: string
}

/** An open event stream over real HTTP, read item by item. */
export interface SseClient {
  next(timeoutMs?: number): Promise<SseItem>
  /** The next `unread` event's count, skipping comments and `retry`. */
  nextCount(timeoutMs?: number): Promise<number>
  close(): void
}

/** Opens `url` as an event stream with a bearer token (200 and text/event-stream expected). */
export async function openStream(url: string, token: string): Promise<SseClient> {
  const abort = new AbortController()
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    signal: abort.signal,
  })
  if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`)
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  const items: SseItem[] = []
  let buffer = ''
  const next = async (timeoutMs = 5000): Promise<SseItem> => {
    const until = Date.now() + timeoutMs
    while (!items.length) {
      const blocks = buffer.split('\n\n')
      buffer = blocks.pop()!
      for (const block of blocks) items.push(parseBlock(block))
      if (items.length) break
      const left = until - Date.now()
      if (left <= 0) throw new Error('no event in time')
      let timer: ReturnType<typeof setTimeout> | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no event in time')), left)
      })
      const chunk = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer))
      if (chunk.done) throw new Error('stream ended')
      buffer += chunk.value
    }
    return items.shift()!
  }
  const nextCount = async (timeoutMs = 5000) => {
    for (;;) {
      const item = await next(timeoutMs)
      if (item.event === 'unread') return (JSON.parse(item.data!) as { count: number }).count
    }
  }
  return { next, nextCount, close: () => abort.abort() }
}

function parseBlock(block: string): SseItem {
  const item: SseItem = {}
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) item.comment = line.slice(1).trim()
    else if (line.startsWith('event: ')) item.event = line.slice(7)
    else if (line.startsWith('data: ')) item.data = line.slice(6)
  }
  return item
}

/** Serves `fetchFn` over real HTTP on a free loopback port. */
export function listen(
  fetchFn: (req: Request) => Response | Promise<Response>,
): Promise<ServerType> {
  return new Promise((resolve) => {
    const server = serve({ fetch: fetchFn, port: 0, hostname: '127.0.0.1' }, () => resolve(server))
  })
}

/** The notifications API of a server `listen` started. */
export const urlOf = (server: ServerType) =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/notifications`

/**
 * A server with only the notification routes, whose streams beat every `heartbeatMs` (the app's
 * 25 s is too slow for a test); its own session resolver, as a second process would have.
 */
export async function listenWithHeartbeat(db: Db, heartbeatMs: number): Promise<ServerType> {
  const log = pino({ level: 'silent' })
  const sessions = createSessionResolver(db)
  const deps = { db, log, clock: systemClock, metadata: createMetadataCache(db), sessions }
  const app = new Hono<AppEnv>()
  app.onError(errorHandler(log))
  app.use(requestId())
  app.use('/api/*', auth({ sessions, clock: systemClock, publicPaths: new Set() }))
  app.route('/api/notifications', notificationRoutes(deps, { heartbeatMs }))
  return listen(app.fetch)
}
