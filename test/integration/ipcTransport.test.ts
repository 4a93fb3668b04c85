/**
 * The Control API's contract over both transports: every command has a handler and a schema and is
 * reachable over HTTP and over IPC with the same answer; IPC refuses unknown channels, bad payloads
 * and untrusted senders; the preload exposes exactly `invoke` and `on`; events reach subscribed
 * windows; secrets never cross to the renderer. IPC runs through an in-process stand-in that keeps
 * Electron's rules (test/support/fakeElectron.ts).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { CommandName, Result } from '../../preload/contract.ts'
import { eventNames, ipcChannels } from '../../preload/channels.ts'
import { createBridge, type SwitchyardBridgeApi } from '../../preload/createBridge.ts'
import { attachIpcTransport, trustedUiUrl } from '../../main/control/ipcTransport.ts'
import { schemas } from '../../main/control/schemas.ts'
import { createFakeElectron, type FakeElectron, type FakeRenderer } from '../support/fakeElectron.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'

const SECRET = 'sk-ipc-contract-secret-0123456789ABCD'

let gw: TestGateway
let electron: FakeElectron
let page: FakeRenderer
let bridge: SwitchyardBridgeApi
let detach: () => void

/** What the preload does, against the stand-in. */
function preload(r: FakeRenderer): SwitchyardBridgeApi {
  r.contextBridge.exposeInMainWorld('switchyard', createBridge(r.ipcRenderer))
  return r.world.switchyard as SwitchyardBridgeApi
}

before(async () => {
  gw = await startTestGateway()
  electron = createFakeElectron()
  detach = attachIpcTransport(gw.running.control, electron.ipcMain, { isTrustedUrl: trustedUiUrl(`${gw.url}/ui/`) }).detach
  page = electron.renderer(`${gw.url}/ui/#/integrations`)
  bridge = preload(page)
})

after(async () => {
  detach()
  await gw.stop()
})

const viaHttp = async (name: string, input: unknown) => (await (await gw.adminRaw(name, input)).json()) as Result<unknown>
const outcome = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)

describe('every command, both transports', () => {
  test('every handler has a schema and every schema a handler', () => {
    const handlers = gw.running.control.commands().sort()
    assert.deepEqual(handlers, Object.keys(schemas).sort())
    assert.ok(handlers.includes('app:loginItem:set') && handlers.includes('budgets:topUp') && handlers.includes('gateway:setPaused'))
  })

  test('each command is reachable over IPC and HTTP and both answer alike (valid and invalid input)', async () => {
    // Commands that change state with an empty input are called with input that is refused, so both
    // transports see the same state; the others are read-only or idempotent.
    for (const name of gw.running.control.commands()) {
      for (const input of [{}, { definitelyNotAField: 1 }]) {
        const [ipc, http] = [await bridge.invoke(name as CommandName, input), await viaHttp(name, input)]
        assert.equal(outcome(ipc), outcome(http), `${name} ${JSON.stringify(input)}: IPC ${JSON.stringify(ipc)} vs HTTP ${JSON.stringify(http)}`)
        if (!ipc.ok) assert.doesNotMatch(ipc.error.message, /^no command/, `${name} is reachable over IPC`)
        if (!http.ok) assert.doesNotMatch(http.error.message, /^no command/, `${name} is reachable over HTTP`)
      }
    }
    const strict = await bridge.invoke('workspaces:list', { definitelyNotAField: 1 })
    assert.equal(outcome(strict), 'invalid_input', 'the same strict zod schemas refuse unknown fields over IPC')
  })

  test('a command over IPC changes the same service the HTTP transport sees', async () => {
    const created = await bridge.invoke('workspaces:create', { slug: 'from-ipc' })
    assert.ok(created.ok)
    const listed = await viaHttp('workspaces:list', {})
    assert.ok(listed.ok && (listed.value as Array<{ slug: string }>).some((w) => w.slug === 'from-ipc'))
  })
})

describe('refusals', () => {
  test('unknown channels are refused: only the allow-listed ones have handlers', async () => {
    assert.deepEqual(electron.ipcMain.channels().sort(), [ipcChannels.invoke, ipcChannels.subscribe].sort())
    await assert.rejects(page.ipcRenderer.invoke('switchyard:eval', 'process.exit()'), /No handler registered/)
    await assert.rejects(page.ipcRenderer.invoke('ELECTRON_BROWSER_REQUIRE', 'fs'), /No handler registered/)
  })

  test('bad payloads: unknown or non-string command names, schema violations, functions', async () => {
    const rows: Array<[unknown, unknown, string]> = [
      ['no:such', {}, 'not_found'],
      ['__proto__', {}, 'not_found'],
      ['constructor', {}, 'not_found'],
      ['toString', {}, 'not_found'],
      [42, {}, 'not_found'],
      [{ name: 'workspaces:list' }, {}, 'not_found'],
      ['workspaces:create', { slug: 'Bad Slug!' }, 'invalid_input'],
      ['workspaces:create', 'not an object', 'invalid_input'],
      ['gateway:setPaused', { paused: 'yes' }, 'invalid_input'],
      ['budgets:topUp', { scope: 'galaxy', id: 'x' }, 'invalid_input'],
    ]
    for (const [name, input, code] of rows) {
      const r = (await page.ipcRenderer.invoke(ipcChannels.invoke, name, input)) as Result<unknown>
      assert.equal(outcome(r), code, `${JSON.stringify(name)} ${JSON.stringify(input)}`)
    }
    // Electron's structured clone: a function cannot be sent at all.
    await assert.rejects(bridge.invoke('workspaces:list', { evil: () => 1 }), /could not be cloned|DataCloneError/)
  })

  test('untrusted senders are refused and nothing they ask for happens', async () => {
    const senders = [
      electron.renderer('https://evil.example/ui/'),
      electron.renderer(`http://127.0.0.1:1/ui/`),
      electron.renderer(`${gw.url}/v1/models`),
      electron.renderer('file:///etc/passwd'),
      electron.renderer(`${gw.url}/ui/`, { subframe: true }),
    ]
    for (const s of senders) {
      const b = preload(s)
      const r = await b.invoke('gateway:setPaused', { paused: true })
      assert.equal(outcome(r), 'forbidden')
      const sub = (await s.ipcRenderer.invoke(ipcChannels.subscribe, 'usage:recorded')) as Result<unknown>
      assert.equal(outcome(sub), 'forbidden')
    }
    const state = await bridge.invoke('gateway:state', {})
    assert.deepEqual(state.ok && state.value, { paused: false, pausedAt: null })
  })
})

describe('the preload', () => {
  test('exposes exactly window.switchyard with invoke and on, and nothing of ipcRenderer', () => {
    assert.deepEqual(Object.keys(page.world), ['switchyard'])
    assert.deepEqual(Object.keys(page.world.switchyard as object).sort(), ['invoke', 'on'])
    assert.throws(() => page.contextBridge.exposeInMainWorld('switchyard', {}), /existing property/)
  })

  test('events reach a subscribed window as payload only (never the IPC event), and stop after unsubscribe', async () => {
    const got: unknown[] = []
    const args: number[] = []
    const off = bridge.on('gateway:stateChanged', (...a: unknown[]) => {
      args.push(a.length)
      got.push(a[0])
    })
    await new Promise((r) => setImmediate(r)) // the subscribe message is on its way
    await bridge.invoke('gateway:setPaused', { paused: true })
    await bridge.invoke('gateway:setPaused', { paused: false })
    off()
    await bridge.invoke('gateway:setPaused', { paused: true })
    await bridge.invoke('gateway:setPaused', { paused: false })
    assert.deepEqual(got.map((g) => (g as { paused: boolean }).paused), [true, false])
    assert.deepEqual(args, [1, 1])
    assert.throws(() => bridge.on('process:exit' as never, () => {}), /unknown Switchyard event/)
    assert.ok(eventNames.includes('usage:recorded'))
  })

  test('a closed window stops receiving events', async () => {
    const w = electron.renderer(`${gw.url}/ui/`)
    const b = preload(w)
    const got: unknown[] = []
    b.on('catalog:changed', (p) => got.push(p))
    await new Promise((r) => setImmediate(r))
    await bridge.invoke('workspaces:create', { slug: 'before-close' })
    w.webContents.destroy()
    await bridge.invoke('workspaces:create', { slug: 'after-close' })
    assert.equal(got.length, 1)
  })
})

test('secrets never cross to the renderer', async () => {
  const created = await bridge.invoke('integrations:create', { slug: 'secret-holder', kind: 'openai', apiKey: SECRET })
  assert.ok(created.ok, JSON.stringify(created))
  const events: unknown[] = []
  bridge.on('catalog:changed', (p) => events.push(p))
  await new Promise((r) => setImmediate(r))
  await bridge.invoke('integrations:update', { id: (created.value as { id: string }).id, apiKey: `${SECRET}-rotated` })
  for (const name of ['integrations:list', 'system:status', 'providers:list', 'keys:list'] as const) await bridge.invoke(name, {})
  assert.ok(events.length > 0)
  assert.ok(electron.toMain.some((m) => m.includes(SECRET)), 'the secret did go in (write-only)')
  const leaked = electron.toRenderer.filter((m) => m.includes(SECRET) || m.includes(SECRET.slice(3, 20)))
  assert.deepEqual(leaked, [])
})
