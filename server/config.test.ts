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

  it('keeps files on disk unless a bucket is named, and reads an S3-compatible one', () => {
    expect(readConfig({}).s3).toBeUndefined()
    const s3 = {
      TRELLIS_S3_BUCKET: 'trellis-files',
      TRELLIS_S3_ACCESS_KEY_ID: 'id',
      TRELLIS_S3_SECRET_ACCESS_KEY: 'secret',
    }
    expect(readConfig(s3).s3).toEqual({
      endpoint: undefined,
      bucket: 'trellis-files',
      region: 'us-east-1',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      prefix: '',
      pathStyle: false,
    })
    const minio = readConfig({
      ...s3,
      TRELLIS_S3_ENDPOINT: 'http://minio:9000',
      TRELLIS_S3_REGION: 'eu-central-1',
      TRELLIS_S3_PREFIX: 'acme/files',
    }).s3
    expect(minio).toMatchObject({ endpoint: 'http://minio:9000', region: 'eu-central-1' })
    expect(minio).toMatchObject({ prefix: 'acme/files/', pathStyle: true })
    const hosted = {
      ...s3,
      TRELLIS_S3_ENDPOINT: 'https://s3.example.com',
      TRELLIS_S3_PATH_STYLE: 'false',
    }
    expect(readConfig(hosted).s3?.pathStyle).toBe(false)
  })

  it('refuses half an S3 setting, naming what is missing or malformed', () => {
    const s3 = {
      TRELLIS_S3_BUCKET: 'trellis-files',
      TRELLIS_S3_ACCESS_KEY_ID: 'id',
      TRELLIS_S3_SECRET_ACCESS_KEY: 'secret',
    }
    expect(() => readConfig({ TRELLIS_S3_ENDPOINT: 'http://minio:9000' })).toThrow(
      'TRELLIS_S3_ENDPOINT is set but TRELLIS_S3_BUCKET is not',
    )
    expect(() => readConfig({ ...s3, TRELLIS_S3_SECRET_ACCESS_KEY: '' })).toThrow(
      'TRELLIS_S3_BUCKET needs TRELLIS_S3_ACCESS_KEY_ID and TRELLIS_S3_SECRET_ACCESS_KEY',
    )
    expect(() => readConfig({ ...s3, TRELLIS_S3_BUCKET: 'Bad_Bucket' })).toThrow(
      /TRELLIS_S3_BUCKET/,
    )
    expect(() => readConfig({ ...s3, TRELLIS_S3_ENDPOINT: 'minio:9000' })).toThrow(
      /TRELLIS_S3_ENDPOINT must be an http/,
    )
    for (const prefix of ['/abs', 'a//b', '../up', 'a b'])
      expect(() => readConfig({ ...s3, TRELLIS_S3_PREFIX: prefix })).toThrow(/TRELLIS_S3_PREFIX/)
    expect(() => readConfig({ ...s3, TRELLIS_S3_PATH_STYLE: 'yes' })).toThrow(
      /TRELLIS_S3_PATH_STYLE must be true or false/,
    )
  })
})
