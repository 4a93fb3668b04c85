/**
 * Canary provider keys planted in every place a key can enter (the vault, a bring-your-own
 * `Authorization` with a custom host, an inline config's `api_key`, a saved config's `api_key`) must
 * appear nowhere: not in client bodies (JSON and SSE), any log line, any admin API answer, usage rows,
 * the data directory (database, WAL and every other file) or the UI bundle, even when the upstream
 * echoes the key back in its answers, its errors and its streams.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { setLogLevel, setLogSink } from '../../main/log.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'

const CANARY = `sk-canary-${randomUUID()}`
const BYO = `sk-canary-byo-${randomUUID()}`
const INLINE = `sk-canary-inline-${randomUUID()}`
const SAVED = `sk-canary-saved-${randomUUID()}`
const ALL = [CANARY, BYO, INLINE, SAVED]
const logs: string[] = []
let gw: TestGateway
let echo: ReturnType<typeof createServer>
let echoUrl = ''
const seen: string[] = []

before(async () => {
  setLogSink((line) => void logs.push(line))
  setLogLevel('debug')
  // An upstream that rejects every key and echoes it in full, as some providers do.
  echo = createServer((req, res) => {
    const auth = String(req.headers.authorization)
    if (req.url?.startsWith('/echo-ok/')) {
      // Answers, and echoes the key inside the answer: JSON, or an SSE stream with the key split across writes.
      let body = ''
      req.on('data', (c: Buffer) => void (body += c.toString()))
      req.on('end', () => {
        if (!(JSON.parse(body) as { stream?: boolean }).stream) {
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: `you sent ${auth}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 } }))
          return
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        const event = `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: `you sent ${auth}` }, finish_reason: null }] })}\n\n`
        const cut = event.indexOf('sk-canary') + 12
        res.write(event.slice(0, cut))
        setTimeout(() => res.end(event.slice(cut) + `data: ${JSON.stringify({ error: { message: `bad key ${auth}` } })}\n\ndata: [DONE]\n\n`), 20)
      })
      return
    }
    res.writeHead(401, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${auth}`, type: 'invalid_request_error', code: 'invalid_api_key' } }))
  })
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r))
  const addr = echo.address()
  echoUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/v1`
  gw = await startTestGateway()
})

after(async () => {
  await gw.stop()
  echo.close()
})

async function record(res: Response): Promise<string> {
  const text = await res.text()
  seen.push(text, JSON.stringify([...res.headers]))
  return text
}

test('the canary key is nowhere outside the vault', async () => {
  const created = await gw.admin('integrations:create', { slug: 'canary', kind: 'openai', apiKey: CANARY, settings: { baseUrl: echoUrl } })
  seen.push(JSON.stringify(created))
  await gw.admin('integrations:create', { slug: 'canary-dead', kind: 'groq', apiKey: CANARY, settings: { baseUrl: 'http://127.0.0.1:9/v1' } })
  const key = await gw.newKey()

  const call = (model: string, stream = false) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
    })
  const echoed = await record(await call('@canary/gpt-4o'))
  assert.match(echoed, /Incorrect API key provided/, 'the upstream error still reaches the client')
  await record(await call('@canary/gpt-4o', true))
  await record(await call('@canary-dead/llama'))
  await record(await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } }))
  const refresh = await gw.adminRaw('models:refresh', { providerSlug: 'canary' })
  await record(refresh)
  for (const name of ['integrations:list', 'providers:list', 'models:list', 'system:status', 'keys:list', 'workspaces:list', 'providerKinds:list']) {
    await record(await gw.adminRaw(name, {}))
  }
  await record(await gw.adminRaw('integrations:get', { id: created.id }))
  await record(await gw.adminRaw('usage:query', {}))
  await record(await gw.adminRaw('usage:summary', { groupBy: 'provider' }))
  await record(await gw.adminRaw('integrations:update', { id: created.id, name: 'renamed' }))
  await record(await fetch(`${gw.url}/admin/openapi.json`, { headers: { host: new URL(gw.url).host } }))

  // Every other place a key can enter: a bring-your-own key, an inline config, a saved config; answered
  // and streamed by an upstream that echoes the key it got.
  const okHost = echoUrl.replace(/\/v1$/, '/echo-ok/v1')
  const saved = await gw.admin('configs:create', { slug: 'canary-saved', config: { provider: 'openai', api_key: SAVED, custom_host: okHost } })
  seen.push(JSON.stringify(saved))
  assert.equal((saved.config as { api_key?: string }).api_key, `****${SAVED.slice(-4)}`, 'a saved key comes back masked')
  const viaHeaders = (headers: Record<string, string>, stream: boolean) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'm', stream, messages: [{ role: 'user', content: 'hi' }] }),
    })
  const entries: Array<Record<string, string>> = [
    { 'x-portkey-api-key': key, authorization: `Bearer ${BYO}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': okHost },
    { authorization: `Bearer ${key}`, 'x-portkey-config': JSON.stringify({ provider: 'openai', api_key: INLINE, custom_host: okHost }) },
    { authorization: `Bearer ${key}`, 'x-portkey-config': 'canary-saved' },
  ]
  for (const h of entries) {
    for (const stream of [false, true]) {
      const text = await record(await viaHeaders(h, stream))
      assert.match(text, /you sent/, 'the echoing upstream answered')
    }
  }
  const updated = await gw.adminRaw('configs:update', { id: saved.id, name: 'renamed', config: saved.config })
  assert.equal(updated.status, 200, 'the masked value sent back keeps the key')
  await record(updated)
  assert.match(await record(await viaHeaders(entries[2] as Record<string, string>, false)), /you sent Bearer \[redacted\]/, 'the saved key still reaches the upstream')
  for (const name of ['configs:list', 'aliases:list', 'limits:status', 'limitSettings:get', 'provisioning:list', 'customModels:list', 'pricing:list', 'guardrails:get', 'network:get']) {
    await record(await gw.adminRaw(name, {}))
  }
  await record(await gw.adminRaw('configs:get', { id: saved.id }))
  await record(await gw.adminRaw('configs:get', { id: saved.id, version: 1 }))
  await record(await gw.adminRaw('usage:query', {}))

  const rows = await gw.admin('usage:query', {})
  assert.ok(rows.length >= 3, 'the calls were recorded')

  for (const c of ALL) {
    for (const text of seen) assert.ok(!text.includes(c), `an API response contains a canary: ${text.slice(0, 300)}`)
    for (const line of logs) assert.ok(!line.includes(c), `a log line contains a canary: ${line}`)
  }

  gw.running.store.usageWriter.flush()
  const files = filesUnder(gw.dataDir)
  assert.ok(files.some((f) => f.endsWith('switchyard.db-wal')), 'the WAL file is checked too')
  // The UI bundle, when built (npm test builds it before the suite).
  const bundle = join(import.meta.dirname, '../../dist/renderer')
  if (existsSync(bundle)) files.push(...filesUnder(bundle))
  for (const f of files) {
    const bytes = readFileSync(f)
    for (const c of ALL) assert.equal(bytes.indexOf(c), -1, `${f} contains a canary in clear`)
  }
})

function filesUnder(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...filesUnder(p))
    else out.push(p)
  }
  return out
}
