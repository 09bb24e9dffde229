import { describe, expect, it } from 'vitest'
import { buildObjectUrl, readXmlTag, settingOfFailure, type S3Settings } from './s3-client'

const settings: S3Settings = {
  bucket: 'acme-files',
  region: 'eu-central-1',
  accessKeyId: 'id',
  secretAccessKey: 'secret',
  prefix: '',
  pathStyle: false,
}
const key = 'ab12cd34ef56ab12cd34ef56ab12cd34'

describe('buildObjectUrl', () => {
  it('puts the bucket in AWS’s regional host name when no endpoint is set', () => {
    expect(String(buildObjectUrl(settings, key))).toBe(
      `https://acme-files.s3.eu-central-1.amazonaws.com/${key}`,
    )
  })

  it('puts the bucket in the path of an endpoint, after any path of its own, then the prefix', () => {
    const minio = { ...settings, endpoint: 'http://minio:9000', pathStyle: true, prefix: 'a/b/' }
    expect(String(buildObjectUrl(minio, key, 'uploads'))).toBe(
      `http://minio:9000/acme-files/a/b/${key}?uploads`,
    )
    const proxied = { ...minio, endpoint: 'https://files.example.com/s3/' }
    expect(String(buildObjectUrl(proxied, key))).toBe(
      `https://files.example.com/s3/acme-files/a/b/${key}`,
    )
  })
})

describe('readXmlTag', () => {
  it('reads an element’s text with its entities decoded, undefined when absent', () => {
    const xml = '<Error><Code>AccessDenied</Code><Message>a &lt;b&gt; &amp; c</Message></Error>'
    expect(readXmlTag(xml, 'Code')).toBe('AccessDenied')
    expect(readXmlTag(xml, 'Message')).toBe('a <b> & c')
    expect(readXmlTag(xml, 'UploadId')).toBeUndefined()
  })
})

describe('settingOfFailure', () => {
  it('names the setting a refusal points at, and none for a code about the store itself', () => {
    // s3rver checks no signatures, so a wrong secret is only ever met on a real store.
    expect(settingOfFailure('SignatureDoesNotMatch')).toBe('TRELLIS_S3_SECRET_ACCESS_KEY')
    expect(settingOfFailure('InvalidAccessKeyId')).toBe('TRELLIS_S3_ACCESS_KEY_ID')
    expect(settingOfFailure('AccessDenied')).toBeUndefined()
    expect(settingOfFailure('constructor')).toBeUndefined()
  })
})
