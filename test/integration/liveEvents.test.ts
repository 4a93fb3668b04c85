/**
 * Live events over HTTP (`GET /admin/events`): a request through the gateway reaches an SSE
 * subscriber as `usage:recorded` (with the stored row's id) within two seconds; the stream checks
 * the token, Host and Origin like the admin API; a burst is coalesced into a few small batches.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import OpenAI from 'openai'
import type { EventBatch } from '../../main/control/createEventStream.ts'
import type { UsageRow } from '../../preload/contract.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

let gw: TestGateway
let upstream: Upstream
let client: OpenAI

before(async () => {
  upstream = await startOpenAIUpstream()
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: 'sk-test-0123456789abcdef', settings: { baseUrl: upstream.url } })
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: await gw.newKey(), maxRetries: 0 })
})

after(async () => {
  await gw.stop()
  await upstream.close()
})

/** Opens the stream and collects its batches until `stop()`. */
async function subscribe(headers: Record<string, string> = {}) {
  const ac = new AbortController()
  const res = await fetch(`${gw.url}/admin/events`, { headers: { authorization: `Bearer ${gw.running.adminToken}`, ...headers }, signal: ac.signal })
  const batches: EventBatch[] = []
  let waiters: Array<() => void> = []
  const done = (async () => {
    if (!res.ok || !res.body) return
    const decoder = new TextDecoder()
    let buf = ''
    try {
      const reader = res.body.getReader()
      for (;;) {
        const { done: ended, value } = await reader.read()
        if (ended) break
        buf += decoder.decode(value, { stream: true })
        let end: number
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const message = buf.slice(0, end)
          buf = buf.slice(end + 2)
          const data = message.split('\n').find((l) => l.startsWith('data: '))
          if (data) batches.push(JSON.parse(data.slice(6)) as EventBatch)
          waiters.forEach((w) => w())
          waiters = []
        }
      }
    } catch {
      // aborted by stop()
    }
  })()
  const rows = () => batches.flatMap((b) => b.events.filter((e) => e.event === 'usage:recorded').map((e) => e.payload as UsageRow))
  return {
    res,
    batches,
    rows,
    async until(ok: () => boolean, ms: number): Promise<void> {
      const deadline = Date.now() + ms
      while (!ok()) {
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`not within ${ms} ms; got ${JSON.stringify(batches)}`)
        await new Promise<void>((r) => (waiters.push(r), setTimeout(r, left)))
      }
    },
    async stop() {
      ac.abort()
      await done
    },
  }
}

test('a request through the gateway arrives as usage:recorded within two seconds', async () => {
  const sub = await subscribe()
  assert.equal(sub.res.status, 200)
  assert.match(sub.res.headers.get('content-type') ?? '', /^text\/event-stream/)
  const started = Date.now()
  await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'live' }] })
  await sub.until(() => sub.rows().length === 1, 2000)
  const row = sub.rows()[0] as UsageRow
  assert.ok(Date.now() - started < 2000)
  assert.equal(row.model, 'gpt-4o')
  assert.ok(row.id > 0, 'the row carries its stored id')
  assert.deepEqual(await gw.admin('usage:get', { id: row.id }), row)
  await sub.stop()
})

test('the stream needs the admin token, this server as Host and no foreign Origin', async () => {
  const noToken = await fetch(`${gw.url}/admin/events`)
  assert.equal(noToken.status, 401)
  const port = new URL(gw.url).port
  const foreignOrigin = await fetch(`${gw.url}/admin/events`, { headers: { authorization: `Bearer ${gw.running.adminToken}`, origin: 'http://evil.example' } })
  assert.equal(foreignOrigin.status, 403)
  // fetch will not let us forge Host; the admin handler is the one that checks it, so call it as the server would.
  const wrongHost = await new Promise<number>((resolve, reject) => {
    import('node:http').then(({ request }) => {
      const req = request({ host: '127.0.0.1', port, path: '/admin/events', headers: { host: `rebound.example:${port}`, authorization: `Bearer ${gw.running.adminToken}` } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    }, reject)
  })
  assert.equal(wrongHost, 403)
})

test('a burst of 300 rows is coalesced: a few batches, at most 200 rows each, the rest counted as dropped', async () => {
  const sub = await subscribe()
  const base = { workspaceId: null, apiKeyId: null, providerSlug: 'openai', model: 'm', endpoint: '/v1/chat/completions', status: 200, stream: false, latencyMs: 1, ttfbMs: 1, inputTokens: 1, outputTokens: 1, cachedTokens: null, costMicros: 1, metadata: null, error: null }
  for (let i = 0; i < 300; i++) gw.running.store.usageWriter.enqueue({ ...base, createdAt: Date.now(), traceId: `burst-${i}` })
  await sub.until(() => sub.rows().length + sub.batches.reduce((n, b) => n + (b.dropped['usage:recorded'] ?? 0), 0) >= 300, 3000)
  assert.ok(sub.batches.length <= 3, `${sub.batches.length} batches`)
  assert.ok(sub.batches.every((b) => b.events.length <= 200))
  assert.equal(sub.rows().at(-1)?.traceId, 'burst-299', 'the newest rows are the ones kept')
  await sub.stop()
})
