import { describe, expect, it } from 'vitest'
import { signV4, toSha256Hex } from './sign-v4'

/*
 * AWS's published vectors: the generic SigV4 test suite (AKIDEXAMPLE, 2015-08-30) and the worked
 * examples of the S3 guide "Signature Calculations for the Authorization Header" (2013-05-24).
 */
const suite = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  service: 'service',
}
const suiteTime = new Date('2015-08-30T12:36:00Z')
const s3 = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  service: 's3',
}
const s3Time = new Date('2013-05-24T00:00:00Z')
const EMPTY = toSha256Hex('')

const signatureOf = (headers: Record<string, string>) =>
  /Signature=([0-9a-f]{64})$/.exec(headers.authorization)?.[1]

describe('signV4', () => {
  it('signs the test suite’s get-vanilla, post-vanilla and query-order requests', () => {
    const sign = (method: string, url: string) =>
      signV4({ method, url: new URL(url), headers: {}, payloadHash: EMPTY }, suite, suiteTime)
    const get = sign('GET', 'https://example.amazonaws.com/')
    expect(get.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    )
    expect(get['x-amz-date']).toBe('20150830T123600Z')
    expect(signatureOf(sign('POST', 'https://example.amazonaws.com/'))).toBe(
      '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    )
    expect(
      signatureOf(sign('GET', 'https://example.amazonaws.com/?Param2=value2&Param1=value1')),
    ).toBe('b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500')
  })

  it('signs the S3 guide’s GET object, PUT object, lifecycle and list examples', () => {
    const sign = (method: string, url: string, headers: Record<string, string>, hash = EMPTY) =>
      signatureOf(
        signV4(
          {
            method,
            url: new URL(url),
            headers: { ...headers, 'x-amz-content-sha256': hash },
            payloadHash: hash,
          },
          s3,
          s3Time,
        ),
      )
    const bucket = 'https://examplebucket.s3.amazonaws.com'
    expect(sign('GET', `${bucket}/test.txt`, { range: 'bytes=0-9' })).toBe(
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    )
    const body = toSha256Hex('Welcome to Amazon S3.')
    expect(body).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072')
    const put = {
      date: 'Fri, 24 May 2013 00:00:00 GMT',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    }
    expect(sign('PUT', `${bucket}/test$file.text`, put, body)).toBe(
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    )
    expect(sign('GET', `${bucket}/?lifecycle`, {})).toBe(
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    )
    expect(sign('GET', `${bucket}/?max-keys=2&prefix=J`, {})).toBe(
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    )
  })

  it('changes the signature with the secret, the region and the body', () => {
    const request = { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {} }
    const base = signatureOf(signV4({ ...request, payloadHash: EMPTY }, suite, suiteTime))
    const others = [
      signV4({ ...request, payloadHash: EMPTY }, { ...suite, secretAccessKey: 'x' }, suiteTime),
      signV4({ ...request, payloadHash: EMPTY }, { ...suite, region: 'eu-west-1' }, suiteTime),
      signV4({ ...request, payloadHash: toSha256Hex('x') }, suite, suiteTime),
    ]
    for (const other of others) expect(signatureOf(other)).not.toBe(base)
  })
})
