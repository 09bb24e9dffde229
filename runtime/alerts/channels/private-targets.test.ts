import { describe, expect, it } from 'vitest'
import { isPrivateAddress, validatePublicWebhookUrls } from './private-targets'

describe('isPrivateAddress', () => {
  it('refuses loopback, private, link-local, unspecified and their IPv6 and mapped forms', () => {
    for (const ip of [
      '127.0.0.1',
      '127.9.9.9',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '::10.0.0.1', // IPv4-compatible
      '64:ff9b::a00:1', // NAT64 of 10.0.0.1
      '64:ff9b::127.0.0.1',
      '2002:a9fe:a9fe::1', // 6to4 of 169.254.169.254
      '2002:c0a8:101:1::1', // 6to4 of 192.168.1.1
    ])
      expect(isPrivateAddress(ip), ip).toBe(true)
  })

  it('lets public addresses through', () => {
    for (const ip of [
      '8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
      '2001:4860:4860::8888',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808', // NAT64 of 8.8.8.8
      '2002:808:808::1', // 6to4 of 8.8.8.8
      '2400:cb00:2049:1::a29f:1804',
    ])
      expect(isPrivateAddress(ip), ip).toBe(false)
  })
})

describe('validatePublicWebhookUrls', () => {
  const alert = (...urls: string[]) => ({
    channels: [{ type: 'inApp' }, ...urls.map((url) => ({ type: 'webhook', url }))],
  })

  it('names each webhook URL whose host is a literal private address', () => {
    const issues = validatePublicWebhookUrls(
      alert('https://hooks.example.com/a', 'http://10.0.0.5/b', 'http://[::1]:8080/c'),
      false,
    )
    expect(issues.map((i) => i.path)).toEqual(['channels[2].url', 'channels[3].url'])
  })

  it('leaves host names to the send (they are resolved then) and allows all with the setting', () => {
    expect(validatePublicWebhookUrls(alert('http://localhost/x'), false)).toEqual([])
    expect(validatePublicWebhookUrls(alert('http://127.0.0.1/x'), true)).toEqual([])
  })
})
