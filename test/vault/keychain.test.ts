/**
 * keychainStore against real environments: lazy loading, keytar's real failures (no D-Bus, no
 * Secret Service) translated to keychain_unavailable, and a timed round trip on a real service.
 * Failure cases run in child processes: libsecret keeps its D-Bus connection for the process's life.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import type * as Keytar from 'keytar'
import { disposableKeychain, keychainTest, projectRoot } from './secretService.ts'

const dir = mkdtempSync(join(tmpdir(), 'switchyard-keychain-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const linux = process.platform === 'linux'
const hasDbusRunSession = linux && spawnSync('dbus-run-session', ['--version']).status === 0

type ChildResult = { code?: string; message?: string; [k: string]: unknown }

/** Runs `body` (ESM, top-level await) in a fresh Node with `keychainStore` imported; returns its JSON. */
function inChild(body: string, opts: { env?: NodeJS.ProcessEnv; wrap?: string[] } = {}): ChildResult {
  const script = `
import { createRequire } from 'node:module'
import { keychainStore } from ${JSON.stringify(join(projectRoot, 'main/vault/keychain.ts'))}
import { openVault } from ${JSON.stringify(join(projectRoot, 'main/vault/openVault.ts'))}
const out = {}
try { ${body} } catch (err) { out.code = err.code; out.message = err.message }
console.log(JSON.stringify(out))
`
  const node = [process.execPath, '--input-type=module', '-e', script]
  const [cmd, ...args] = [...(opts.wrap ?? []), ...node]
  const r = spawnSync(cmd ?? process.execPath, args, { cwd: projectRoot, encoding: 'utf8', timeout: 30_000, env: opts.env ?? process.env })
  const line = r.stdout.trim().split('\n').at(-1) ?? ''
  assert.ok(line.startsWith('{'), `child failed (status ${r.status}): ${r.stderr}`)
  return JSON.parse(line) as ChildResult
}

describe('keychainStore', () => {
  test('importing the vault loads neither keytar nor libsecret until a keychain is used', () => {
    const out = inChild(`
      const { readFileSync } = await import('node:fs')
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('keytar'))
      const libsecretMapped = () => ${JSON.stringify(linux)} && readFileSync('/proc/self/maps', 'utf8').includes('libsecret')
      const store = keychainStore('Switchyard-test-lazy')
      out.afterImport = loaded()
      out.libsecretAfterImport = libsecretMapped()
      await store.load('nothing').catch(() => null)
      out.afterUse = loaded()
      out.libsecretAfterUse = libsecretMapped()
      out.afterUse = loaded()
    `)
    assert.equal(out.afterImport, false)
    assert.equal(out.libsecretAfterImport, false)
    assert.equal(out.afterUse, true)
    if (linux) assert.equal(out.libsecretAfterUse, true)
  })

  test('without D-Bus: keychain_unavailable that points at a Secret Service or --insecure-key-file', { skip: !linux && 'Linux Secret Service only' }, () => {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: mkdtempSync(join(dir, 'run-')) }
    delete env.DBUS_SESSION_BUS_ADDRESS
    delete env.DISPLAY
    delete env.WAYLAND_DISPLAY
    const out = inChild(`await keychainStore('Switchyard-test-nobus').load('data-key:x')`, { env })
    assert.equal(out.code, 'keychain_unavailable')
    assert.match(out.message ?? '', /No D-Bus session bus/)
    assert.match(out.message ?? '', /Cannot autolaunch D-Bus without X11 \$DISPLAY/)
    assert.match(out.message ?? '', /gnome-keyring or KWallet.*--insecure-key-file/)
  })

  test('D-Bus without a Secret Service: keychain_unavailable, and openVault creates nothing', { skip: !hasDbusRunSession && 'needs dbus-run-session' }, () => {
    // A session bus with no service directories: nothing can be activated as org.freedesktop.secrets.
    const config = join(dir, 'no-services.conf')
    writeFileSync(config, `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=${dir}</listen>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`)
    const dbFile = join(dir, 'no-service.db')
    const out = inChild(
      `
      const { openDb } = await import(${JSON.stringify(join(projectRoot, 'main/store/openDb.ts'))})
      const { migrate } = await import(${JSON.stringify(join(projectRoot, 'main/store/migrate.ts'))})
      const db = openDb(${JSON.stringify(dbFile)})
      migrate(db)
      try { await openVault({ db, keyStore: keychainStore('Switchyard-test-noservice') }) }
      finally { out.metaRows = db.prepare('SELECT count(*) AS n FROM meta').get().n; db.close() }
    `,
      { wrap: ['dbus-run-session', `--config-file=${config}`, '--'] },
    )
    assert.equal(out.code, 'keychain_unavailable')
    assert.match(out.message ?? '', /No Secret Service \(org\.freedesktop\.secrets\)/)
    assert.match(out.message ?? '', /org\.freedesktop\.secrets was not provided/)
    assert.match(out.message ?? '', /--insecure-key-file/)
    assert.equal(out.metaRows, 0, 'no vault metadata is written when the key could not be stored')
  })
})

describe('keychainStore on a real Secret Service', () => {
  const keychain = disposableKeychain()

  keychainTest('save / load / remove round trip, timed', async (t) => {
    const store = keychain.store()
    const times: number[] = []
    for (let i = 0; i < 7; i++) {
      const key = randomBytes(32)
      const account = `data-key:timing-${i}`
      const start = performance.now()
      await store.save(account, key)
      const back = await store.load(account)
      const removed = await store.remove(account)
      times.push(performance.now() - start)
      assert.deepEqual(back, key)
      assert.equal(removed, true)
      assert.equal(await store.load(account), null)
    }
    const sorted = [...times].sort((a, b) => a - b)
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0
    t.diagnostic(`keychain save+load+remove round trip: median ${median.toFixed(1)} ms, first ${times[0]?.toFixed(1)} ms, min ${sorted[0]?.toFixed(1)} ms (n=${times.length})`)
  })

  keychainTest('a mangled keychain entry is wrong_key, not a different key', async () => {
    const keytar = createRequire(import.meta.url)('keytar') as typeof Keytar
    await keychain.store().save('data-key:mangled', randomBytes(32))
    await keytar.setPassword(keychain.service, 'data-key:mangled', 'not base64!')
    await assert.rejects(keychain.store().load('data-key:mangled'), { code: 'wrong_key' })
  })
})
