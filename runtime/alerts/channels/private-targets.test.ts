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
