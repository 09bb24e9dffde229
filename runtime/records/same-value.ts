/** Deep equality of API values (JSON data: key order of objects ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || a === undefined || b === undefined) return a == b
  if (typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const other = b as unknown[]
    return a.length === other.length && a.every((v, i) => sameValue(v, other[i]))
  }
  const ak = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const bk = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  if (ak.length !== bk.length) return false
  return ak.every((k) =>
    sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  )
}

/** Child rows compared by their field values, ignoring row ids (they are replaced on save). */
export function sameRows(a: unknown, b: unknown): boolean {
  const strip = (rows: unknown) =>
    Array.isArray(rows)
      ? rows.map((row: unknown) => {
          // A malformed row (null, a number) is compared as it is; validation names it later.
          if (!row || typeof row !== 'object') return row
          const { id: _id, ...rest } = row as Record<string, unknown>
          return rest
        })
      : (rows ?? null)
  return sameValue(strip(a), strip(b))
}
