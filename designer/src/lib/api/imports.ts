import { i18n } from '$lib/i18n/locale.svelte'
import { ApiError, type ApiIssue } from './client'

/** An import run as the API answers it. */
export interface ImportJob {
  id: string
  status: 'running' | 'done' | 'failed'
  rowsDone: number
  totalRows: number | null
  inserted: number
  updated: number
  failed: number
  error: string | null
}

/** What a file would do: the mapping, counts and the first refused rows. */
export interface ImportPreview {
  headers: string[]
  mapping: Record<string, string | null>
  totalRows: number
  failedRows: number
  errors: { number: number; cells: string[]; issues: ApiIssue[]; record?: number }[]
}

/** How rows become records: the upsert key, and with child columns the grouping column. */
export interface ImportChoice {
  key: string
  group: string
}

/** The query of an import call: entity, upsert key, group column and the mapping as JSON. */
function importQuery(
  entity: string,
  choice: ImportChoice,
  mapping?: Record<string, string | null>,
) {
  const query = new URLSearchParams({ entity })
  if (choice.key) query.set('key', choice.key)
  if (choice.group) query.set('group', choice.group)
  if (mapping) query.set('mapping', JSON.stringify(mapping))
  return query
}

/** POSTs `file` as multipart; the answer's messages and labels come in the workspace's language. */
export async function postFile<T>(path: string, query: URLSearchParams, file: File): Promise<T> {
  const body = new FormData()
  body.append('file', file, file.name)
  let res: Response
  try {
    res = await fetch(`${path}?${query}`, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { 'x-trellis-locale': i18n.locale },
    })
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err))
  }
  const payload = (await res.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: ApiIssue[] }
  } | null
  if (res.ok) return payload as T
  const error = payload?.error ?? {}
  throw new ApiError(
    res.status,
    error.code ?? `http_${res.status}`,
    error.message ?? '',
    error.details,
  )
}

/** Every row of the file converted and validated, nothing written. */
export const previewImport = (
  entity: string,
  file: File,
  choice: ImportChoice,
  mapping?: Record<string, string | null>,
) => postFile<ImportPreview>('/api/import/preview', importQuery(entity, choice, mapping), file)

/** Starts (or resumes) the run; follow it with `importEventsUrl`. */
export const startImport = (
  entity: string,
  file: File,
  choice: ImportChoice,
  mapping: Record<string, string | null>,
) => postFile<ImportJob>(`/api/import`, importQuery(entity, choice, mapping), file)

/** The run's progress as Server-Sent Events (`progress`, then `end`). */
export const importEventsUrl = (id: string) => `/api/import/jobs/${encodeURIComponent(id)}/events`

/** The error file: refused rows with the reason, to fix and import again. */
export const importErrorsUrl = (id: string) => `/api/import/jobs/${encodeURIComponent(id)}/errors`
