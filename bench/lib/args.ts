import { parseArgs } from 'node:util'

/** Options of `bench/run.ts`. */
export interface BenchArgs {
  rows: number
  duration: number
  /**
   * Seconds of load each side gets before its first measured run: a JIT-compiled server needs
   * a few thousand requests before its code is optimised, and a cold side's first round would
   * measure its warm-up, not its speed.
   */
  warmup: number
  rounds: number
  connections: number
  /** Scenarios to run by name (see SCENARIOS); empty = all. */
  only: Set<ScenarioName>
}

/** Every scenario by name, with the number of the target (targets.md) it measures. */
export const SCENARIOS = {
  middleware: 0,
  list: 1,
  permissions: 1,
  get: 2,
  create: 3,
  update: 4,
  transition: 5,
  report: 6,
  // A list-like read: measured against the same goal as target 1's lists.
  search: 1,
  import: 7,
  reminders: 8,
  idle: 9,
  metadata: 11,
} as const

export type ScenarioName = keyof typeof SCENARIOS

const ALIASES: Record<string, ScenarioName> = { startup: 'idle' }
const ALL_TARGETS = [...new Set(Object.values(SCENARIOS))]

/** The scenarios an `--only` item names: a scenario name, an alias, or a target number. */
function scenariosOf(key: string): ScenarioName[] {
  if (key in SCENARIOS) return [key as ScenarioName]
  if (key in ALIASES) return [ALIASES[key]]
  const n = Number(key)
  const named = (Object.keys(SCENARIOS) as ScenarioName[]).filter((s) => SCENARIOS[s] === n)
  if (key !== '' && named.length) return named
  throw new Error(
    `--only: unknown scenario '${key}' (use ${ALL_TARGETS.join(', ')} or ${[...Object.keys(SCENARIOS), ...Object.keys(ALIASES)].join(', ')})`,
  )
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer, got '${value}'`)
  return n
}

/** Parses `--rows --duration --warmup --rounds --connections --only 1,3,metadata,permissions`. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string', multiple: true },
    },
  })
  const only = new Set<ScenarioName>()
  for (const item of (values.only ?? []).flatMap((v) => v.split(','))) {
    const key = item.trim()
    if (key) for (const name of scenariosOf(key)) only.add(name)
  }
  return {
    rows: positiveInt('rows', values.rows, 1_000_000),
    duration: positiveInt('duration', values.duration, 5),
    warmup: positiveInt('warmup', values.warmup, 5),
    rounds: positiveInt('rounds', values.rounds, 3),
    connections: positiveInt('connections', values.connections, 32),
    only,
  }
}

/** Whether a scenario is selected by `--only` (everything when it was not given). */
export function selected(args: BenchArgs, scenario: ScenarioName): boolean {
  return args.only.size === 0 || args.only.has(scenario)
}
