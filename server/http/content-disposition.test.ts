import { describe, expect, it } from 'vitest'
import { contentDisposition } from './content-disposition'

describe('contentDisposition', () => {
  it('gives Chinese and Korean names as RFC 5987 UTF-8 with an ASCII fallback', () => {
    expect(contentDisposition('attachment', '报价单.pdf')).toBe(
      `attachment; filename="___.pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf`,
    )
    const header = contentDisposition('inline', '견적서 (1).png')
    expect(header).toMatch(/^inline; filename="___ \(1\)\.png"; filename\*=UTF-8''%EA/)
    expect(decodeURIComponent(header.split("UTF-8''")[1])).toBe('견적서 (1).png')
  })

  it('keeps quotes, backslashes and line breaks out of the header', () => {
    const header = contentDisposition('attachment', 'a"b\\c\r\nSet-Cookie: x=1.txt')
    expect(header).not.toMatch(/[\r\n]/)
    expect(header.split(';')[1]).toBe(' filename="a_b_c__Set-Cookie: x=1.txt"')
  })
})
