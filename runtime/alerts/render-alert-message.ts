import type { Alert, AlertMessage } from '../../metadata/alert'
import { pickTemplate, renderTemplate } from '../templates'
import type { AlertDeps } from './alert-deps'

/** The longest title and body an in-app notification stores. */
export const NOTICE_TITLE_MAX = 500
export const NOTICE_BODY_MAX = 10_000

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

/** One language's message as text: its title and body over `data`. */
function renderText(
  message: AlertMessage,
  data: Record<string, unknown>,
  opts: { locale: string; timeZone: string },
): { title: string; body: string } {
  return {
    title: renderTemplate(message.title, data, { ...opts, format: 'text' }),
    body: renderTemplate(message.body, data, { ...opts, format: 'text' }),
  }
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
  const { html } = picked.template
  return {
    locale: picked.locale,
    ...renderText(picked.template, data, opts),
    html: html === undefined ? undefined : renderTemplate(html, data, { ...opts, format: 'html' }),
  }
}

/**
 * The same message as text in every language the alert's template has, by locale, cut to what a
 * notification holds: an in-app notice keeps them all and shows each reader their language of
 * the moment they read it. Null for a template in one language: every reader gets that one, as
 * the notice's own title already says it.
 * @example renderAlertTexts(alert, { record, previous, $user, link }, 'Asia/Shanghai')
 * // { en: { title: 'New deal Acme', body: '…' }, 'zh-CN': { title: '新商机 Acme', body: '…' } }
 */
export function renderAlertTexts(
  alert: Alert,
  data: Record<string, unknown>,
  timeZone: string,
): Record<string, { title: string; body: string }> | null {
  if (Object.keys(alert.template).length < 2) return null
  const texts: Record<string, { title: string; body: string }> = {}
  for (const [locale, message] of Object.entries(alert.template)) {
    const { title, body } = renderText(message, data, { locale, timeZone })
    // A language whose title comes out empty is left out: its readers get the stored title.
    if (title.trim())
      texts[locale] = {
        title: title.slice(0, NOTICE_TITLE_MAX),
        body: body.slice(0, NOTICE_BODY_MAX),
      }
  }
  return texts
}
