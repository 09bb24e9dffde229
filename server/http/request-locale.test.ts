import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { CurrentUser } from '../../runtime/context'
import type { AppEnv } from '../app-deps'
import { requestLocale, toAcceptedLocale } from './request-locale'

/** The locale a request is refused in, with `user` as its caller (none: anonymous). */
async function localeOf(headers: Record<string, string>, user: Partial<CurrentUser> | null) {
  const app = new Hono<AppEnv>()
  app.get('/', (c) => {
    c.set('user', user as CurrentUser | null)
    return c.text(requestLocale(c))
  })
  return (await app.request('/', { headers })).text()
}

describe('toAcceptedLocale', () => {
  it('reads Chinese and Korean tags as the languages Trellis speaks', () => {
    expect(toAcceptedLocale('zh')).toBe('zh-CN')
    expect(toAcceptedLocale('zh-Hans')).toBe('zh-CN')
    expect(toAcceptedLocale('zh-CN,zh;q=0.9')).toBe('zh-CN')
    expect(toAcceptedLocale('ko-KR')).toBe('ko')
    expect(toAcceptedLocale('en-GB')).toBe('en')
  })

  it('takes the first spoken language by weight, then by order', () => {
    expect(toAcceptedLocale('fr-FR, de;q=0.9, ko;q=0.5, en;q=0.4')).toBe('ko')
    expect(toAcceptedLocale('en;q=0.4, zh;q=0.8')).toBe('zh-CN')
    expect(toAcceptedLocale('ko, zh-CN')).toBe('ko')
    expect(toAcceptedLocale('ko;q=0, en')).toBe('en')
  })

  it('answers nothing for a header without a spoken language', () => {
    expect(toAcceptedLocale(undefined)).toBeUndefined()
    expect(toAcceptedLocale('')).toBeUndefined()
    expect(toAcceptedLocale('zh-TW, fr, *')).toBeUndefined()
  })
})

describe('requestLocale', () => {
  it('takes the workspace language, else the saved one, else the browser one', async () => {
    const zh = { locale: 'zh-CN' }
    expect(await localeOf({ 'x-trellis-locale': 'ko', 'accept-language': 'zh' }, zh)).toBe('ko')
    expect(await localeOf({ 'x-trellis-locale': 'fr', 'accept-language': 'ko' }, zh)).toBe('zh-CN')
    // A caller's saved language wins over the browser's.
    expect(await localeOf({ 'accept-language': 'ko' }, zh)).toBe('zh-CN')
    expect(await localeOf({ 'accept-language': 'ko-KR' }, null)).toBe('ko')
    expect(await localeOf({ 'x-trellis-locale': 'fr', 'accept-language': 'de' }, null)).toBe('en')
  })
})
