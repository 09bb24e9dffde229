import { parseArgs } from 'node:util'

/** Options of `bench/run.ts`. */
export interface BenchArgs {
  rows: number
  duration: number
  rounds: number
  connections: number
  /** Target numbers to run (0, 1, 2, 3, 4, 9, 11); empty = all. */
  only: Set<number>
}

export const ALL_TARGETS = [0, 1, 2, 3, 4, 9, 11] as const

const NAMES: Record<string, number> = {
  middleware: 0,
  list: 1,
  get: 2,
  create: 3,
  update: 4,
  idle: 9,
  startup: 9,
  metadata: 11,
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer, got '${value}'`)
  return n
}

/** Parses `--rows --duration --rounds --connections --only 1,3,metadata`. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string', multiple: true },
    },
  })
  const only = new Set<number>()
  for (const item of (values.only ?? []).flatMap((v) => v.split(','))) {
    const key = item.trim()
    if (!key) continue
    const n = key in NAMES ? NAMES[key] : Number(key)
    if (!(ALL_TARGETS as readonly number[]).includes(n)) {
      throw new Error(
        `--only: unknown scenario '${key}' (use ${ALL_TARGETS.join(', ')} or ${Object.keys(NAMES).join(', ')})`,
      )
    }
    only.add(n)
  }
  return {
    rows: positiveInt('rows', values.rows, 1_000_000),
    duration: positiveInt('duration', values.duration, 5),
    rounds: positiveInt('rounds', values.rounds, 3),
    connections: positiveInt('connections', values.connections, 32),
    only,
  }
}

/** Whether a target is selected by `--only` (everything when it was not given). */
export function selected(args: BenchArgs, target: number): boolean {
  return args.only.size === 0 || args.only.has(target)
}
