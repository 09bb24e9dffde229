import { describe, expect, it } from 'vitest'
import { toFileName } from './file-names'

describe('toFileName', () => {
  it('keeps the last part of a path, either slash, and never a dot folder', () => {
    expect(toFileName('../../etc/passwd')).toBe('passwd')
    expect(toFileName('C:\\Users\\me\\报价单.pdf')).toBe('报价单.pdf')
    expect(toFileName('/abs/..')).toBe('file')
    expect(toFileName('dir/')).toBe('file')
  })

  it('drops control and direction characters and keeps CJK and Hangul', () => {
    expect(toFileName('a\u0000b\u0007\u001b[31m\u202e.txt')).toBe('ab[31m.txt')
    expect(toFileName('  고객 자료 2026.xlsx ')).toBe('고객 자료 2026.xlsx')
    expect(toFileName(undefined)).toBe('file')
  })

  it('cuts at 255 characters, not in the middle of one', () => {
    const name = toFileName('😀'.repeat(300))
    expect([...name]).toHaveLength(255)
    expect(name.endsWith('😀')).toBe(true)
  })
})
