import type { Logger } from '../context'
import type { Db } from '../db'
import type { MetadataSet } from '../registry'
import type { AlertDeps } from './alert-deps'
import { createHttpSmsGateway, createInProcessMailer, createSmtpMailer } from './channels'

/** The settings alert delivery reads from the server config. */
export interface AlertSettings {
  smtpUrl?: string
  mailFrom: string
  smsGatewayUrl?: string
  smsGatewayToken?: string
  timeZone?: string
  locale?: string
  baseUrl?: string
}

/**
 * Builds what alert delivery needs from the config: SMTP mail when `SMTP_URL` is set, else an
 * in-process mailer (said once in the log: mail is kept, not sent); an SMS gateway when both
 * of its settings are there. `metadata` must read through the db it is given (see AlertDeps).
 * @example const deps = openAlertDeps(config, (db) => loadPublishedMetadata(db), log)
 */
export function openAlertDeps(
  settings: AlertSettings,
  metadata: (db: Db) => Promise<MetadataSet>,
  log: Logger,
): AlertDeps {
  const mailer = settings.smtpUrl
    ? createSmtpMailer({ url: settings.smtpUrl, from: settings.mailFrom })
    : createInProcessMailer()
  if (!settings.smtpUrl) log.info('SMTP_URL is not set: alert mail is kept in process, not sent')
  const sms =
    settings.smsGatewayUrl && settings.smsGatewayToken
      ? createHttpSmsGateway({ url: settings.smsGatewayUrl, token: settings.smsGatewayToken })
      : undefined
  return {
    metadata,
    mailer,
    mailFrom: settings.mailFrom,
    sms,
    env: process.env,
    timeZone: settings.timeZone,
    locale: settings.locale,
    baseUrl: settings.baseUrl,
    log,
  }
}
