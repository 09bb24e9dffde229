import type { Logger } from '../context'
import type { Db } from '../db'
import type { MetadataSet } from '../registry'
import type { Mailer, SmsGateway } from './channels'
import type { RecipientRow } from './recipient-query'

/** What alert delivery needs from its process: metadata, senders and settings. */
export interface AlertDeps {
  /**
   * The published metadata (a cache in the server, a fresh read in `jobs run` and tests). A
   * read must go through `db`: handlers call it inside their transaction, and on PGlite (one
   * connection) a query on another handle would wait for that transaction forever.
   */
  metadata: (db: Db) => Promise<MetadataSet>
  /** Mail goes here; none configured: an in-process mailer (`createInProcessMailer`). */
  mailer: Mailer
  /** The From address of alert mail (SMTP mailers may set their own). */
  mailFrom?: string
  /** Text messages go here; none: SMS channels are skipped with a log line. */
  sms?: SmsGateway
  /** Where webhook secrets and chat bot addresses are read (default `process.env`). */
  env?: Record<string, string | undefined>
  /** The instance time zone date alerts and templates read (default UTC). */
  timeZone?: string
  /** The language for recipients with none of their own: a contact's phone or mail (default en). */
  locale?: string
  /** Records planned per chunk when a published date alert plans existing records (1000). */
  planBatch?: number
  /** The workspace's public address, for links that open the record (chat, webhook). */
  baseUrl?: string
  log?: Logger
}

/** The queue job that delivers one alert firing to one recipient (or its group channels). */
export const ALERT_DELIVERY_JOB = 'alert-delivery'

/** What an `alert-delivery` job carries. */
export interface AlertDeliveryData {
  alert: string
  /** The record it is about; null for a schedule alert without one. */
  entity: string | null
  recordId: string | null
  /** What fired it: `created`, `updated`, `deleted`, `date` or `schedule`. */
  event: string
  /** The values before the write (updates), to render `previous` and evaluate actions. */
  previous: Record<string, unknown> | null
  /** The record as it was (deletes only: it cannot be read again). */
  snapshot: Record<string, unknown> | null
  /** One user or contact; null: the alert's group channels (webhook, chat) and its actions. */
  recipient: RecipientRow | null
}
