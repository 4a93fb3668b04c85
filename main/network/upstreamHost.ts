/**
 * SSRF guard for upstreams the caller names per request (`x-portkey-custom-host`, and later a config's
 * `custom_host`). `checkUpstreamHost` resolves the host and judges every address it resolves to,
 * after DNS: private, link-local, carrier-grade NAT, multicast, reserved, documentation and
 * cloud-metadata addresses are refused (IPv4, IPv6, IPv4-mapped, NAT64 and 6to4 forms judged by the
 * IPv4 address inside) unless the settings allow-list them; loopback is allowed unless
 * `allowLoopback` is off. IPv4 written as a number, in octal or hex (`2130706433`, `0x7f.1`,
 * `017700000001`, `10.1`) is refused unless its address is allow-listed. The answer lists the
 * vetted addresses; `pinnedLookup` makes a connection use exactly those (no second resolution, so
 * DNS rebinding cannot swap the address between the check and the connect).
 * Addresses are validated by Node (`net.isIPv4`/`isIPv6`) and matched against ranges with Node's
 * `net.BlockList`; only the inet_aton reading of number forms is our own.
 * Catalog integrations the user created are trusted and never pass through here.
 */
import { lookup as dnsLookup } from 'node:dns/promises'
import { BlockList, isIPv4, isIPv6, type LookupFunction } from 'node:net'
import type { NetworkSettings } from '../../preload/contract.ts'
import { GatewayError } from '../errors/GatewayError.ts'

/** What the user sets (Control API `network:get` / `network:set`). */
export type { NetworkSettings }

export const defaultNetworkSettings: NetworkSettings = { allowLoopback: true, allowHosts: [] }

export type ResolvedAddress = { address: string; family: 4 | 6 }

/** Resolves a hostname to every address (the default: the OS resolver, `dns.lookup`). Injectable for tests. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>

/** A host that passed the check, with the addresses a connection may use. */
export type VettedHost = { hostname: string; addresses: ResolvedAddress[] }

/** Settings compiled once per routing table, so the check is a few comparisons per address. */
export type UpstreamPolicy = {
  readonly allowLoopback: boolean
  readonly names: ReadonlySet<string>
  /** From `*.example.com` entries, stored as `.example.com`. */
  readonly suffixes: readonly string[]
  /** Allow-listed addresses and CIDRs, one list per family: a BlockList matches IPv4 against IPv6 ranges (as mapped addresses). */
  readonly nets: Readonly<Record<4 | 6, BlockList>>
  /** Allow-listed single addresses (or /32, /128): the only way a metadata address or a number form passes. */
  readonly exact: Readonly<Record<4 | 6, BlockList>>
  /** Equal for equal settings: callers may key pools on it. */
  readonly key: string
}

/** An IP literal as text Node accepts; IPv6 without brackets or zone. */
type Ip = { v: 4 | 6; address: string }
type Net = Ip & { prefix: number }

const family = (v: 4 | 6): 'ipv4' | 'ipv6' => (v === 4 ? 'ipv4' : 'ipv6')

function listOf(...nets: Net[]): BlockList {
  const list = new BlockList()
  for (const n of nets) list.addSubnet(n.address, n.prefix, family(n.v))
  return list
}

/** Why an allow-list entry is malformed, or null. For the Control API's validation. */
export function allowHostError(entry: string): string | null {
  const e = entry.trim().toLowerCase()
  if (!e) return 'empty entry'
  if (e.includes('/')) return parseCidr(e) ? null : `'${entry}' is not a valid CIDR (e.g. 192.168.1.0/24, fd00::/8)`
  if (parseIp(e)) return null
  if (/^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/.test(e)) {
    return parseIPv4Loose(e.replace(/\.$/, '')) ? `'${entry}' is an IPv4 address in non-standard notation: write it dotted` : null
  }
  return `'${entry}' is not a hostname, IP address or CIDR`
}

export function compileUpstreamPolicy(settings: NetworkSettings = defaultNetworkSettings): UpstreamPolicy {
  const names = new Set<string>()
  const suffixes: string[] = []
  const nets = { 4: new BlockList(), 6: new BlockList() }
  const exact = { 4: new BlockList(), 6: new BlockList() }
  for (const raw of settings.allowHosts) {
    const e = raw.trim().toLowerCase().replace(/\.$/, '')
    if (allowHostError(e) !== null) continue
    const ip = e.includes('/') ? null : parseIp(e)
    const net = ip ? { ...unmap(ip), prefix: unmap(ip).v === 4 ? 32 : 128 } : e.includes('/') ? parseCidr(e) : null
    if (net) {
      nets[net.v].addSubnet(net.address, net.prefix, family(net.v))
      if (net.prefix === (net.v === 4 ? 32 : 128)) exact[net.v].addAddress(net.address, family(net.v))
    } else if (e.startsWith('*.')) suffixes.push(e.slice(1))
    else names.add(e)
  }
  return { allowLoopback: settings.allowLoopback, names, suffixes, nets, exact, key: JSON.stringify([settings.allowLoopback, [...settings.allowHosts].sort()]) }
}

export const defaultUpstreamPolicy = compileUpstreamPolicy(defaultNetworkSettings)

const systemResolver: HostResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, order: 'verbatim' })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))

/** Names that reach a cloud's instance metadata service whatever they resolve to here. */
const metadataNames = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.internal'])

/**
 * Checks the host of `url` (pass the URL as the user wrote it, a string, so number forms of IPv4
 * are seen) against `policy`, resolving names first. Resolves to the vetted addresses; rejects with
 * `custom_host_blocked` (403) naming the host and the reason, `invalid_request` for a URL that is
 * not http(s), or `provider_unreachable` when the name does not resolve.
 */
export async function checkUpstreamHost(url: string | URL, policy: UpstreamPolicy, resolve: HostResolver = systemResolver): Promise<VettedHost> {
  let u: URL
  try {
    u = typeof url === 'string' ? new URL(url) : url
  } catch {
    throw new GatewayError('invalid_request', 'custom host must be an absolute http(s) URL')
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new GatewayError('invalid_request', 'custom host must be an absolute http(s) URL')
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase()

  const literal = parseIp(host)
  if (literal) {
    const written = typeof url === 'string' ? writtenHost(url) : host
    if (written !== null && literal.v === 4 && written !== host && !allowListedIp(literal, policy, true)) {
      throw blocked(written, `IPv4 address in non-standard notation (it means ${host})`)
    }
    const reason = judge(literal, policy)
    if (reason) throw blocked(host, reason)
    return { hostname: host, addresses: [{ address: host, family: literal.v }] }
  }

  const name = host.replace(/\.$/, '')
  // The URL parser already turns number forms into dotted IPv4; a name that still parses as one
  // would be read that way by the OS resolver (inet_aton), so it is judged as that address.
  const loose = parseIPv4Loose(name)
  if (loose) {
    const ip: Ip = { v: 4, address: formatIPv4(loose) }
    if (!allowListedIp(ip, policy, true)) throw blocked(name, `IPv4 address in non-standard notation (it means ${formatIPv4(loose)})`)
    return { hostname: name, addresses: [{ address: formatIPv4(loose), family: 4 }] }
  }
  const trustedName = policy.names.has(name) || policy.suffixes.some((s) => name.endsWith(s))
  if (metadataNames.has(name) && !trustedName) throw blocked(name, 'cloud metadata service')

  let addresses: ResolvedAddress[]
  try {
    addresses = await resolve(name)
  } catch (err) {
    throw new GatewayError('provider_unreachable', `could not resolve custom host ${name}`, { cause: err })
  }
  if (addresses.length === 0) throw new GatewayError('provider_unreachable', `could not resolve custom host ${name}`)
  if (trustedName) return { hostname: name, addresses }
  // Every address must pass: a resolver answering one public and one private address gets neither.
  for (const a of addresses) {
    const ip = parseIp(a.address)
    const reason = ip ? judge(ip, policy) : 'unparseable address'
    if (reason) throw blocked(name, `resolves to ${a.address}, ${reason}`)
  }
  return { hostname: name, addresses }
}

/**
 * A `lookup` for `http.request` that answers with the vetted addresses only (all of them when Node
 * asks for all, for Happy Eyeballs), so the connection goes where the check looked.
 */
export function pinnedLookup(vetted: VettedHost): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0
    const usable = vetted.addresses.filter((a) => family === 0 || a.family === family)
    if (hostname.toLowerCase().replace(/\.$/, '') !== vetted.hostname || usable.length === 0) {
      const err = Object.assign(new Error(`no vetted address for ${hostname}`), { code: 'ENOTFOUND' })
      return void process.nextTick(() => (callback as (e: Error) => void)(err))
    }
    if (options.all) process.nextTick(() => (callback as (e: null, a: ResolvedAddress[]) => void)(null, usable))
    else process.nextTick(() => callback(null, usable[0]!.address, usable[0]!.family))
  }
}

/** The reason an address is refused under `policy`, or null when it may be used. */
export function judgeAddress(address: string, policy: UpstreamPolicy): string | null {
  const ip = parseIp(address)
  return ip ? judge(ip, policy) : 'not an IP address'
}

function blocked(host: string, reason: string): GatewayError {
  return new GatewayError(
    'custom_host_blocked',
    `custom host ${host} is refused: ${reason}. Allow it in Switchyard's network settings (allowHosts) if you trust it`,
  )
}

// --- classification ---------------------------------------------------------------------------

type Category = 'public' | 'loopback' | 'metadata' | 'blocked'
type Verdict = { category: Category; reason: string; ip: Ip }

function judge(raw: Ip, policy: UpstreamPolicy): string | null {
  const v = classify(raw)
  if (v.category === 'public') return null
  if (allowListedIp(v.ip, policy, v.category === 'metadata')) return null
  if (v.category === 'loopback') return policy.allowLoopback ? null : `${v.reason} (allowLoopback is off)`
  return v.reason
}

/** Metadata addresses pass only when listed exactly, never through a wider CIDR. */
function allowListedIp(raw: Ip, policy: UpstreamPolicy, exactOnly: boolean): boolean {
  const ip = unmap(raw)
  return (exactOnly ? policy.exact : policy.nets)[ip.v].check(ip.address, family(ip.v))
}

const v4 = (address: string, prefix: number): BlockList => listOf({ v: 4, address, prefix })
const v6 = (address: string, prefix: number): BlockList => listOf({ v: 6, address, prefix })

const rules4: Array<[BlockList, Category, string]> = [
  [v4('169.254.169.254', 32), 'metadata', 'cloud metadata address'],
  [v4('169.254.170.2', 32), 'metadata', 'cloud metadata address (ECS)'],
  [v4('100.100.100.200', 32), 'metadata', 'cloud metadata address (Alibaba)'],
  [v4('0.0.0.0', 8), 'blocked', 'unspecified address ("this network")'],
  [v4('10.0.0.0', 8), 'blocked', 'private address'],
  [v4('100.64.0.0', 10), 'blocked', 'carrier-grade NAT address'],
  [v4('127.0.0.0', 8), 'loopback', 'loopback address'],
  [v4('169.254.0.0', 16), 'blocked', 'link-local address'],
  [v4('172.16.0.0', 12), 'blocked', 'private address'],
  [v4('192.0.0.0', 24), 'blocked', 'reserved address (IETF protocol assignments)'],
  [v4('192.0.2.0', 24), 'blocked', 'documentation address'],
  [v4('192.88.99.0', 24), 'blocked', 'reserved address (6to4 relay)'],
  [v4('192.168.0.0', 16), 'blocked', 'private address'],
  [v4('198.18.0.0', 15), 'blocked', 'reserved address (benchmarking)'],
  [v4('198.51.100.0', 24), 'blocked', 'documentation address'],
  [v4('203.0.113.0', 24), 'blocked', 'documentation address'],
  [v4('224.0.0.0', 4), 'blocked', 'multicast address'],
  [v4('255.255.255.255', 32), 'blocked', 'broadcast address'],
  [v4('240.0.0.0', 4), 'blocked', 'reserved address'],
]

const rules6: Array<[BlockList, Category, string]> = [
  [v6('::', 128), 'blocked', 'unspecified address'],
  [v6('::1', 128), 'loopback', 'loopback address'],
  [v6('fd00:ec2::254', 128), 'metadata', 'cloud metadata address (AWS IPv6)'],
  [v6('::', 96), 'blocked', 'reserved address (IPv4-compatible IPv6)'],
  [v6('64:ff9b:1::', 48), 'blocked', 'reserved address (local-use NAT64)'],
  [v6('100::', 64), 'blocked', 'reserved address (discard)'],
  [v6('2001::', 23), 'blocked', 'reserved address (IETF protocol assignments, Teredo)'],
  [v6('2001:db8::', 32), 'blocked', 'documentation address'],
  [v6('3fff::', 20), 'blocked', 'documentation address'],
  [v6('fc00::', 7), 'blocked', 'private address (unique local)'],
  [v6('fe80::', 10), 'blocked', 'link-local address'],
  [v6('fec0::', 10), 'blocked', 'private address (site-local)'],
  [v6('ff00::', 8), 'blocked', 'multicast address'],
]

const mapped = v6('::ffff:0:0', 96)
/** IPv6 forms that carry an IPv4 address, judged by it: [range, name, where the IPv4 sits]. */
const embedded: Array<[BlockList, string, (n: bigint) => bigint]> = [
  [mapped, 'IPv4-mapped', (n) => n & 0xffffffffn],
  [v6('64:ff9b::', 96), 'NAT64', (n) => n & 0xffffffffn],
  [v6('2002::', 16), '6to4', (n) => (n >> 80n) & 0xffffffffn],
]
const globalUnicast = v6('2000::', 3)

function classify(ip: Ip): Verdict {
  if (ip.v === 4) {
    for (const [list, category, reason] of rules4) if (list.check(ip.address, 'ipv4')) return { category, reason, ip }
    return { category: 'public', reason: '', ip }
  }
  for (const [list, form, inner] of embedded) {
    if (!list.check(ip.address, 'ipv6')) continue
    const four = formatIPv4(inner(ipv6Value(ip.address)))
    const v = classify({ v: 4, address: four })
    return v.category === 'public' ? v : { ...v, reason: `${v.reason} (${form} ${four})` }
  }
  for (const [list, category, reason] of rules6) if (list.check(ip.address, 'ipv6')) return { category, reason, ip }
  if (!globalUnicast.check(ip.address, 'ipv6')) return { category: 'blocked', reason: 'reserved address (outside global unicast)', ip }
  return { category: 'public', reason: '', ip }
}

/** `::ffff:a.b.c.d` → `a.b.c.d`, for allow-list matching. */
function unmap(ip: Ip): Ip {
  return ip.v === 6 && mapped.check(ip.address, 'ipv6') ? { v: 4, address: formatIPv4(ipv6Value(ip.address) & 0xffffffffn) } : ip
}

// --- parsing ----------------------------------------------------------------------------------

/** A canonical IP literal (Node's reading): dotted-quad IPv4 without leading zeros, or IPv6 (brackets allowed, no zone). */
export function parseIp(s: string): Ip | null {
  if (isIPv4(s)) return { v: 4, address: s }
  const six = s.replace(/^\[|\]$/g, '')
  return isIPv6(six) && !six.includes('%') ? { v: 6, address: six } : null
}

function parseCidr(s: string): Net | null {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s.trim())
  if (!m) return null
  const ip = parseIp(m[1] as string)
  const prefix = Number(m[2])
  if (!ip || prefix > (ip.v === 4 ? 32 : 128)) return null
  // `::ffff:10.0.0.0/104` is the IPv4 net 10.0.0.0/8.
  if (ip.v === 6 && prefix >= 96 && mapped.check(ip.address, 'ipv6')) return { ...unmap(ip), prefix: prefix - 96 }
  return { ...ip, prefix }
}

/** The 128 bits of a valid IPv6 address, read from the URL parser's canonical form (hex groups, one `::` at most). */
function ipv6Value(address: string): bigint {
  const [head = '', tail] = new URL(`http://[${address}]`).hostname.slice(1, -1).split('::')
  const groups = (text: string) => (text === '' ? [] : text.split(':'))
  const words = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)]
  return words.reduce((n, w) => (n << 16n) | BigInt(`0x${w}`), 0n)
}

/** inet_aton / WHATWG URL reading: 1-4 parts, each decimal, 0x-hex or 0-octal; the last fills the rest. */
export function parseIPv4Loose(s: string): bigint | null {
  const parts = s.split('.')
  if (parts.length > 1 && parts.at(-1) === '') parts.pop()
  if (parts.length === 0 || parts.length > 4) return null
  const values: bigint[] = []
  for (const p of parts) {
    let v: bigint
    if (/^0x[0-9a-f]*$/i.test(p)) v = p.length === 2 ? 0n : BigInt(p)
    else if (/^0[0-7]+$/.test(p)) v = BigInt(`0o${p.slice(1)}`)
    else if (/^(0|[1-9][0-9]*)$/.test(p)) v = BigInt(p)
    else return null
    values.push(v)
  }
  const last = values.pop() as bigint
  if (values.some((v) => v > 255n) || last >= 1n << BigInt(8 * (4 - values.length))) return null
  let n = 0n
  values.forEach((v, i) => (n |= v << BigInt(8 * (3 - i))))
  return n | last
}

function formatIPv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.')
}

/** The host exactly as written in a URL string (lowercased), or null when it cannot be cut out. */
function writtenHost(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#\\]*@)?(\[[^\]]*\]|[^:/?#\\]*)/i.exec(url.trim())
  return m ? (m[1] as string).toLowerCase() : null
}
