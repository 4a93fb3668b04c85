/**
 * The headless product as a user runs it: `serve` (what it prints, where it binds, a taken port, a
 * missing keychain, graceful stop), and setup as code with `apply` and `serve --config`.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import { runCli, spawnServe } from '../support/spawnServe.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

const keyring = process.env.SWITCHYARD_TEST_KEYRING === '1'
// Under test/with-keyring.sh the CLI uses the real Secret Service; elsewhere it must be told to use a key file.
const vaultArgs = keyring ? [] : ['--insecure-key-file']
const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'switchyard-cli-'))
  dirs.push(d)
  return d
}
let upstream: Upstream

before(async () => {
  upstream = await startOpenAIUpstream({ apiKey: 'sk-from-env-0123456789' })
})
after(async () => {
  await upstream.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('serve', () => {
  test('prints the gateway URL, the admin URL with a token, and a first key; binds 127.0.0.1', async () => {
    const served = await spawnServe(['--port', '0', '--data-dir', tempDir(), ...vaultArgs])
    try {
      assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.match(served.adminUrl, /\/ui\/#token=[\w-]{20,}$/)
      assert.ok(served.firstKey)
      const health = await fetch(`${served.url}/health`)
      assert.equal(health.status, 200)
      const models = await fetch(`${served.url}/v1/models`, { headers: { authorization: `Bearer ${served.firstKey}` } })
      assert.equal(models.status, 200)
      if (keyring) assert.match(served.output(), /vault key in the OS keychain/)
    } finally {
      assert.equal(await served.stop(), 0)
    }
  })

  test('a taken port is a one-line error, not a stack trace', async () => {
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = String((blocker.address() as { port: number }).port)
    try {
      const r = await runCli(['serve', '--port', port, '--data-dir', tempDir(), ...vaultArgs])
      assert.equal(r.code, 1)
      assert.match(r.stderr, new RegExp(`port ${port} on 127.0.0.1 is already in use`))
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
    } finally {
      blocker.close()
    }
  })

  test('without a keychain and without the opt-in, it refuses to start and says what to do', async () => {
    const r = await runCli(['serve', '--port', '0', '--data-dir', tempDir()], {
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
      DISPLAY: '',
      SWITCHYARD_INSECURE_KEY_FILE: '',
    })
    assert.equal(r.code, 1)
    assert.match(r.stderr, /--insecure-key-file/)
  })

  test('the key file opt-in works, is flagged as a warning, and is remembered by that vault', async () => {
    const dataDir = tempDir()
    const served = await spawnServe(['--port', '0', '--data-dir', dataDir, '--insecure-key-file'])
    try {
      assert.match(served.output(), /WARNING: .*vault\.key/)
    } finally {
      await served.stop()
    }
    // A later start without the flag (and without any keychain) keeps the vault's recorded choice.
    const again = await spawnServe(['--port', '0', '--data-dir', dataDir], { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' })
    try {
      assert.match(again.output(), /WARNING: .*vault\.key/)
    } finally {
      await again.stop()
    }
  })

  test('a graceful stop flushes every usage row', async () => {
    const dataDir = tempDir()
    const served = await spawnServe(['--port', '0', '--data-dir', dataDir, ...vaultArgs], { UPSTREAM_KEY: 'sk-from-env-0123456789' })
    const admin = (name: string, input: unknown) =>
      fetch(`${served.url}/admin/api/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${served.adminUrl.split('#token=')[1]}` },
        body: JSON.stringify(input),
      }).then((r) => r.json() as Promise<{ ok: boolean; value: never }>)
    await admin('integrations:create', { slug: 'up', kind: 'openai', apiKey: 'sk-from-env-0123456789', settings: { baseUrl: upstream.url } })
    const client = new OpenAI({ baseURL: `${served.url}/v1`, apiKey: served.firstKey ?? '', maxRetries: 0 })
    await Promise.all(Array.from({ length: 50 }, () => client.chat.completions.create({ model: '@up/gpt-4o', messages: [{ role: 'user', content: 'x' }] })))
    assert.equal(await served.stop(), 0)
    const again = await spawnServe(['--port', '0', '--data-dir', dataDir, ...vaultArgs])
    try {
      const rows = await fetch(`${again.url}/admin/api/usage:summary`, {
        method: 'POST',
        headers: { authorization: `Bearer ${again.adminUrl.split('#token=')[1]}` },
        body: JSON.stringify({ groupBy: 'provider' }),
      }).then((r) => r.json() as Promise<{ value: Array<{ key: string; requests: number }> }>)
      assert.equal(rows.value.find((r) => r.key === 'up')?.requests, 50)
      assert.equal(again.firstKey, null, 'no new first key on a second start')
    } finally {
      await again.stop()
    }
  })
})

describe('setup as code', () => {
  const setup = (upstreamUrl: string) => `
version: 1
workspaces:
  - slug: claude-code
    name: Claude Code
integrations:
  - slug: openai
    kind: openai
    apiKey: \${TEST_OPENAI_KEY}
    settings:
      baseUrl: ${upstreamUrl}
    workspaces: [default, claude-code]
  - slug: local
    kind: ollama
    settings:
      baseUrl: http://127.0.0.1:11434/v1
providers:
  - slug: openai-dev
    integration: openai
apiKeys:
  - name: ci
    workspace: claude-code
    key: sy-ci-fixed-key-for-reproducible-setups
  - name: laptop
aliases:
  - workspace: claude-code
    pattern: claude-*
    target: '@openai-dev/gpt-4o'
`

  test('apply twice to a data dir: everything, then nothing, changes; secrets come from the environment', async () => {
    const dataDir = tempDir()
    const file = join(dataDir, 'switchyard.yaml')
    writeFileSync(file, setup(upstream.url))
    const env = { TEST_OPENAI_KEY: 'sk-from-env-0123456789' }
    const first = await runCli(['apply', file, '--data-dir', dataDir, ...vaultArgs], env)
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.stdout, /created: workspace:claude-code, integration:openai, integration:local, provider:@openai-dev, key:claude-code\/ci, key:default\/laptop, aliases:claude-code/)
    assert.match(first.stdout, /new API key default\/laptop \(shown once\): sy-/)
    const second = await runCli(['apply', file, '--data-dir', dataDir, ...vaultArgs], env)
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stdout, /created: nothing/)
    assert.match(second.stdout, /updated: nothing/)
    assert.doesNotMatch(second.stdout, /new API key/)

    // The fixed key works against the configured provider.
    const served = await spawnServe(['--port', '0', '--data-dir', dataDir, ...vaultArgs])
    try {
      const client = new OpenAI({ baseURL: `${served.url}/v1`, apiKey: 'sy-ci-fixed-key-for-reproducible-setups', maxRetries: 0 })
      const res = await client.chat.completions.create({ model: '@openai-dev/gpt-4o', messages: [{ role: 'user', content: 'as code' }] })
      assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o: as code')
      const aliased = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'alias' }] })
      assert.equal(aliased.choices[0]?.message.content, 'Hello from gpt-4o: alias', 'the alias from the file routes the call')

      // A changed secret in the environment, applied to the running server, is an update that takes effect live.
      const changed = await runCli(['apply', file, '--data-dir', dataDir], { TEST_OPENAI_KEY: 'sk-rotated-9876543210' })
      assert.equal(changed.code, 0, changed.stderr)
      assert.match(changed.stdout, /Applied to the running server/)
      assert.match(changed.stdout, /updated: integration:openai/)
      const err = await client.chat.completions.create({ model: '@openai-dev/gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
      assert.ok(err instanceof OpenAI.AuthenticationError, 'the rotated (wrong) key is used at once')
    } finally {
      await served.stop()
    }
  })

  test('a missing environment variable and a literal provider key are refused with the field named', async () => {
    const dataDir = tempDir()
    const file = join(dataDir, 'bad.yaml')
    writeFileSync(file, setup(upstream.url))
    const missing = await runCli(['apply', file, '--data-dir', dataDir, ...vaultArgs], { TEST_OPENAI_KEY: '' })
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /integrations\[0\]\.apiKey: environment variable TEST_OPENAI_KEY is not set/)
    writeFileSync(file, 'integrations:\n  - slug: x\n    kind: openai\n    apiKey: sk-literal-in-a-file\n')
    const literal = await runCli(['apply', file, '--data-dir', dataDir, ...vaultArgs])
    assert.equal(literal.code, 1)
    assert.match(literal.stderr, /integrations\[0\]\.apiKey: provider secrets must be environment references/)
  })

  test('serve --config applies the file at start', async () => {
    const dataDir = tempDir()
    const file = join(dataDir, 'switchyard.yaml')
    writeFileSync(file, setup(upstream.url))
    const served = await spawnServe(['--port', '0', '--data-dir', dataDir, '--config', file, ...vaultArgs], { TEST_OPENAI_KEY: 'sk-from-env-0123456789' })
    try {
      assert.match(served.output(), /created: workspace:claude-code/)
      assert.equal(served.firstKey, null, 'the file created keys, so no extra first key')
      const client = new OpenAI({ baseURL: `${served.url}/v1`, apiKey: 'sy-ci-fixed-key-for-reproducible-setups', maxRetries: 0 })
      const res = await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'cfg' }] })
      assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o: cfg')
    } finally {
      await served.stop()
    }
  })
})

describe('reset-vault', () => {
  test('a lost vault key: serve refuses, reset-vault says what it deletes and asks for --yes, then starts a new vault', async () => {
    const dataDir = tempDir()
    const file = join(dataDir, 'setup.yaml')
    writeFileSync(file, `integrations:\n  - slug: openai\n    kind: openai\n    apiKey: \${TEST_OPENAI_KEY}\n    settings:\n      baseUrl: ${upstream.url}\n`)
    const applied = await runCli(['apply', file, '--data-dir', dataDir, '--insecure-key-file'], { TEST_OPENAI_KEY: 'sk-from-env-0123456789' })
    assert.equal(applied.code, 0, applied.stderr)
    const healthy = await runCli(['reset-vault', '--data-dir', dataDir, '--yes'])
    assert.equal(healthy.code, 0, healthy.stderr)
    assert.match(healthy.stdout, /opens with its key: nothing to reset/)

    rmSync(join(dataDir, 'vault.key'))
    const serve = await runCli(['serve', '--port', '0', '--data-dir', dataDir])
    assert.equal(serve.code, 1)
    assert.match(serve.stderr, /data key for this vault is missing .*switchyard reset-vault/s)
    const unconfirmed = await runCli(['reset-vault', '--data-dir', dataDir])
    assert.equal(unconfirmed.code, 1)
    assert.match(unconfirmed.stderr, /deletes the 1 stored secret that cannot be decrypted; the API keys of integration 'openai' must then be entered again.* --yes/s)
    assert.doesNotMatch(unconfirmed.stderr, /\n\s+at /, 'no stack trace')

    const reset = await runCli(['reset-vault', '--data-dir', dataDir, '--yes'])
    assert.equal(reset.code, 0, reset.stderr)
    assert.match(reset.stdout, /A new vault was started and the 1 stored secret that could not be decrypted was deleted; the API keys of integration 'openai' must be entered again/)
    // The key entered again (apply from the environment) works through the new vault.
    const again = await runCli(['apply', file, '--data-dir', dataDir], { TEST_OPENAI_KEY: 'sk-from-env-0123456789' })
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /updated: integration:openai/)
    const served = await spawnServe(['--port', '0', '--data-dir', dataDir])
    try {
      assert.doesNotMatch(served.output(), /new vault/)
      const client = new OpenAI({ baseURL: `${served.url}/v1`, apiKey: served.firstKey ?? '', maxRetries: 0 })
      const res = await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'after reset' }] })
      assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o: after reset')
    } finally {
      assert.equal(await served.stop(), 0)
    }
  })
})
