import { lookup as lookupCallback, type LookupAddress } from 'node:dns'
import { lookup } from 'node:dns/promises'
import type { LookupFunction } from 'node:net'
import { BlockList, isIP } from 'node:net'
import { DefinitionError, type Issue } from '../../errors'
import { DeliveryError } from './delivery-error'

/** The setting that lets webhooks and chat bots reach private, loopback and link-local hosts. */
export const ALLOW_PRIVATE_ENV = 'TRELLIS_WEBHOOK_ALLOW_PRIVATE'

/** Where a server-side request must not go unless allowed: this host, its networks, metadata. */
const PRIVATE = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6')

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail becomes the last two). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase()
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number)
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, rest] = text.split('::')
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : [])
  const [front, back] = [part(head), part(rest)]
  const zeros = rest === undefined ? [] : Array(8 - front.length - back.length).fill(0)
  return [...front, ...zeros, ...back]
}

const dotted = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.')

/**
 * The IPv4 address an IPv6 one carries, if any: IPv4-mapped or -compatible (`::ffff:10.0.0.1`),
 * NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`), each of which reaches that IPv4 host.
 */
function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address)
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0)
  if (zeroTo(5) && (g[5] === 0xffff || (g[5] === 0 && (g[6] !== 0 || g[7] > 1))))
    return dotted(g[6], g[7])
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return dotted(g[6], g[7])
  if (g[0] === 0x2002) return dotted(g[1], g[2])
  return null
}

/**
 * Whether an IP address is private, loopback, link-local or otherwise not on the public internet.
 * @example isPrivateAddress('169.254.169.254') // true
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return PRIVATE.check(address, 'ipv4')
  if (family !== 6) return false
  const v4 = embeddedIpv4(address)
  return v4 ? PRIVATE.check(v4, 'ipv4') : PRIVATE.check(address, 'ipv6')
}

/**
 * Whether the setting allows private targets (`TRELLIS_WEBHOOK_ALLOW_PRIVATE=true`).
 * @example allowsPrivateTargets({ TRELLIS_WEBHOOK_ALLOW_PRIVATE: 'true' }) // true
 */
export function allowsPrivateTargets(env: Record<string, string | undefined> = process.env) {
  return env[ALLOW_PRIVATE_ENV] === 'true'
}

/** The host of a URL as an IP literal (IPv6 without brackets), or null when it is a name. */
function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return isIP(host) ? host : null
}

/** How a name is resolved: every address, as `dns.lookup(host, { all: true })` answers. */
export type Resolver = (
  host: string,
  done: (err: Error | null, addresses: LookupAddress[]) => void,
) => void

const systemResolver: Resolver = (host, done) =>
  lookupCallback(host, { all: true, verbatim: true }, done)

/** Every address of a name, through `resolve` when given, else the system's resolver. */
function resolveAll(host: string, resolve?: Resolver): Promise<LookupAddress[]> {
  if (!resolve) return lookup(host, { all: true, verbatim: true })
  return new Promise((ok, fail) => resolve(host, (err, list) => (err ? fail(err) : ok(list))))
}

/**
 * Throws a `DeliveryError` (not worth a retry) unless every address the URL's host resolves to
 * is public: the name is resolved here, so a public-looking name that points inside is refused.
 * @example await assertPublicTarget('https://hooks.example.com/x', 'webhook')
 */
export async function assertPublicTarget(
  url: string,
  channel: string,
  resolve?: Resolver,
): Promise<void> {
  const parsed = new URL(url)
  const literal = literalAddress(parsed)
  let addresses: string[]
  try {
    addresses = literal
      ? [literal]
      : (await resolveAll(parsed.hostname, resolve)).map((a) => a.address)
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'lookup failed'
    throw new DeliveryError(`${channel} to ${parsed.origin} failed (${code})`, channel)
  }
  const inside = addresses.find(isPrivateAddress)
  if (inside === undefined) return
  throw privateRefusal(parsed.origin, inside, channel, literal ? undefined : parsed.hostname)
}

/** The refusal of a private address, as every check words it. */
function privateRefusal(origin: string, address: string, channel: string, host?: string) {
  const via = host ? ` (${host} resolves to ${address})` : ''
  return new DeliveryError(
    `${channel} to ${origin} refused: ${address} is a private, loopback or link-local ` +
      `address${via}; set ${ALLOW_PRIVATE_ENV}=true to allow it`,
    channel,
    undefined,
    false,
  )
}

/**
 * A `lookup` for Node's http(s) requests that refuses, as the connection is made, a name that
 * resolves to a private address: the address checked is the address connected to, so a name that
 * answers a public address to the first look-up and a private one to the next (DNS rebinding)
 * gets nowhere. `resolve` is the system resolver unless a test gives another.
 * @example httpRequest(url, { lookup: publicOnlyLookup(url.origin, 'webhook') })
 */
export function publicOnlyLookup(
  origin: string,
  channel: string,
  resolve: Resolver = systemResolver,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (err, found) => {
      if (err) return callback(err, '', 0)
      const wanted = found.filter((a) => !options.family || a.family === options.family)
      const inside = wanted.find((a) => isPrivateAddress(a.address))
      if (inside) return callback(privateRefusal(origin, inside.address, channel, hostname), '', 0)
      if (!wanted.length) return callback(new Error(`${hostname} has no address`), '', 0)
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, wanted)
      callback(null, wanted[0].address, wanted[0].family)
    })
  }
}

/**
 * Issues for webhook URLs of an alert whose host is a literal private address (names are
 * checked when sent, as they may resolve differently then); none when private targets are allowed.
 * @example validatePublicWebhookUrls({ channels: [{ type: 'webhook', url: 'http://10.0.0.5/h' }] }, false)
 * // [{ path: 'channels[0].url', message: '…' }]
 */
export function validatePublicWebhookUrls(alert: { channels?: unknown }, allowPrivate: boolean) {
  const issues: Issue[] = []
  if (allowPrivate || !Array.isArray(alert.channels)) return issues
  alert.channels.forEach((channel: { type?: unknown; url?: unknown }, i) => {
    if (channel?.type !== 'webhook' || typeof channel.url !== 'string') return
    let address: string | null = null
    try {
      address = literalAddress(new URL(channel.url))
    } catch {
      return // the schema names a malformed URL
    }
    if (address && isPrivateAddress(address))
      issues.push({
        path: `channels[${i}].url`,
        message: `is a private, loopback or link-local address; set ${ALLOW_PRIVATE_ENV}=true to allow it`,
      })
  })
  return issues
}

/**
 * Throws a `DefinitionError` (400) naming each webhook URL of the alert that is a literal private
 * address, unless the setting allows them.
 * @example assertPublicWebhookUrls(alertDefinition) // throws for http://127.0.0.1/hook
 */
export function assertPublicWebhookUrls(
  alert: { channels?: unknown },
  allowPrivate = allowsPrivateTargets(),
): void {
  const issues = validatePublicWebhookUrls(alert, allowPrivate)
  if (issues.length) throw new DefinitionError('A webhook points at a private address', issues)
}
