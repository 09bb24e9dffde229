import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../errors'
import { markdownLinkText, markdownLinkUrl, toChatMessage } from './chat-message'
import { capBytes } from './wecom'

describe('chat messages', () => {
  it('gives the link button words in the reader language when the caller gives none', () => {
    const link = { url: 'https://crm.example.com/r/1' }
    expect(toChatMessage({ title: 't', text: '', link, locale: 'ko' }).link?.label).toBe('열기')
    expect(toChatMessage({ title: 't', text: '', link, locale: 'zh-CN' }).link?.label).toBe('查看')
    expect(toChatMessage({ title: 't', text: '', link }).link?.label).toBe('Open')
  })

  it('puts the title on one line and refuses an empty or overlong one', () => {
    expect(toChatMessage({ title: ' a\n b ', text: 'x' }).title).toBe('a b')
    expect(() => toChatMessage({ title: '', text: 'x' })).toThrow(ValidationError)
    expect(() => toChatMessage({ title: 'x'.repeat(201), text: 'x' })).toThrow(ValidationError)
  })

  it('refuses a link that is not an absolute http(s) URL', () => {
    for (const url of ['/r/1', 'javascript:alert(1)', 'crm.example.com']) {
      expect(() => toChatMessage({ title: 't', text: '', link: { url } }), url).toThrow(/link\.url/)
    }
  })

  it('keeps markdown links whole whatever the label and URL hold', () => {
    expect(markdownLinkText('a [b] \\c')).toBe('a \\[b\\] \\\\c')
    expect(markdownLinkUrl('https://x/a (b)<c>')).toBe('https://x/a%20%28b%29%3Cc%3E')
  })

  it('cuts text to a byte budget on a character boundary', () => {
    const cut = capBytes('한글'.repeat(100), 50)
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(50)
    expect(cut.endsWith('…')).toBe(true)
    expect(capBytes('short', 50)).toBe('short')
  })
})
