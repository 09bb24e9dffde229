import { ApiError } from '$lib/api/client'

/** A failure as the UI shows it: a headline and the located problems (`path: message`). */
export interface ErrorText {
  status: number
  message: string
  lines: string[]
}

/** Turns anything thrown by an API call into text for an error banner. */
export function toErrorText(err: unknown): ErrorText {
  if (err instanceof ApiError) {
    const lines = err.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message))
    return { status: err.status, message: err.message, lines }
  }
  return { status: 0, message: err instanceof Error ? err.message : String(err), lines: [] }
}
