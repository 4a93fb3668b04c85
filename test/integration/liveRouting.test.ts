/**
 * Live routing: a rule changed from the window (over the IPC transport, as the desktop app does) is
 * validated, persisted, compiled and swapped in while streams are in flight. The streams that started
 * finish on the old target, whole; the next request goes to the new one; nothing restarts, and the
 * window hears `catalog:changed`. Two local upstreams hold their streams open on a gate, so the change
 * lands mid-stream for certain. Real `openai` SDK as the client.
 */
import assert from 'node:assert/strict'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import OpenAI from 'openai'
import { attachIpcTransport, trustedUiUrl } from '../../main/control/ipcTransport.ts'
import { createBridge, type SwitchyardBridgeApi } from '../../preload/createBridge.ts'
import { createFakeElectron } from '../support/fakeElectron.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'

type GatedUpstream = { url: string; name: string; open: ServerResponse[]; served: number; release(): void; close(): Promise<void> }

/** A streaming chat upstream that sends one chunk, then waits for `release()` before the rest. */
async function gatedUpstream(name: string): Promise<GatedUpstream> {
  let gate!: () => void
  let opened = new Promise<void>((r) => (gate = r))
  const u: GatedUpstream = { url: '', name, open: [], served: 0, release: () => gate(), close: () => new Promise((r) => server.close(() => r())) }
  const chunk = (content: string | null, finish: string | null) =>
    `data: ${JSON.stringify({ id: `chatcmpl-${name}`, object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', async () => {
      u.served++
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(chunk(`from ${name}: `, null))
      u.open.push(res)
      await opened
      res.write(chunk('the rest', null))
      res.write(chunk(null, 'stop'))
      res.end('data: [DONE]\n\n')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  u.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  // B answers at once: its gate starts open.
  if (name === 'B') {
    gate()
    opened = Promise.resolve()
  }
  return u
}

let gw: TestGateway
let a: GatedUpstream
let b: GatedUpstream
let bridge: SwitchyardBridgeApi
let detach: () => void
let client: OpenAI

before(async () => {
  ;[a, b] = await Promise.all([gatedUpstream('A'), gatedUpstream('B')])
  gw = await startTestGateway()
  const electron = createFakeElectron()
  detach = attachIpcTransport(gw.running.control, electron.ipcMain, { isTrustedUrl: trustedUiUrl(`${gw.url}/ui/`) }).detach
  const page = electron.renderer(`${gw.url}/ui/#/configs`)
  page.contextBridge.exposeInMainWorld('switchyard', createBridge(page.ipcRenderer))
  bridge = page.world.switchyard as SwitchyardBridgeApi
  for (const [slug, up] of [['openai-a', a], ['openai-b', b]] as const) {
    const r = await bridge.invoke('integrations:create', { slug, kind: 'openai', apiKey: `sk-${slug}-0123456789`, settings: { baseUrl: up.url } })
    assert.ok(r.ok, JSON.stringify(r))
  }
  const set = await bridge.invoke('aliases:set', { workspaceId: 'ws_default', aliases: [{ pattern: 'team-model', target: '@openai-a/gpt-4o' }] })
  assert.ok(set.ok, JSON.stringify(set))
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: await gw.newKey('live'), maxRetries: 0 })
})

after(async () => {
  detach()
  await gw.stop()
  await Promise.all([a.close(), b.close()])
})

async function streamText(): Promise<string> {
  const stream = await client.chat.completions.create({ model: 'team-model', stream: true, messages: [{ role: 'user', content: 'hi' }] })
  let text = ''
  for await (const c of stream) text += c.choices[0]?.delta?.content ?? ''
  return text
}

test('change the rule mid-stream: in-flight streams finish on A, the next request goes to B', async () => {
  const serverBefore = gw.running.server
  const inFlight = [streamText(), streamText(), streamText()]
  while (a.open.length < 3) await new Promise((r) => setTimeout(r, 10)) // all three are streaming from A

  const events: unknown[] = []
  bridge.on('catalog:changed', (e) => events.push(e))
  await new Promise((r) => setImmediate(r))
  const bad = await bridge.invoke('aliases:set', { workspaceId: 'ws_default', aliases: [{ pattern: 'team-model', target: '@nowhere/gpt-4o' }] })
  assert.equal(bad.ok ? 'ok' : bad.error.code, 'invalid_input', 'a rule naming no provider is refused and changes nothing')
  const changed = await bridge.invoke('aliases:set', { workspaceId: 'ws_default', aliases: [{ pattern: 'team-model', target: '@openai-b/gpt-4o' }] })
  assert.ok(changed.ok, JSON.stringify(changed))

  assert.equal(await streamText(), 'from B: the rest', 'the next request follows the new rule')
  assert.equal(b.served, 1)
  a.release()
  assert.deepEqual(await Promise.all(inFlight), ['from A: the rest', 'from A: the rest', 'from A: the rest'], 'in-flight streams finish, whole, on the old target')
  assert.equal(a.served, 3, 'A saw only the three that started before the change')

  assert.equal(gw.running.server, serverBefore, 'nothing restarted')
  assert.ok(gw.running.server.listening)
  assert.ok(events.length >= 1, 'the window heard catalog:changed')
  const persisted = await gw.admin('aliases:list', { workspaceId: 'ws_default' })
  assert.deepEqual(persisted, [{ pattern: 'team-model', target: '@openai-b/gpt-4o' }], 'persisted, and the HTTP transport sees it too')
})
