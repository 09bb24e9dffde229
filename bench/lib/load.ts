import autocannon, { type RequestSpec, type Result } from 'autocannon'

/** One load run's numbers. */
export interface LoadResult {
  rps: number
  p50: number
  p99: number
  requests: number
  status: Record<string, number>
  /** Connection errors other than timeouts (refused, reset): the server is in trouble. */
  errors: number
  /** Requests without an answer within the timeout: slow, counted apart from errors. */
  timeouts: number
}

/** What to send: a fixed request, or a factory making each request (for writes). */
export interface LoadSpec {
  url: string
  method?: string
  path: string
  headers?: Record<string, string>
  body?: string
  /** Builds each request; `context` belongs to the connection (requests on it are sequential). */
  setupRequest?: (req: RequestSpec, context: Record<string, unknown>) => RequestSpec
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void
}

function summarise(result: Result): LoadResult {
  const status: Record<string, number> = {}
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) status[code] = stat.count
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    status,
    errors: Math.max(0, result.errors - result.timeouts),
    timeouts: result.timeouts,
  }
}

/** Runs autocannon for `duration` seconds with `connections` keep-alive connections. */
export async function runLoad(
  spec: LoadSpec,
  connections: number,
  duration: number,
): Promise<LoadResult> {
  const request: RequestSpec = {
    method: spec.method ?? 'GET',
    path: spec.path,
    headers: { 'content-type': 'application/json', ...spec.headers },
    body: spec.body,
  }
  if (spec.setupRequest) request.setupRequest = spec.setupRequest
  if (spec.onResponse) request.onResponse = spec.onResponse
  const result = await autocannon({
    url: spec.url,
    connections,
    duration,
    timeout: 30,
    requests: [request],
  })
  return summarise(result)
}

/** Codes other than the expected ones, e.g. `{ "500": 3 }` — a run with these is not a result. */
export function unexpectedStatus(result: LoadResult, expected: number[]): Record<string, number> {
  return Object.fromEntries(
    Object.entries(result.status).filter(([code]) => !expected.includes(Number(code))),
  )
}
