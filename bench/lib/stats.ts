/** The median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: number[]): number {
  if (!values.length) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** The value at a percentile (0–100) of a list, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]
}

/** Run order for round `i` of A/B: ABBA… so neither side always runs on a warmer machine. */
export function roundOrder<T>(sides: T[], round: number): T[] {
  return round % 2 === 0 ? [...sides] : [...sides].reverse()
}
