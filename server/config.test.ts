import { describe, expect, it } from 'vitest'
import { readConfig } from './config'

describe('readConfig', () => {
  it('reads the instance language, English when unset, and refuses one Trellis does not speak', () => {
    expect(readConfig({}).locale).toBe('en')
    expect(readConfig({ TRELLIS_LOCALE: 'ko' }).locale).toBe('ko')
    expect(() => readConfig({ TRELLIS_LOCALE: 'fr' })).toThrow(/TRELLIS_LOCALE must be one of/)
  })

  it('reads the time zone and refuses one Intl does not know', () => {
    expect(readConfig({ TRELLIS_TIME_ZONE: 'Asia/Seoul' }).timeZone).toBe('Asia/Seoul')
    expect(() => readConfig({ TRELLIS_TIME_ZONE: 'Mars/Base' })).toThrow(/IANA time zone/)
  })
})
