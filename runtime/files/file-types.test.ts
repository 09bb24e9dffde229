import { describe, expect, it } from 'vitest'
import { fitsSignature, isAcceptedType, isPreviewable, toFileType } from './file-types'

describe('file types', () => {
  it('takes the declared type, or the extension when the client sent a generic one', () => {
    expect(toFileType('Image/PNG; charset=x', 'a.bin')).toBe('image/png')
    expect(toFileType('application/octet-stream', 'report.PDF')).toBe('application/pdf')
    expect(toFileType(undefined, 'noext')).toBe('application/octet-stream')
  })

  it('accepts exact types and families', () => {
    expect(isAcceptedType('image/webp', ['image/*'])).toBe(true)
    expect(isAcceptedType('imagex/webp', ['image/*'])).toBe(false)
    expect(isAcceptedType('text/plain', ['application/pdf'])).toBe(false)
  })

  it('previews raster images only, never SVG or HTML', () => {
    for (const t of ['image/png', 'image/jpeg', 'image/gif', 'image/webp'])
      expect(isPreviewable(t)).toBe(true)
    for (const t of ['image/svg+xml', 'text/html', 'application/pdf'])
      expect(isPreviewable(t)).toBe(false)
  })

  it('checks the first bytes of images and PDFs', () => {
    expect(fitsSignature('image/gif', Buffer.from('GIF89a......'))).toBe(true)
    expect(fitsSignature('image/webp', Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe(true)
    expect(fitsSignature('image/jpeg', Buffer.from('<svg/>'))).toBe(false)
    expect(fitsSignature('application/pdf', Buffer.from('%PDF-1.4'))).toBe(true)
    expect(fitsSignature('text/plain', Buffer.from('anything'))).toBe(true)
  })
})
