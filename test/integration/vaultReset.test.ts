/**
 * A vault whose key is lost: the start refuses and says what a reset would delete; a start that was
 * told to reset deletes exactly the undecryptable secrets and the references to them, keeps
 * everything else, and the gateway then works with a key entered again. A vault that opens, or one
 * whose key store merely changed, is never reset. Real SQLite, real key file, real OpenAI SDK.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import OpenAI from 'openai'
import { startSwitchyard, type StartOptions } from '../../main/startSwitchyard.ts'
import { keyFileStore } from '../../main/vault/keyFileStore.ts'
import type { KeyStore } from '../../main/vault/KeyStore.ts'
import { isVaultError } from '../../main/vault/VaultError.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

const UPSTREAM_KEY = 'sk-upstream-key-0123456789'
let upstream: Upstream
const dirs: string[] = []
before(async () => {
  upstream = await startOpenAIUpstream({ apiKey: UPSTREAM_KEY })
})
after(async () => {
  await upstream.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A data dir with an integration key, a config key and a key-less integration, stopped. */
async function populated(): Promise<{ dataDir: string; keyFile: string; start: (o?: Partial<StartOptions>) => ReturnType<typeof startSwitchyard>; apiKey: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-reset-'))
  dirs.push(dataDir)
  const keyFile = join(dataDir, 'vault.key')
  const start = (o: Partial<StartOptions> = {}) => startSwitchyard({ dataDir, port: 0, keyStore: keyFileStore(keyFile), ...o })
  const app = await start()
  try {
    await app.control.invoke('integrations:create', { slug: 'openai', kind: 'openai', apiKey: UPSTREAM_KEY, settings: { baseUrl: upstream.url } })
    await app.control.invoke('integrations:create', { slug: 'local', kind: 'openai-compatible', settings: { baseUrl: 'http://127.0.0.1:9/v1' } })
    const config = { strategy: { mode: 'fallback' }, targets: [{ provider: 'openai', api_key: 'sk-config-key-abcd', override_params: { model: 'gpt-4o' } }, { provider: '@openai' }] }
    const saved = await app.control.invoke('configs:create', { slug: 'prod', config })
    // A second version, sent back masked as the window does: it keeps the same vault entry.
    const masked = { ...config, targets: [{ ...config.targets[0], api_key: '****abcd' }, config.targets[1]], retry: { attempts: 2 } }
    await app.control.invoke('configs:update', { id: saved.id, config: masked })
    const apiKey = (await app.control.invoke('keys:create', { name: 'laptop' })).key
    return { dataDir, keyFile, start, apiKey }
  } finally {
    await app.stop()
  }
}

test('a lost key: refused with what a reset deletes; the chosen reset keeps everything else and the gateway works again', async () => {
  const { keyFile, start, apiKey } = await populated()
  rmSync(keyFile) // the key store lost the data key

  const refused = await start().then(
    () => assert.fail('started without its key'),
    (e: unknown) => e,
  )
  assert.ok(isVaultError(refused, 'wrong_key'), String(refused))
  assert.deepEqual(refused.resetImpact, { secrets: 2, integrations: ['openai'], configs: ['prod'] })
  // Refusing changed nothing: the same start refuses again with the same impact.
  await assert.rejects(start(), (e: unknown) => isVaultError(e, 'wrong_key') && e.resetImpact?.secrets === 2)

  const app = await start({ resetVault: true })
  try {
    const status = await app.control.invoke('system:status', {})
    assert.ok(
      status.warnings.some((w) => /A new vault was started and the 2 stored secrets that could not be decrypted were deleted; the API keys of integration 'openai' and config 'prod' must be entered again/.test(w)),
      status.warnings.join('\n'),
    )
    const integrations = await app.control.invoke('integrations:list', {})
    const openai = integrations.find((i) => i.slug === 'openai')
    assert.equal(openai?.hasCredential, false)
    assert.equal(openai?.credentialHint, null)
    assert.equal(openai?.settings.baseUrl, upstream.url, 'settings stay')
    assert.ok(integrations.some((i) => i.slug === 'local'))
    const prod = await app.control.invoke('configs:get', { id: 'prod' })
    assert.equal(prod.version, 2, 'no new version: the old ones were rewritten too')
    assert.deepEqual(prod.config.targets, [{ provider: 'openai', override_params: { model: 'gpt-4o' } }, { provider: '@openai' }])
    assert.deepEqual(prod.config.retry, { attempts: 2 })
    assert.equal(JSON.stringify(app.store.configs.version(prod.id, 1)).includes('vault:'), false, 'no version points at a deleted secret')

    // The API key made before the reset still authenticates; the integration has no provider key yet.
    const client = new OpenAI({ baseURL: `${app.url}/v1`, apiKey, maxRetries: 0 })
    const before = await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(before instanceof OpenAI.APIError, 'no provider key: an error in the caller\'s format')
    assert.match(before.message, /provider @openai has no API key stored; add one to integration 'openai'/)

    // Entered again, the key goes into the new vault and the call goes through.
    await app.control.invoke('integrations:update', { id: openai?.id ?? '', apiKey: UPSTREAM_KEY })
    const res = await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'again' }] })
    assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o: again')
  } finally {
    await app.stop()
  }

  // The new vault opens on the next start, with no reset and no notice.
  const again = await start()
  try {
    const status = await again.control.invoke('system:status', {})
    assert.equal(status.warnings.some((w) => /new vault/.test(w)), false)
    assert.equal((await again.control.invoke('integrations:list', {})).find((i) => i.slug === 'openai')?.hasCredential, true)
  } finally {
    await again.stop()
  }
})

test('resetVault on a vault that opens deletes nothing', async () => {
  const { start } = await populated()
  const app = await start({ resetVault: true })
  try {
    const status = await app.control.invoke('system:status', {})
    assert.equal(status.warnings.some((w) => /new vault/.test(w)), false)
    assert.equal((await app.control.invoke('integrations:list', {})).find((i) => i.slug === 'openai')?.hasCredential, true)
    const prod = await app.control.invoke('configs:get', { id: 'prod' })
    assert.match(JSON.stringify(prod.config), /\*\*\*\*abcd/, 'the config key is still there (masked)')
  } finally {
    await app.stop()
  }
})

test('a changed key store is not a lost key: no reset is offered, and resetVault does not reset it', async () => {
  const { start } = await populated()
  // The vault was made with a key file; a start with another backend must be undone, not reset.
  const other: KeyStore = { backend: 'keychain', load: async () => null, save: async () => {}, remove: async () => false }
  const refused = await start({ keyStore: other }).then(
    () => assert.fail('started with another backend'),
    (e: unknown) => e,
  )
  assert.ok(isVaultError(refused, 'keyring_changed'))
  assert.equal(refused.resetImpact, undefined)
  await assert.rejects(start({ keyStore: other, resetVault: true }), { code: 'keyring_changed' })
  const app = await start()
  try {
    assert.equal((await app.control.invoke('integrations:list', {})).find((i) => i.slug === 'openai')?.hasCredential, true)
  } finally {
    await app.stop()
  }
})

test('a config that refers to a vault entry that is gone is left out, and the rest of the gateway starts', async () => {
  const { start } = await populated()
  const app = await start()
  // Only a hand-edited database gets here: the reference no longer matches any secret.
  app.store.db.prepare("UPDATE config_versions SET body = replace(body, 'vault:cfgkey_', 'vault:cfgkey_gone')").run()
  await app.stop()
  const again = await start()
  try {
    const client = new OpenAI({ baseURL: `${again.url}/v1`, apiKey: (await again.control.invoke('keys:create', { name: 'k' })).key, maxRetries: 0 })
    const res = await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'still' }] })
    assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o: still')
    const named = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-portkey-config': 'prod' } }).catch((e: unknown) => e)
    assert.ok(named instanceof OpenAI.BadRequestError)
    assert.match(named.message, /no saved config 'prod'/)
  } finally {
    await again.stop()
  }
})
