/**
 * What kinds of file an upload may be, and which of them a browser may show inline. Types are
 * MIME types, lower case, without parameters.
 */

/** Accepted when neither the instance nor the field says otherwise: documents and images. */
export const DEFAULT_UPLOAD_TYPES: readonly string[] = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]

/** Largest upload when neither the instance nor the field says otherwise (25 MB). */
export const DEFAULT_UPLOAD_MAX_BYTES = 25 * 1024 * 1024

/** Raster images a browser shows without running anything: the only types served inline. */
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  txt: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  zip: 'application/zip',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
}

const GENERIC = new Set(['', 'application/octet-stream', 'binary/octet-stream'])

/**
 * The type a file is stored as: what the client declared, or from the name's extension when the
 * client sent none or a generic one (`application/octet-stream`).
 * @example toFileType('image/PNG; x=1', 'a.png') // 'image/png'
 */
export function toFileType(declared: string | undefined, name: string): string {
  const type = (declared ?? '').split(';')[0].trim().toLowerCase()
  if (!GENERIC.has(type)) return type
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase()
  return (ext && BY_EXTENSION[ext]) || 'application/octet-stream'
}

/** Whether `type` is in `accept`: exact types and `image/*`-style families. */
export function isAcceptedType(type: string, accept: readonly string[]): boolean {
  return accept.some((a) => (a.endsWith('/*') ? type.startsWith(a.slice(0, -1)) : a === type))
}

/** Whether a browser may show this type inline (safe raster images only; never SVG or HTML). */
export function isPreviewable(type: string): boolean {
  return PREVIEWABLE.has(type)
}

const SIGNATURES: [string, (b: Uint8Array) => boolean][] = [
  ['image/png', (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['image/jpeg', (b) => startsWith(b, [0xff, 0xd8, 0xff])],
  ['image/gif', (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')],
  ['image/webp', (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')],
  ['application/pdf', (b) => ascii(b, 0, '%PDF-')],
]

/**
 * Whether the first bytes of a file fit its type, for the types that have a signature (images and
 * PDF): a page renamed `x.png` is refused rather than stored as an image. Other types pass.
 */
export function fitsSignature(type: string, head: Uint8Array): boolean {
  const check = SIGNATURES.find(([t]) => t === type)?.[1]
  return !check || check(head)
}

/** Bytes of the head `fitsSignature` needs. */
export const SIGNATURE_BYTES = 16

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b)
}

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  return [...text].every((ch, i) => bytes[at + i] === ch.charCodeAt(0))
}
