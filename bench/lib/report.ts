import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './run-cli'

/** One line of the result table. */
export interface ResultRow {
  target: number
  scenario: string
  trellis: string
  reference: string
  ratio: string
  goal: string
  p99: string
  verdict: 'PASS' | 'MISS' | 'ERROR' | 'INFO'
  /** Raw numbers per round, notes, errors: what the JSON file keeps. */
  details?: Record<string, unknown>
}

const COLUMNS: [keyof ResultRow, string][] = [
  ['target', '#'],
  ['scenario', 'scenario'],
  ['trellis', 'Trellis'],
  ['reference', 'reference'],
  ['ratio', 'ratio'],
  ['goal', 'target'],
  ['p99', 'p99 T / ref (ms)'],
  ['verdict', 'result'],
]

/** The rows as an aligned text table. */
export function formatTable(rows: ResultRow[]): string {
  const cells = rows.map((row) => COLUMNS.map(([key]) => String(row[key] ?? '')))
  const widths = COLUMNS.map(([, title], i) =>
    Math.max(title.length, ...cells.map((c) => c[i].length)),
  )
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  return [
    line(COLUMNS.map(([, t]) => t)),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
  ].join('\n')
}

/** Writes the run as JSON to bench/.results/<timestamp>.json and returns the path. */
export function writeResults(run: Record<string, unknown>, now: Date = new Date()): string {
  const dir = join(ROOT, 'bench', '.results')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${now.toISOString().replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`)
  return file
}

/** Requests per second for the table. */
export const fmtRps = (n: number) =>
  Number.isFinite(n) ? `${Math.round(n).toLocaleString('en')}/s` : '—'

/** A ratio with two decimals and a ×. */
export const fmtRatio = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '—')
