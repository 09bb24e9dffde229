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

  it('keeps files in the data folder and reads the upload limits, refusing malformed ones', () => {
    expect(readConfig({ TRELLIS_DATA_DIR: '/srv/trellis' }).filesDir).toBe('/srv/trellis/files')
    const limits = readConfig({
      TRELLIS_UPLOAD_MAX_BYTES: '1000',
      TRELLIS_UPLOAD_TYPES: 'image/*, Text/Plain',
    }).uploads
    expect(limits).toEqual({ maxBytes: 1000, types: ['image/*', 'text/plain'] })
    expect(readConfig({}).uploads.types).toContain('application/pdf')
    expect(() => readConfig({ TRELLIS_UPLOAD_MAX_BYTES: '-1' })).toThrow(/TRELLIS_UPLOAD_MAX_BYTES/)
    expect(() => readConfig({ TRELLIS_UPLOAD_TYPES: 'png' })).toThrow(/malformed type: 'png'/)
  })

  it('prints PDFs with the Chromium named, none when off, and refuses a path that is not there', () => {
    expect(readConfig({ TRELLIS_CHROMIUM: 'off' }).chromiumPath).toBeUndefined()
    expect(readConfig({ TRELLIS_CHROMIUM: process.execPath }).chromiumPath).toBe(process.execPath)
    expect(() => readConfig({ TRELLIS_CHROMIUM: '/no/such/chromium' })).toThrow(/TRELLIS_CHROMIUM/)
  })

  it('compiles PGlite for memory unless told otherwise, and refuses a flag that is not true or false', () => {
    expect(readConfig({}).pgliteLean).toBe(true)
    expect(readConfig({ TRELLIS_PGLITE_LEAN: 'false' }).pgliteLean).toBe(false)
    expect(() => readConfig({ TRELLIS_PGLITE_LEAN: 'no' })).toThrow(
      /TRELLIS_PGLITE_LEAN must be true or false/,
    )
  })
})
