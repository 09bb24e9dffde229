const RECORD_NAME_OPS = new Set(['missing', 'missing_some'])

/** Every path a json-logic rule reads: each `var` path and each `missing` name, whole. */
export function ruleVarPaths(rule: unknown, into = new Set<string>()): Set<string> {
  if (rule === null || typeof rule !== 'object') return into
  if (Array.isArray(rule)) {
    for (const item of rule) ruleVarPaths(item, into)
    return into
  }
  for (const [op, raw] of Object.entries(rule as Record<string, unknown>)) {
    const args = Array.isArray(raw) ? raw : [raw]
    if (op === 'var') {
      const path = args[0]
      if (typeof path === 'string' || typeof path === 'number') into.add(String(path))
      else ruleVarPaths(path, into)
      ruleVarPaths(args.slice(1), into)
    } else if (RECORD_NAME_OPS.has(op)) {
      for (const arg of args.flat())
        if (typeof arg === 'string') into.add(arg)
        else ruleVarPaths(arg, into)
    } else {
      ruleVarPaths(args, into)
    }
  }
  return into
}

/** The first segment of every `var` (and `missing` name) a json-logic rule reads. */
export function ruleFieldNames(rule: unknown, into = new Set<string>()): Set<string> {
  for (const path of ruleVarPaths(rule)) into.add(path.split('.')[0])
  return into
}
