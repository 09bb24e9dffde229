/**
 * A message that did not reach its channel: the receiver answered outside 2xx, the network
 * failed, or the time ran out. The job that sent it throws this on; the queue retries with
 * backoff and dead-letters it after the last try. Messages name the receiver by its origin only:
 * bot and gateway URLs carry their credentials in the path or query.
 */
export class DeliveryError extends Error {
  /** Whether trying again may help (network trouble, time-outs, HTTP 408, 429 and 5xx). */
  readonly retryable: boolean

  constructor(
    message: string,
    readonly channel: string,
    /** The receiver's status (HTTP, or the SMTP reply code for email), when it answered. */
    readonly status?: number,
    retryable?: boolean,
  ) {
    super(message)
    this.name = 'DeliveryError'
    this.retryable =
      retryable ?? (status === undefined || status === 408 || status === 429 || status >= 500)
  }
}
