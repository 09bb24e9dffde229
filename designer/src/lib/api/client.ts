/** One problem the server located on a field (`name`) or a grid cell (`lines[2].quantity`). */
export interface ApiIssue {
  path: string
  message: string
}

/** A non-2xx answer, carrying the server's `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiIssue[] = [],
    /** The whole `error` object: conflict answers may carry e.g. the current version. */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  body?: unknown
  headers?: Record<string, string>
  query?: Record<string, string | number | boolean | undefined | null>
}

let shownLocale = 'en'

/** The language the workspace shows: sent with every call, so labels in answers match it. */
export function setApiLocale(locale: string): void {
  shownLocale = locale
}

/** Calls the Trellis API on the same origin (the session travels in the cookie). */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  // Labels the API answers with (flow states, inbox steps) follow the workspace's language.
  const headers: Record<string, string> = {
    accept: 'application/json',
    'x-trellis-locale': shownLocale,
    ...opts.headers,
  }
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(toUrl(path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    })
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err))
  }
  const payload = await readJson(res)
  if (!res.ok) throw toApiError(res.status, payload)
  return payload as T
}

/** Builds `/api/...?a=1` leaving out empty query values. */
export function toUrl(path: string, query: RequestOptions['query'] = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return { error: { code: 'bad_response', message: text.slice(0, 200) } }
  }
}

function toApiError(status: number, payload: unknown): ApiError {
  const error = (payload as { error?: Record<string, unknown> } | null)?.error ?? {}
  const details = Array.isArray(error.details) ? (error.details as ApiIssue[]) : []
  const message = typeof error.message === 'string' ? error.message : `HTTP ${status}`
  const code = typeof error.code === 'string' ? error.code : 'http_' + status
  return new ApiError(status, code, message, details, error)
}

/** Unwraps `{ data: x }` answers and passes bare ones through. */
export function unwrap<T>(payload: unknown): T {
  if (payload && typeof payload === 'object' && !Array.isArray(payload) && 'data' in payload) {
    return (payload as { data: T }).data
  }
  return payload as T
}
