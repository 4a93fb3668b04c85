/**
 * A canary provider key planted in the vault must appear nowhere: not in the database files, not in
 * any log line, not in any admin API response, not in error messages, not in usage rows, even when
 * the upstream echoes the key back in its error text.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { setLogLevel, setLogSink } from '../../main/log.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'

const CANARY = `sk-canary-${randomUUID()}`
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
    res.writeHead(401, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}`, type: 'invalid_request_error', code: 'invalid_api_key' } }))
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

  const rows = await gw.admin('usage:query', {})
  assert.ok(rows.length >= 3, 'the calls were recorded')

  for (const text of seen) assert.ok(!text.includes(CANARY), `an API response contains the canary: ${text.slice(0, 200)}`)
  for (const line of logs) assert.ok(!line.includes(CANARY), `a log line contains the canary: ${line}`)

  gw.running.store.usageWriter.flush()
  const files = readdirSync(gw.dataDir).filter((f) => f.startsWith('switchyard.db'))
  assert.ok(files.includes('switchyard.db-wal'), 'the WAL file is checked too')
  for (const f of files) {
    const bytes = readFileSync(join(gw.dataDir, f))
    assert.equal(bytes.indexOf(CANARY), -1, `${f} contains the canary in clear`)
  }
})
