/**
 * The custom-host SSRF check as a table: hostile hosts (each refused, with its reason) and allowed
 * ones, under the default settings, with loopback off, and with allow-list entries. Names resolve
 * through an injected resolver, so the table never touches real DNS.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { GatewayError } from '../../main/gateway/GatewayError.ts'
import {
  allowHostError,
  checkUpstreamHost,
  compileUpstreamPolicy,
  defaultUpstreamPolicy,
  pinnedLookup,
  type HostResolver,
  type NetworkSettings,
  type ResolvedAddress,
} from '../../main/network/upstreamHost.ts'

const dns: Record<string, ResolvedAddress[]> = {
  'api.example.com': [{ address: '93.184.215.14', family: 4 }],
  'v6.example.com': [{ address: '2606:4700:4700::1111', family: 6 }],
  'intranet.example.com': [{ address: '10.20.30.40', family: 4 }],
  'router.example.com': [{ address: '192.168.1.1', family: 4 }],
  'mixed.example.com': [
    { address: '93.184.215.14', family: 4 },
    { address: '172.16.5.5', family: 4 },
  ],
  'metadata.example.com': [{ address: '169.254.169.254', family: 4 }],
  'mapped.example.com': [{ address: '::ffff:10.0.0.1', family: 6 }],
  'ula.example.com': [{ address: 'fd12:3456::1', family: 6 }],
  localhost: [
    { address: '::1', family: 6 },
    { address: '127.0.0.1', family: 4 },
  ],
  'gpu.lan': [{ address: '192.168.7.20', family: 4 }],
  'box.corp.example': [{ address: '10.9.9.9', family: 4 }],
  'metadata.google.internal': [{ address: '169.254.169.254', family: 4 }],
}
const resolve: HostResolver = async (name) => {
  const a = dns[name]
  if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' })
  return a
}

const policy = (s: Partial<NetworkSettings> = {}) => compileUpstreamPolicy({ allowLoopback: true, allowHosts: [], ...s })
const noLoopback = policy({ allowLoopback: false })

/** [url, reason the default policy gives] */
const hostile: Array<[string, RegExp]> = [
  // private
  ['http://10.0.0.1/v1', /private address/],
  ['http://172.16.0.1/v1', /private address/],
  ['http://172.31.255.254/v1', /private address/],
  ['http://192.168.0.10:8080/v1', /private address/],
  ['http://[fc00::1]/v1', /private address \(unique local\)/],
  ['http://[fd12:3456::1]/v1', /private address \(unique local\)/],
  ['http://[fec0::1]/v1', /site-local/],
  // link-local, CGNAT
  ['http://169.254.1.1/v1', /link-local address/],
  ['http://[fe80::1]/v1', /link-local address/],
  ['http://100.64.0.1/v1', /carrier-grade NAT/],
  ['http://100.127.255.254/v1', /carrier-grade NAT/],
  // cloud metadata
  ['http://169.254.169.254/latest/meta-data', /cloud metadata address/],
  ['http://169.254.170.2/v2/credentials', /cloud metadata address/],
  ['http://100.100.100.200/', /cloud metadata address/],
  ['http://[fd00:ec2::254]/', /cloud metadata address \(AWS IPv6\)/],
  ['http://metadata.google.internal/computeMetadata/v1', /cloud metadata service/],
  ['http://metadata.google.internal./computeMetadata/v1', /cloud metadata service/],
  ['http://METADATA.GOOGLE.INTERNAL/', /cloud metadata service/],
  ['http://metadata.goog/', /cloud metadata service/],
  // multicast, broadcast, unspecified, reserved, documentation
  ['http://224.0.0.1/', /multicast address/],
  ['http://239.255.255.250/', /multicast address/],
  ['http://[ff02::1]/', /multicast address/],
  ['http://255.255.255.255/', /broadcast address/],
  ['http://0.0.0.0:8000/', /unspecified address/],
  ['http://[::]:8000/', /unspecified address/],
  ['http://240.0.0.1/', /reserved address/],
  ['http://198.18.0.1/', /reserved address \(benchmarking\)/],
  ['http://192.0.0.8/', /reserved address/],
  ['http://192.0.2.1/', /documentation address/],
  ['http://198.51.100.7/', /documentation address/],
  ['http://203.0.113.9/', /documentation address/],
  ['http://[2001:db8::1]/', /documentation address/],
  ['http://[100::1]/', /reserved address \(discard\)/],
  ['http://[2001::1]/', /reserved address.*Teredo/],
  ['http://[::10.0.0.1]/', /IPv4-compatible/],
  ['http://[4000::1]/', /outside global unicast/],
  // IPv6 forms carrying an IPv4 address
  ['http://[::ffff:10.0.0.1]/', /private address \(IPv4-mapped 10\.0\.0\.1\)/],
  ['http://[::ffff:a9fe:a9fe]/', /cloud metadata address \(IPv4-mapped 169\.254\.169\.254\)/],
  ['http://[::ffff:192.168.1.1]:11434/', /private address \(IPv4-mapped/],
  ['http://[64:ff9b::10.0.0.1]/', /private address \(NAT64 10\.0\.0\.1\)/],
  ['http://[64:ff9b::a9fe:a9fe]/', /cloud metadata address \(NAT64/],
  ['http://[64:ff9b:1::1]/', /local-use NAT64/],
  ['http://[2002:c0a8:101::1]/', /private address \(6to4 192\.168\.1\.1\)/],
  // decimal / octal / hex / short IPv4 forms, refused whatever they mean
  ['http://2130706433/', /non-standard notation \(it means 127\.0\.0\.1\)/],
  ['http://0x7f.1/', /non-standard notation \(it means 127\.0\.0\.1\)/],
  ['http://017700000001/', /non-standard notation \(it means 127\.0\.0\.1\)/],
  ['http://0x7f000001/', /non-standard notation \(it means 127\.0\.0\.1\)/],
  ['http://10.1/', /non-standard notation \(it means 10\.0\.0\.1\)/],
  ['http://0xa9.0xfe.0xa9.0xfe/', /non-standard notation \(it means 169\.254\.169\.254\)/],
  ['http://0251.0376.0251.0376/', /non-standard notation \(it means 169\.254\.169\.254\)/],
  ['http://2852039166/', /non-standard notation \(it means 169\.254\.169\.254\)/],
  ['http://127.1/', /non-standard notation/],
  ['http://%31%30.0.0.1/', /non-standard notation \(it means 10\.0\.0\.1\)/],
  // names resolving to refused addresses (checked after DNS)
  ['http://intranet.example.com/v1', /resolves to 10\.20\.30\.40, private address/],
  ['http://router.example.com/v1', /resolves to 192\.168\.1\.1, private address/],
  ['https://metadata.example.com/', /resolves to 169\.254\.169\.254, cloud metadata address/],
  ['http://mapped.example.com/', /resolves to ::ffff:10\.0\.0\.1, private address \(IPv4-mapped/],
  ['http://ula.example.com/', /resolves to fd12:3456::1, private address/],
  ['http://mixed.example.com/', /resolves to 172\.16\.5\.5, private address/],
]

async function refusal(url: string, p = defaultUpstreamPolicy): Promise<GatewayError> {
  const err = await checkUpstreamHost(url, p, resolve).then(
    () => null,
    (e: unknown) => e,
  )
  assert.ok(err instanceof GatewayError, `${url} should be refused`)
  return err
}

describe('refused by default', () => {
  for (const [url, reason] of hostile) {
    test(url, async () => {
      const err = await refusal(url)
      assert.equal(err.code, 'custom_host_blocked')
      assert.equal(err.status, 403)
      assert.match(err.message, reason)
      assert.match(err.message, /^custom host \S+ is refused: /)
    })
  }
})

describe('allowed', () => {
  const allowed: Array<[string, string[], ReturnType<typeof policy>?]> = [
    ['https://8.8.8.8/v1', ['8.8.8.8']],
    ['https://api.example.com/v1', ['93.184.215.14']],
    ['https://v6.example.com/v1', ['2606:4700:4700::1111']],
    ['http://[2606:4700:4700::1111]/v1', ['2606:4700:4700::1111']],
    ['http://[::ffff:8.8.8.8]/v1', ['::ffff:808:808']],
    ['http://[64:ff9b::8.8.8.8]/v1', ['64:ff9b::808:808']],
    // loopback: on by default (model servers on this machine)
    ['http://127.0.0.1:11434/v1', ['127.0.0.1']],
    ['http://127.0.0.2:8000/v1', ['127.0.0.2']],
    ['http://[::1]:8000/v1', ['::1']],
    ['http://[::ffff:127.0.0.1]:8000/v1', ['::ffff:7f00:1']],
    ['http://localhost:8000/v1', ['::1', '127.0.0.1']],
    // allow-listed: CIDR, exact IP, hostname, wildcard
    ['http://192.168.1.50:8000/v1', ['192.168.1.50'], policy({ allowHosts: ['192.168.1.0/24'] })],
    ['http://[::ffff:192.168.1.50]/v1', ['::ffff:c0a8:132'], policy({ allowHosts: ['192.168.1.0/24'] })],
    ['http://router.example.com/v1', ['192.168.1.1'], policy({ allowHosts: ['192.168.0.0/16'] })],
    ['http://10.0.0.7/v1', ['10.0.0.7'], policy({ allowHosts: ['10.0.0.7'] })],
    ['http://[fd12:3456::1]/v1', ['fd12:3456::1'], policy({ allowHosts: ['fd00::/8'] })],
    ['http://gpu.lan:8000/v1', ['192.168.7.20'], policy({ allowHosts: ['gpu.lan'] })],
    ['http://box.corp.example/v1', ['10.9.9.9'], policy({ allowHosts: ['*.corp.example'] })],
    ['http://169.254.169.254/', ['169.254.169.254'], policy({ allowHosts: ['169.254.169.254'] })],
    ['http://127.0.0.1:8000/v1', ['127.0.0.1'], policy({ allowLoopback: false, allowHosts: ['127.0.0.0/8'] })],
    ['http://2130706433:8000/v1', ['127.0.0.1'], policy({ allowHosts: ['127.0.0.1'] })],
  ]
  for (const [url, addresses, p] of allowed) {
    test(`${url}${p ? ` (allowHosts ${JSON.stringify(JSON.parse(p.key)[1])}, allowLoopback ${p.allowLoopback})` : ''}`, async () => {
      const v = await checkUpstreamHost(url, p ?? defaultUpstreamPolicy, resolve)
      assert.deepEqual(
        v.addresses.map((a) => a.address),
        addresses,
      )
    })
  }
})

describe('settings', () => {
  test('allowLoopback off refuses every loopback form', async () => {
    for (const url of ['http://127.0.0.1:8000/', 'http://127.9.9.9/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://localhost:8000/']) {
      assert.match((await refusal(url, noLoopback)).message, /loopback address.*\(allowLoopback is off\)/, url)
    }
  })

  test('a CIDR never unlocks a metadata address; only the exact address does', async () => {
    const wide = policy({ allowHosts: ['169.254.0.0/16', '0.0.0.0/0'] })
    assert.match((await refusal('http://169.254.169.254/', wide)).message, /cloud metadata/)
    assert.ok(await checkUpstreamHost('http://169.254.1.1/', wide, resolve))
  })

  test('an IPv6 range never unlocks IPv4 addresses (nor an IPv4 range IPv6 ones)', async () => {
    const sixOnly = policy({ allowHosts: ['::/0'] })
    assert.match((await refusal('http://10.0.0.1/', sixOnly)).message, /private address/)
    assert.ok(await checkUpstreamHost('http://[fd00::1]/', sixOnly, resolve))
    assert.match((await refusal('http://[fd00::1]/', policy({ allowHosts: ['0.0.0.0/0'] }))).message, /unique local/)
  })

  test('an allow-listed name is trusted whatever it resolves to; other names are not', async () => {
    const p = policy({ allowHosts: ['gpu.lan'] })
    assert.ok(await checkUpstreamHost('http://gpu.lan/', p, resolve))
    assert.match((await refusal('http://router.example.com/', p)).message, /private address/)
    assert.match((await refusal('http://metadata.google.internal/', p)).message, /cloud metadata service/)
  })

  test('an unresolvable name is unreachable, not blocked', async () => {
    const err = await checkUpstreamHost('http://nowhere.invalid/', defaultUpstreamPolicy, resolve).catch((e: unknown) => e)
    assert.ok(err instanceof GatewayError)
    assert.equal(err.code, 'provider_unreachable')
  })

  test('only http and https', async () => {
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1/', 'ftp://8.8.8.8/', 'not a url']) {
      const err = await checkUpstreamHost(url, defaultUpstreamPolicy, resolve).catch((e: unknown) => e)
      assert.ok(err instanceof GatewayError && err.code === 'invalid_request', url)
    }
  })

  test('messages name the host and never the credentials in the URL', async () => {
    const err = await refusal('http://user:s3cret-token@10.0.0.1/v1?key=abc')
    assert.ok(err.message.includes('10.0.0.1'))
    assert.ok(!err.message.includes('s3cret') && !err.message.includes('abc'))
  })

  test('allow-list entries are validated', () => {
    for (const ok of ['gpu.lan', '*.corp.example', '10.0.0.1', '192.168.0.0/16', 'fd00::/8', '::1', 'host-1.example.com']) {
      assert.equal(allowHostError(ok), null, ok)
    }
    for (const bad of ['', '10.0.0.0/33', 'fd00::/129', 'http://x', 'a b', '0x7f.1', '2130706433', '10.1']) {
      assert.notEqual(allowHostError(bad), null, bad)
    }
  })
})

describe('pinnedLookup', () => {
  const vetted = { hostname: 'localhost', addresses: [{ address: '::1', family: 6 as const }, { address: '127.0.0.1', family: 4 as const }] }
  const call = (host: string, options: object) =>
    new Promise<unknown>((done) => pinnedLookup(vetted)(host, options, (err, address, family) => done(err ? err : { address, family })))

  test('answers with the vetted addresses only, never a fresh resolution', async () => {
    assert.deepEqual(await call('localhost', {}), { address: '::1', family: 6 })
    assert.deepEqual(await call('localhost', { family: 4 }), { address: '127.0.0.1', family: 4 })
    assert.deepEqual(await call('localhost', { all: true }), { address: vetted.addresses, family: undefined })
    const other = await call('elsewhere.example.com', {})
    assert.ok(other instanceof Error)
  })
})
