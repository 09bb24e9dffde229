import type { Labels } from '$metadata/labels'
import { api, toUrl, unwrap } from '$lib/api/client'
import type { RecordData } from '$lib/api/data'

/** A print template as GET /api/meta/templates lists it. */
export interface TemplateSummary {
  id: string
  label: Labels
  entity: string
  languages: string[]
  paper: string
}

/** The print templates of an entity. */
export async function loadTemplates(entity: string): Promise<TemplateSummary[]> {
  const body = await api<unknown>('/api/meta/templates', { query: { entity } })
  return unwrap<TemplateSummary[]>(body)
}

/** The address that prints a record through a template in a language (a PDF, or the HTML view). */
export function printUrl(entity: string, id: string, template: string, lang: string): string {
  const path = `/api/data/${encodeURIComponent(entity)}/${encodeURIComponent(id)}/print/${encodeURIComponent(template)}`
  return toUrl(path, { lang })
}

/** A print kept on its record: the stored PDF, the field holding it, the record's new version. */
export interface KeptPrint {
  file: { id: string; name: string; type: string; size: number }
  field: string
  version: number
}

/** Prints a record to PDF and keeps the PDF in its attachment field (POST …/print/{template}). */
export function attachPrint(
  entity: string,
  id: string,
  template: string,
  lang: string,
): Promise<KeptPrint> {
  const path = `/api/data/${encodeURIComponent(entity)}/${encodeURIComponent(id)}/print/${encodeURIComponent(template)}`
  return api<KeptPrint>(path, { method: 'POST', body: { lang } })
}

/** A new record copied from this one, child rows included (POST …/copy). */
export function copyRecord(entity: string, id: string): Promise<RecordData> {
  const path = `/api/data/${encodeURIComponent(entity)}/${encodeURIComponent(id)}/copy`
  return api<RecordData>(path, { method: 'POST' })
}
