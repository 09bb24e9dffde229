import type { Context } from 'hono'
import { Hono } from 'hono'
import { BadRequestError } from '../../runtime/errors'
import { signInFirst } from '../../runtime/identity'
import {
  listNotifications,
  markAllRead,
  markRead,
  notificationHub,
  unreadCount,
} from '../../runtime/notifications'
import type { AppDeps, AppEnv } from '../app-deps'
import { readQuery, toBooleanParam, toPositiveIntParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'
import { callerWatch, isStillSignedIn } from '../http/caller-watch'
import { sessionToken } from '../middleware/auth'

const LIST_PARAMS = ['unread', 'limit', 'before'] as const

export interface NotificationRouteOptions {
  /** How often an open stream sends a comment (and rechecks the count): default 25 s. */
  heartbeatMs?: number
}

/**
 * The caller's notifications under /api/notifications: the list, marking read, and the
 * Server-Sent Events stream of the unread count.
 */
export function notificationRoutes(
  deps: AppDeps,
  options: NotificationRouteOptions = {},
): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const locale = requestLocale(c)
      const query = readQuery(c, LIST_PARAMS, locale)
      const ctx = await requestCtx(c, deps)
      const page = await listNotifications(ctx, {
        unread: toBooleanParam('unread', query.unread, locale),
        limit: toPositiveIntParam('limit', query.limit, locale),
        before: query.before,
      })
      return c.json(page)
    })
    .get('/stream', (c) => {
      readQuery(c, [], requestLocale(c))
      return unreadStream(c, deps, options.heartbeatMs ?? 25_000)
    })
    .post('/read-all', async (c) => {
      readQuery(c, [], requestLocale(c))
      return c.json(await markAllRead(await requestCtx(c, deps)))
    })
    .post('/:id/read', async (c) => {
      readQuery(c, [], requestLocale(c))
      return c.json(await markRead(await requestCtx(c, deps), c.req.param('id')))
    })
}

/**
 * Watches the stream's caller: `signOff` runs once their session or token ends (logout,
 * revocation, expiry) or their account is disabled — at once on the change notice from any
 * process, and at the latest on the next `recheck` (the heartbeat), should a notice be lost.
 */
async function watchCaller(
  c: Context<AppEnv>,
  deps: AppDeps,
  userId: string,
  signOff: () => void,
): Promise<{ recheck: () => void; stop: () => void }> {
  // The auth middleware admitted the request with this token, so it is there.
  const { token } = sessionToken(c)!
  const log = deps.log.child({ requestId: c.get('requestId') })
  let stopped = false
  const recheck = () => {
    if (stopped) return
    isStillSignedIn(deps.db, token, deps.clock.now()).then(
      (signedIn) => void (signedIn || stopped || signOff()),
      (err: unknown) => log.warn({ err }, 'session check of a notification stream failed'),
    )
  }
  const unsubscribe = await callerWatch(deps.db).subscribe({ token, userId }, recheck)
  return {
    recheck,
    stop: () => {
      stopped = true
      unsubscribe()
    },
  }
}

/**
 * `event: unread` with `{"count":n}` on connect and after every change to the caller's
 * notifications in any process (through the process's one LISTEN), a comment every
 * `heartbeatMs` that also rechecks the count (a notice lost while a connection was down is
 * caught up) and the caller's session, everything let go when the client leaves. When the
 * caller signs out or is disabled the stream says `event: signedOut` and ends.
 */
async function unreadStream(c: Context<AppEnv>, deps: AppDeps, heartbeatMs: number) {
  const user = c.get('user')
  if (!user) throw signInFirst(requestLocale(c))
  if (!(c.req.header('accept') ?? '').includes('text/event-stream')) {
    throw new BadRequestError('This is an event stream: send Accept: text/event-stream', [
      { path: 'accept', message: 'must accept text/event-stream' },
    ])
  }
  const encoder = new TextEncoder()
  const log = deps.log.child({ requestId: c.get('requestId') })
  const hub = notificationHub(deps.db, (err) => deps.log.warn({ err }, 'notification count failed'))
  let last = -1
  let closed = false
  let unsubscribe = () => {}
  let caller = { recheck: () => {}, stop: () => {} }
  let timer: ReturnType<typeof setInterval> | undefined
  const close = () => {
    if (closed) return
    closed = true
    clearInterval(timer)
    unsubscribe()
    caller.stop()
  }
  // start() runs inside the constructor: the controller is there before anything is sent.
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const stream = new ReadableStream<Uint8Array>({
    start: (ctl) => void (controller = ctl),
    // The client left (Node closed the response): let go of the subscription and the timer.
    cancel: () => close(),
  })
  const write = (text: string) => {
    if (closed) return
    try {
      controller.enqueue(encoder.encode(text))
    } catch {
      close()
    }
  }
  const send = (count: number) => {
    if (count === last) return
    last = count
    write(`event: unread\ndata: ${JSON.stringify({ count })}\n\n`)
  }
  // Signed out or disabled: nothing more goes to this session.
  const signOff = () => {
    write('event: signedOut\ndata: {}\n\n')
    close()
    try {
      controller.close()
    } catch {
      // already closed by the client
    }
  }
  // Subscribed before counting: a change between the two is counted again by its notice. A
  // failure here is still an error answer, not a broken stream.
  try {
    unsubscribe = await hub.subscribe(user.id, send)
    caller = await watchCaller(c, deps, user.id, signOff)
    write('retry: 5000\n\n')
    send(await unreadCount(deps.db, user.id))
  } catch (err) {
    close()
    throw err
  }
  // A sign-out between the auth check and the watch above had no one to hear it.
  caller.recheck()
  timer = setInterval(() => {
    write(': heartbeat\n\n')
    unreadCount(deps.db, user.id).then(send, (err: unknown) =>
      log.warn({ err }, 'notification count failed'),
    )
    caller.recheck()
  }, heartbeatMs)
  c.req.raw.signal?.addEventListener('abort', close)
  return c.body(stream, 200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  })
}
