import { sql } from 'drizzle-orm'
import type { Db } from '../../runtime/db'

/** One generated request and the parts of it an error may blame. */
export interface FuzzRequest {
  method: string
  path: string
  headers?: Record<string, string>
  body?: string
  /**
   * Where a 400 / 409 / 422 may point: some detail's path must be one of these or start with one
   * (`lines` covers `lines[2].product`). Empty: any non-empty path will do.
   */
  blame: string[]
  /** The request may be a valid write (the route fuzz cannot tell): success is no finding. */
  mayWrite?: boolean
}

const WRITES = new Set(['POST', 'PATCH', 'DELETE', 'PUT'])

/** The request as a reproducible line: method, path, headers and (the start of) the body. */
export function formatRequest(req: FuzzRequest): string {
  const body =
    req.body === undefined
      ? ''
      : ` body(${req.body.length} chars)=${JSON.stringify(req.body.slice(0, 400))}`
  const path = req.path.length > 400 ? `${req.path.slice(0, 400)}…(${req.path.length})` : req.path
  return `${req.method} ${path} headers=${JSON.stringify(req.headers ?? {})}${body} blame=${JSON.stringify(req.blame)}`
}

function blames(path: string, roots: string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(`${r}.`) || path.startsWith(`${r}[`))
}

/**
 * What is wrong with a response to a malformed request, or null: no 5xx, writes refused, the
 * request id header, the one error body, and for 400 / 409 / 422 details naming the bad part.
 */
export async function checkResponse(req: FuzzRequest, res: Response): Promise<string | null> {
  const text = await res.text()
  const said = `${res.status} ${text.slice(0, 300)}`
  if (res.status >= 500) return `server error: ${said}`
  if (WRITES.has(req.method) && !req.mayWrite && res.status < 400)
    return `malformed write accepted: ${said}`
  if (!res.headers.get('x-request-id')) return `no x-request-id header: ${said}`
  if (res.status < 400) return null
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return `error body is not JSON: ${said}`
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string')
    return `error body lacks code / message: ${said}`
  if (!Array.isArray(error.details)) return `error body lacks details: ${said}`
  const details = error.details as { path?: unknown; message?: unknown }[]
  const unnamed = details.find((d) => typeof d?.path !== 'string' || !d.path)
  if (unnamed) return `a detail names no part: ${said}`
  if (![400, 409, 422].includes(res.status)) return null
  if (!details.length) return `no details: ${said}`
  if (req.blame.length && !details.some((d) => blames(d.path as string, req.blame)))
    return `details blame the wrong part (expected one of ${JSON.stringify(req.blame)}): ${said}`
  return null
}

/** Row counts (and version sums) of every app table, audit_log, outbox and auto_numbers. */
export async function snapshotCounts(db: Db): Promise<Record<string, string>> {
  const tables = await db.query<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'app' order by 1`,
  )
  const out: Record<string, string> = {}
  for (const { table_name } of tables) {
    const [row] = await db.query<{ n: number; v: string }>(
      sql`select count(*)::int as n, coalesce(sum(version), 0)::text as v from ${sql.identifier('app')}.${sql.identifier(table_name)}`,
    )
    out[`app.${table_name}`] = `${row.n} rows, versions ${row.v}`
  }
  const [audit] = await db.query<{ n: number }>(sql`select count(*)::int as n from audit_log`)
  const [outbox] = await db.query<{ n: number }>(sql`select count(*)::int as n from outbox`)
  const [numbers] = await db.query<{ n: number; v: string }>(
    sql`select count(*)::int as n, coalesce(sum(value), 0)::text as v from auto_numbers`,
  )
  out.audit_log = `${audit.n} rows`
  out.outbox = `${outbox.n} rows`
  out.auto_numbers = `${numbers.n} rows, values ${numbers.v}`
  return out
}
