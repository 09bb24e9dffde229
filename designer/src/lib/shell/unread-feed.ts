import { loadNotifications } from '$lib/api/notifications'

export interface UnreadFeedOptions {
  /** How often to ask while the event stream is down (default 30 s). */
  pollMs?: number
  /** The stream's address (default the API's). */
  url?: string
  /** Called once when the server ends the stream because the caller is signed out. */
  onSignedOut?: () => void
}

/**
 * Follows my unread count: the server's event stream when the browser has one, polling
 * GET /api/notifications whenever the stream is not open (refused, reconnecting, unsupported).
 * The stream's `signedOut` event stops both and calls `onSignedOut`. Answers the function that
 * stops both.
 * @example const stop = watchUnread((n) => (count = n))
 */
export function watchUnread(onCount: (n: number) => void, options: UnreadFeedOptions = {}) {
  const pollMs = options.pollMs ?? 30_000
  let timer: ReturnType<typeof setInterval> | undefined
  let source: EventSource | undefined
  const poll = () =>
    loadNotifications(1)
      .then((page) => onCount(page.unreadCount))
      .catch(() => undefined)
  const startPolling = () => {
    if (timer) return
    void poll()
    timer = setInterval(poll, pollMs)
  }
  const stopPolling = () => {
    clearInterval(timer)
    timer = undefined
  }
  if (typeof EventSource === 'undefined') startPolling()
  else {
    source = new EventSource(options.url ?? '/api/notifications/stream')
    source.addEventListener('unread', (event) => {
      const count = Number(
        (JSON.parse((event as MessageEvent<string>).data) as { count: unknown }).count,
      )
      if (Number.isFinite(count)) onCount(count)
    })
    source.addEventListener('open', stopPolling)
    source.addEventListener('error', startPolling)
    // Logout elsewhere, a revoked token, a disabled account: stop asking, and say so once.
    source.addEventListener('signedOut', () => {
      source?.close()
      stopPolling()
      options.onSignedOut?.()
    })
  }
  return () => {
    source?.close()
    stopPolling()
  }
}
