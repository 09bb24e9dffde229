import { ApiError, type ApiIssue } from './client'

/** A stored file as the API answers it and attachment fields hold it. */
export interface StoredFile {
  id: string
  name: string
  type: string
  size: number
}

/**
 * Uploads one file for `entity`.`field` (`lines.receipt` in a grid row) as a pending upload; a
 * save of the record with `{ id }` in the field attaches it.
 * @example const file = await uploadFile('customer', 'documents', input.files[0])
 */
export async function uploadFile(entity: string, field: string, file: File): Promise<StoredFile> {
  const body = new FormData()
  body.append('file', file, file.name)
  const query = new URLSearchParams({ entity, field })
  let res: Response
  try {
    res = await fetch(`/api/files?${query}`, { method: 'POST', body, credentials: 'same-origin' })
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err))
  }
  const payload = (await res.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: ApiIssue[] }
  } | null
  if (res.ok) return payload as unknown as StoredFile
  const error = payload?.error ?? {}
  throw new ApiError(
    res.status,
    error.code ?? `http_${res.status}`,
    error.message ?? '',
    error.details,
  )
}

/** Where the file is downloaded from (always as an attachment). */
export const fileUrl = (id: string) => `/api/files/${encodeURIComponent(id)}`

/** Where a raster image is shown inline. */
export const previewUrl = (id: string) => `/api/files/${encodeURIComponent(id)}/preview`

const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

/** Whether the server shows this type inline (raster images; never SVG). */
export const isPreviewable = (type: string | undefined) => PREVIEWABLE.has(type ?? '')

/** `1.2 MB`, `340 KB`, `12 B` in the reader's locale. */
export function formatSize(bytes: number | undefined, locale: string): string {
  if (bytes === undefined) return ''
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[unit]}`
}
