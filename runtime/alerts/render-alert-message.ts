import type { Alert, AlertMessage } from '../../metadata/alert'
import { pickTemplate, renderTemplate } from '../templates'
import type { AlertDeps } from './alert-deps'

/** A message rendered for one reader. */
export interface RenderedMessage {
  locale: string
  title: string
  body: string
  html?: string
}

/** The link that opens a record in the workspace, absolute when the base address is known. */
export function recordLink(deps: AlertDeps, entity: string | null, recordId: string | null) {
  if (!entity || !recordId) return null
  const path = `/e/${encodeURIComponent(entity)}/${encodeURIComponent(recordId)}`
  return deps.baseUrl ? new URL(path, deps.baseUrl).toString() : path
}

/**
 * Renders an alert's template in the reader's language (falling back to English) over
 * `{ record, previous, $user, link }` — only what the caller put there, so a recipient's
 * message never holds a field they may not read.
 */
export function renderAlertMessage(
  alert: Alert,
  locale: string | null,
  data: Record<string, unknown>,
  timeZone: string,
): RenderedMessage {
  const picked = pickTemplate<AlertMessage>(alert.template, locale) ?? {
    locale: 'en',
    template: alert.template.en,
  }
  const opts = { locale: picked.locale, timeZone }
  const { title, body, html } = picked.template
  return {
    locale: picked.locale,
    title: renderTemplate(title, data, { ...opts, format: 'text' }),
    body: renderTemplate(body, data, { ...opts, format: 'text' }),
    html: html === undefined ? undefined : renderTemplate(html, data, { ...opts, format: 'html' }),
  }
}
