import { describe, expect, it } from 'vitest'
import { fileUrl, formatSize, isPreviewable, previewUrl } from './files'

describe('file helpers of the workspace', () => {
  it('formats sizes in the reader locale', () => {
    expect(formatSize(12, 'en')).toBe('12 B')
    expect(formatSize(1536, 'en')).toBe('1.5 KB')
    expect(formatSize(25 * 1024 * 1024, 'ko')).toBe('25 MB')
    expect(formatSize(undefined, 'en')).toBe('')
  })

  it('previews raster images only and escapes ids in addresses', () => {
    expect(isPreviewable('image/webp')).toBe(true)
    expect(isPreviewable('image/svg+xml')).toBe(false)
    expect(fileUrl('a/../b')).toBe('/api/files/a%2F..%2Fb')
    expect(previewUrl('x')).toBe('/api/files/x/preview')
  })
})
