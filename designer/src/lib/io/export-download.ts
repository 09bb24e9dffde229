import { ApiError } from '$lib/api/client'

/** How far an export download is: bytes received, and rows when the file is CSV. */
export interface ExportProgress {
  bytes: number
  /** Records the file holds (the server's x-total-count), when it said. */
  total?: number
  /** Records received so far (CSV only: counted by line ends, so at most `total`). */
  rows?: number
}

const NEWLINE = 10

/** The file name a Content-Disposition header carries (its UTF-8 `filename*` first). */
export function toFileName(header: string | null, fallback: string): string {
  const exact = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '')
  if (exact) {
    try {
      return decodeURIComponent(exact[1])
    } catch {
      // A malformed name falls through to the plain one.
    }
  }
  return /filename="([^"]+)"/i.exec(header ?? '')?.[1] ?? fallback
}

async function toError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: { path: string; message: string }[] }
  } | null
  const error = body?.error ?? {}
  return new ApiError(
    res.status,
    error.code ?? `http_${res.status}`,
    error.message ?? `HTTP ${res.status}`,
    error.details ?? [],
  )
}

/**
 * Downloads an export (a list's or a report's) reading the stream as it comes, so the page can
 * show how far it is, then hands the file to the browser under the server's name. Refusals
 * (403 for a hidden field, 400 for a bad filter) throw the server's ApiError.
 * @example await downloadExport('/api/data/customer/export?format=csv', 'zh-CN', (p) => (progress = p))
 */
export async function downloadExport(
  url: string,
  locale: string,
  onProgress: (progress: ExportProgress) => void,
): Promise<string> {
  const res = await fetch(url, {
    credentials: 'same-origin',
    headers: { 'x-trellis-locale': locale },
  })
  if (!res.ok || !res.body) throw await toError(res)
  const header = res.headers.get('x-total-count')
  const total = header === null ? undefined : Number(header)
  const csv = (res.headers.get('content-type') ?? '').startsWith('text/csv')
  const reader = res.body.getReader()
  const parts: Uint8Array<ArrayBuffer>[] = []
  let bytes = 0
  let lines = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parts.push(value)
    bytes += value.length
    if (csv) for (const byte of value) if (byte === NEWLINE) lines++
    // The header line is not a record; a cell holding a line break may count twice.
    const rows = csv ? Math.min(Math.max(lines - 1, 0), total ?? Infinity) : undefined
    onProgress({ bytes, total, rows })
  }
  const name = toFileName(res.headers.get('content-disposition'), 'export')
  const link = document.createElement('a')
  link.href = URL.createObjectURL(new Blob(parts, { type: res.headers.get('content-type') ?? '' }))
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000)
  return name
}
