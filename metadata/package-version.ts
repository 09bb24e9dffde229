/** A semantic version as compared: major, minor, patch and the pre-release tag ('' for none). */
type Version = [number, number, number, string]

/** One bound of a range: the version compared against and how. */
interface Comparator {
  op: '>=' | '>' | '<=' | '<' | '='
  version: Version
}

const VERSION =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/
const COMPARATOR = /^(\^|~|>=|>|<=|<|=)?(.+)$/

function toVersion(text: string): Version | null {
  const m = VERSION.exec(text)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ''] : null
}

/** Pre-release tags in semver order: dot by dot, numbers by value and before words. */
function comparePrerelease(a: string, b: string): number {
  const [x, y] = [a.split('.'), b.split('.')]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i], y[i]]
    if (p === q) continue
    const [pn, qn] = [/^\d+$/.test(p), /^\d+$/.test(q)]
    if (pn && qn) return Number(p) - Number(q)
    if (pn !== qn) return pn ? -1 : 1
    return p < q ? -1 : 1
  }
  return x.length - y.length
}

/** Negative, zero or positive as `a` comes before, with or after `b` (a pre-release before its release). */
function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number)
  if (a[3] === b[3]) return 0
  if (!a[3] || !b[3]) return a[3] ? -1 : 1
  return comparePrerelease(a[3], b[3])
}

/**
 * `^1.2.3` and `~1.2.3` as the pair of bounds they stand for. The upper bound is the first
 * pre-release of the next version (`<2.0.0-0`), so `2.0.0-beta.1` is out of `^1.2.3`.
 */
function expand(op: string, v: Version): Comparator[] {
  const [major, minor, patch] = v
  const upper: Version =
    op === '~' || (major === 0 && minor > 0)
      ? [major, minor + 1, 0, '0']
      : major > 0
        ? [major + 1, 0, 0, '0']
        : [0, 0, patch + 1, '0']
  return [
    { op: '>=', version: v },
    { op: '<', version: upper },
  ]
}

/**
 * The bounds of a dependency's version range, or null when it is not one: `*`, or versions each
 * with an optional `^`, `~`, `>=`, `>`, `<=`, `<` or `=`, separated by spaces (all must hold).
 * @example parseRange('^1.2.0') // [{ op: '>=', … 1.2.0 }, { op: '<', … 2.0.0 }]
 */
export function parseRange(range: string): Comparator[] | null {
  const text = range.trim()
  if (text === '*') return []
  const parts = text.split(/\s+/)
  const out: Comparator[] = []
  for (const part of parts) {
    const [, op = '=', rest] = COMPARATOR.exec(part) ?? []
    const version = rest === undefined ? null : toVersion(rest)
    if (!version) return null
    if (op === '^' || op === '~') out.push(...expand(op, version))
    else out.push({ op: op as Comparator['op'], version })
  }
  return out
}

/**
 * Whether `version` lies in `range`; false for a range or version that is not one.
 * @example satisfiesRange('1.4.0', '^1.0.0') // true
 * @example satisfiesRange('2.0.0', '^1.0.0') // false
 */
export function satisfiesRange(version: string, range: string): boolean {
  const v = toVersion(version)
  const bounds = parseRange(range)
  if (!v || !bounds) return false
  return bounds.every(({ op, version: bound }) => {
    const c = compareVersions(v, bound)
    if (op === '=') return c === 0
    if (op === '>=') return c >= 0
    if (op === '>') return c > 0
    if (op === '<=') return c <= 0
    return c < 0
  })
}

/**
 * Negative, zero or positive as version `a` comes before, with or after `b`; null when either is
 * not a version.
 * @example compareVersionTexts('1.0.0', '2.0.0') // negative
 */
export function compareVersionTexts(a: string, b: string): number | null {
  const [x, y] = [toVersion(a), toVersion(b)]
  return x && y ? compareVersions(x, y) : null
}
