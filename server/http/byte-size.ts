/**
 * A byte count as people read a limit: `200 MB`, `1 MB`, `512 KB`, `1.5 MB`, `2000 bytes`.
 * @example toByteSize(200 * 1024 * 1024) // '200 MB'
 */
export function toByteSize(bytes: number): string {
  const units: [number, string][] = [
    [1024 * 1024 * 1024, 'GB'],
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ]
  for (const [size, unit] of units) {
    const n = bytes / size
    // Only a round figure (or one decimal) reads as a limit; 2000 bytes stays 2000 bytes.
    if (n >= 1 && Number.isInteger(n * 10)) return `${Number(n.toFixed(1))} ${unit}`
  }
  return `${bytes} bytes`
}
