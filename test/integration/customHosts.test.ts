/**
 * Custom hosts through the gateway with the real `openai` SDK: loopback works by default and is
 * refused once `network:set {allowLoopback:false}`; a name resolving to a private address is refused
 * (after DNS, through an injected resolver); an allow-listed CIDR passes; the connection goes to the
 * address that was checked (the fake names exist only in that resolver); redirects are not followed;
 * catalog integrations are not checked.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import type { HostResolver } from '../../main/network/upstreamHost.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { usageFor } from '../support/usageFor.ts'

let gw: TestGateway
let upstream: Upstream
let redirecting: Server
let key: string
const lookups: string[] = []

/** The only place these names exist: if the gateway resolved them again itself, it would fail. */
const fakeDns: Record<string, string> = {
  'models.example.test': '127.0.0.1',
  'intranet.example.test': '10.20.30.40',
  'metadata.example.test': '169.254.169.254',
}
const resolveHost: HostResolver = async (name) => {
  lookups.push(name)
  const address = fakeDns[name]
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' })
  return [{ address, family: 4 }]
}

before(async () => {
  upstream = await startOpenAIUpstream({ models: ['llama3.2'] })
  redirecting = createServer((req, res) => {
    req.resume()
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end()
  })
  await new Promise<void>((done) => redirecting.listen(0, '127.0.0.1', done))
  gw = await startTestGateway({ resolveHost })
  key = await gw.newKey()
})

after(async () => {
  await gw.stop()
  await upstream.close()
  await new Promise((done) => redirecting.close(done))
})

const port = () => new URL(upstream.url).port

function clientFor(customHost: string, traceId = randomUUID()): OpenAI {
  return new OpenAI({
    baseURL: `${gw.url}/v1`,
    apiKey: 'sk-self-hosted',
    maxRetries: 0,
    defaultHeaders: {
      'x-portkey-api-key': key,
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': customHost,
      'x-portkey-trace-id': traceId,
    },
  })
}

const ask = (c: OpenAI) => c.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] })

async function refused(c: OpenAI): Promise<InstanceType<typeof OpenAI.APIError>> {
  const err = await ask(c).catch((e: unknown) => e)
  assert.ok(err instanceof OpenAI.APIError, `expected an API error, got ${String(err)}`)
  return err
}

describe('custom hosts', () => {
  test('loopback works by default (a model server on this machine)', async () => {
    const res = await ask(clientFor(upstream.url))
    assert.equal(res.choices[0]?.message.content, 'Hello from llama3.2: hi')
  })

  test('a name is resolved once, checked, and the connection goes to the checked address', async () => {
    const before = upstream.requests.length
    const res = await ask(clientFor(`http://models.example.test:${port()}/v1`))
    assert.equal(res.choices[0]?.message.content, 'Hello from llama3.2: hi')
    assert.equal(upstream.requests.length, before + 1)
    assert.equal(upstream.requests.at(-1)?.headers.host, `models.example.test:${port()}`)
    assert.equal(lookups.filter((n) => n === 'models.example.test').length, 1)
  })

  test('a name resolving to a private address is refused with 403 custom_host_blocked, and recorded', async () => {
    const traceId = randomUUID()
    const err = await refused(clientFor('http://intranet.example.test:8000/v1', traceId))
    assert.equal(err.status, 403)
    assert.equal(err.code, 'custom_host_blocked')
    assert.match(err.message, /custom host intranet\.example\.test is refused: resolves to 10\.20\.30\.40, private address/)
    const row = await usageFor(gw, traceId)
    assert.equal(row.status, 403)
  })

  test('metadata addresses and number forms are refused', async () => {
    assert.match((await refused(clientFor('http://169.254.169.254/latest'))).message, /cloud metadata address/)
    assert.match((await refused(clientFor('http://metadata.example.test/'))).message, /resolves to 169\.254\.169\.254, cloud metadata/)
    assert.match((await refused(clientFor('http://metadata.google.internal/'))).message, /cloud metadata service/)
    assert.match((await refused(clientFor(`http://2130706433:${port()}/v1`))).message, /non-standard notation \(it means 127\.0\.0\.1\)/)
    assert.match((await refused(clientFor('http://[::ffff:10.0.0.1]/v1'))).message, /IPv4-mapped 10\.0\.0\.1/)
  })

  test('the Anthropic dialect gets the refusal in its own shape', async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': key,
        'anthropic-version': '2023-06-01',
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': 'http://10.0.0.1/v1',
      },
      body: JSON.stringify({ model: 'llama3.2', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    })
    assert.equal(res.status, 403)
    const body = (await res.json()) as { type: string; error: { type: string; message: string } }
    assert.equal(body.type, 'error')
    assert.match(body.error.message, /custom host 10\.0\.0\.1 is refused: private address/)
  })

  test('a redirect from a custom host is an error, never followed', async () => {
    const { port: p } = redirecting.address() as AddressInfo
    const err = await refused(clientFor(`http://127.0.0.1:${p}/v1`))
    assert.equal(err.status, 502)
    assert.match(err.message, /answered with a redirect \(HTTP 302\); redirects are not followed/)
  })

  test('network:set {allowLoopback:false} refuses loopback on the next request; an allow-listed CIDR passes', async () => {
    assert.deepEqual(await gw.admin('network:get', {}), { allowLoopback: true, allowHosts: [] })
    try {
      assert.deepEqual(await gw.admin('network:set', { allowLoopback: false }), { allowLoopback: false, allowHosts: [] })
      const err = await refused(clientFor(upstream.url))
      assert.equal(err.status, 403)
      assert.match(err.message, /custom host 127\.0\.0\.1 is refused: loopback address \(allowLoopback is off\)/)
      assert.match((await refused(clientFor(`http://models.example.test:${port()}/v1`))).message, /resolves to 127\.0\.0\.1, loopback/)

      await gw.admin('network:set', { allowHosts: ['127.0.0.0/8', '10.0.0.0/8'] })
      assert.deepEqual(await gw.admin('network:get', {}), { allowLoopback: false, allowHosts: ['127.0.0.0/8', '10.0.0.0/8'] })
      assert.equal((await ask(clientFor(upstream.url))).choices[0]?.message.content, 'Hello from llama3.2: hi')
      assert.equal((await ask(clientFor(`http://models.example.test:${port()}/v1`))).choices[0]?.message.content, 'Hello from llama3.2: hi')
    } finally {
      await gw.admin('network:set', { allowLoopback: true, allowHosts: [] })
    }
  })

  test('network:set rejects malformed allow-list entries with the path', async () => {
    const res = await gw.adminRaw('network:set', { allowHosts: ['10.0.0.0/8', '10.0.0.0/99'] })
    const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } }
    assert.equal(body.ok, false)
    assert.equal(body.error.code, 'invalid_input')
    assert.match(body.error.message, /allowHosts\[1\]: .*not a valid CIDR/)
  })

  test('catalog integrations are trusted: no check, no DNS, even with loopback off', async () => {
    await gw.admin('integrations:create', { slug: 'local', kind: 'openai', apiKey: 'sk-local-0123456789', settings: { baseUrl: upstream.url } })
    await gw.admin('network:set', { allowLoopback: false })
    try {
      const n = lookups.length
      const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
      const res = await c.chat.completions.create({ model: '@local/llama3.2', messages: [{ role: 'user', content: 'hi' }] })
      assert.equal(res.choices[0]?.message.content, 'Hello from llama3.2: hi')
      assert.equal(lookups.length, n)
    } finally {
      await gw.admin('network:set', { allowLoopback: true })
    }
  })

  test('the OpenAPI document lists the network commands', async () => {
    const res = await fetch(`${gw.url}/admin/openapi.json`, { headers: { authorization: `Bearer ${gw.running.adminToken}`, host: new URL(gw.url).host } })
    assert.equal(res.status, 200)
    const doc = (await res.json()) as { paths: Record<string, unknown> }
    assert.ok(doc.paths['/admin/api/network:set'])
    assert.ok(doc.paths['/admin/api/network:get'])
  })
})
