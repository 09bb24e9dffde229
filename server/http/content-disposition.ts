/**
 * A Content-Disposition header for a file name in any script: an ASCII `filename` for old
 * clients and the exact name as RFC 5987 `filename*` (UTF-8, percent-encoded).
 * @example contentDisposition('attachment', '报价单.pdf')
 * // attachment; filename="___.pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf
 */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
