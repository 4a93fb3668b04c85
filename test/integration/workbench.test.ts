/**
 * The window's workbench commands over the admin HTTP API: a config's dry run (order, overrides,
 * conditions), the guardrail test box (redaction and blocking, no secret echoed), app settings
 * (persisted, retention prunes usage), and a coding tool's config file written with a backup and
 * restored, in a throwaway HOME.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'

let gw: TestGateway
let home: string

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'switchyard-home-'))
  gw = await startTestGateway({ env: { HOME: home } })
  await gw.admin('integrations:create', { slug: 'a', kind: 'openai', apiKey: 'sk-test-a-0123456789' })
  await gw.admin('integrations:create', { slug: 'b', kind: 'openai', apiKey: 'sk-test-b-0123456789' })
})

after(async () => {
  await gw?.stop()
  rmSync(home, { recursive: true, force: true })
})

test('dry run: a fallback tries its targets in order with their models; a condition picks by metadata', async () => {
  const config = {
    strategy: { mode: 'fallback', on_status_codes: [429] },
    targets: [
      { provider: '@a', override_params: { model: 'gpt-4o' }, retry: { attempts: 2 } },
      { provider: '@b', api_key: 'sk-inline-secret-000' },
    ],
  }
  await gw.admin('configs:create', { slug: 'fb', config })
  const r = await gw.admin('routing:dryRun', { config: 'fb', model: 'gpt-4o-mini' })
  assert.deepEqual(
    r.attempts.map((a) => [a.jsonPath, a.provider, a.model, a.retries, a.fallbackOn, a.hasApiKey]),
    [
      ['config.targets[0]', '@a', 'gpt-4o', 2, [429], false],
      ['config.targets[1]', '@b', 'gpt-4o-mini', 0, [], true],
    ],
  )
  assert.equal(r.random, false)
  assert.equal(JSON.stringify(r).includes('sk-inline-secret'), false)

  const cond = {
    strategy: { mode: 'conditional', conditions: [{ query: { 'metadata.tier': { $eq: 'pro' } }, then: 'pro' }], default: 'free' },
    targets: [{ name: 'pro', provider: '@a' }, { name: 'free', provider: '@b' }],
  }
  const pro = await gw.admin('routing:dryRun', { config: cond, model: 'm', metadata: { tier: 'pro' } })
  const free = await gw.admin('routing:dryRun', { config: cond, model: 'm' })
  assert.equal(pro.attempts[0]?.provider, '@a')
  assert.equal(free.attempts[0]?.provider, '@b')

  const bad = (await (await gw.adminRaw('routing:dryRun', { config: { strategy: { mode: 'nope' }, targets: [] } })).json()) as { ok: boolean; error: { path: string } }
  assert.equal(bad.ok, false)
  assert.match(bad.error.path, /^config/)
})

test('guardrail test box: redacts with placeholders, blocks with the reason, never echoes the secret', async () => {
  const secret = `sk-proj-${'Q7wE9rT2yU4iO6pA8sD1fG3hJ5kL'.repeat(2)}`
  const redact = await gw.admin('guardrails:test', { text: `key ${secret} mail bob@example.com`, guardrails: { input: [{ type: 'secrets', action: 'redact' }, { type: 'pii', action: 'redact' }] } })
  assert.equal(redact.blocked, null)
  assert.match(redact.text, /\[REDACTED_[A-Z_]+_1\]/)
  assert.equal(redact.text.includes(secret), false)
  assert.equal(redact.text.includes('bob@example.com'), false)
  assert.deepEqual(redact.results.map((x) => x.check).sort(), ['pii', 'secrets'])

  const ws = await gw.admin('workspaces:create', { slug: 'guarded' })
  await gw.admin('guardrails:set', { workspaceId: ws.id, guardrails: { input: [{ type: 'contains', words: ['forbidden'], operator: 'none', action: 'block' }] } })
  const block = await gw.admin('guardrails:test', { workspaceId: 'guarded', text: 'this is forbidden text' })
  assert.ok(block.blocked)
  assert.match(block.blocked.message, /blocked the request/)
  const clean = await gw.admin('guardrails:test', { workspaceId: 'guarded', text: 'all fine' })
  assert.equal(clean.blocked, null)
  assert.deepEqual(clean.results, [])
})

test('settings persist and retention prunes old usage rows', async () => {
  const s0 = await gw.admin('settings:get', {})
  assert.equal(s0.bodyCapture, false)
  assert.equal(s0.launchAtLogin, false)
  assert.equal(s0.dataDir, gw.dataDir)
  gw.running.store.db.prepare("INSERT INTO usage (created_at, endpoint, status, stream, latency_ms, trace_id) VALUES (?, 'chat', 200, 0, 5, 'old')").run(Date.now() - 40 * 86_400_000)
  gw.running.store.db.prepare("INSERT INTO usage (created_at, endpoint, status, stream, latency_ms, trace_id) VALUES (?, 'chat', 200, 0, 5, 'new')").run(Date.now())
  const s1 = await gw.admin('settings:set', { launchAtLogin: true, logRetentionDays: 30, notifyThresholds: [100, 50, 50], host: '0.0.0.0', port: 9999 })
  assert.deepEqual([s1.launchAtLogin, s1.logRetentionDays, s1.notifyThresholds, s1.host, s1.port], [true, 30, [50, 100], '0.0.0.0', 9999])
  const left = gw.running.store.db.prepare('SELECT trace_id FROM usage').all() as Array<{ trace_id: string }>
  assert.deepEqual(left.map((r) => r.trace_id), ['new'])
  assert.deepEqual((await gw.admin('settings:get', {})).notifyThresholds, [50, 100])
  const bad = (await (await gw.adminRaw('settings:set', { port: 70000 })).json()) as { ok: boolean; error: { path: string } }
  assert.equal(bad.ok, false)
  assert.equal(bad.error.path, 'port')
})

test('tool config: preview masks the key, apply merges and backs up, restore puts the original back', async () => {
  const file = join(home, '.claude', 'settings.json')
  mkdirSync(join(home, '.claude'))
  const original = `${JSON.stringify({ theme: 'dark', env: { OTHER: '1' } }, null, 2)}\n`
  writeFileSync(file, original)
  const key = 'sy-test-key-abcdefghijklmnop'
  const preview = await gw.admin('tools:preview', { tool: 'claude-code', apiKey: key })
  assert.equal(preview.before, original)
  assert.equal(preview.after.includes(key), false)
  assert.match(preview.after, /ANTHROPIC_BASE_URL/)
  assert.match(preview.after, /••••mnop/)

  const applied = await gw.admin('tools:apply', { tool: 'claude-code', apiKey: key, model: 'claude-sonnet-4-5' })
  assert.equal(applied.path, file)
  const written = JSON.parse(readFileSync(file, 'utf8')) as { theme: string; env: Record<string, string> }
  assert.equal(written.theme, 'dark')
  assert.deepEqual(written.env, { OTHER: '1', ANTHROPIC_BASE_URL: gw.url, ANTHROPIC_AUTH_TOKEN: key, ANTHROPIC_MODEL: 'claude-sonnet-4-5' })
  assert.equal(statSync(file).mode & 0o777, 0o600)
  await gw.admin('tools:apply', { tool: 'claude-code', apiKey: `${key}-2` }) // the first original is kept
  const listed = await gw.admin('tools:list', {})
  assert.equal(listed.find((t) => t.id === 'claude-code')?.hasBackup, true)
  await gw.admin('tools:restore', { tool: 'claude-code' })
  assert.equal(readFileSync(file, 'utf8'), original)

  // No file before: restore removes the one apply created.
  await gw.admin('tools:apply', { tool: 'codex', model: 'gpt-5' })
  const toml = readFileSync(join(home, '.codex', 'config.toml'), 'utf8')
  assert.match(toml, /model_provider = "switchyard"/)
  assert.match(toml, new RegExp(`base_url = "${gw.url}/v1"`))
  await gw.admin('tools:restore', { tool: 'codex' })
  assert.equal(existsSync(join(home, '.codex', 'config.toml')), false)
  const none = (await (await gw.adminRaw('tools:restore', { tool: 'codex' })).json()) as { ok: boolean; error: { code: string } }
  assert.equal(none.error.code, 'not_found')
})
