/**
 * The desktop app's vault key (Electron safeStorage, sealed in a file) and the headless server's
 * (keytar) on one data directory: a vault made by either opens in the other, basic_text is refused,
 * and a sealed file from another user falls back to the keychain. The sealer is a stand-in with a
 * per-"OS user" AES key; the keychain an in-memory KeyStore (keytar itself is tested in keychain tests).
 */
import assert from 'node:assert/strict'
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { openDb } from '../../main/store/openDb.ts'
import { migrate } from '../../main/store/migrate.ts'
import type { KeyStore } from '../../main/vault/KeyStore.ts'
import { migratingKeyStore } from '../../main/vault/migratingKeyStore.ts'
import { openVault } from '../../main/vault/openVault.ts'
import { sealedFileStore, type Sealer } from '../../main/vault/sealedFileStore.ts'
import { VaultError } from '../../main/vault/VaultError.ts'

function fakeSealer(backend: string | undefined = 'gnome_libsecret', osKey = randomBytes(32)): Sealer {
  return {
    isAvailable: () => true,
    backend: () => backend,
    seal(text) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', osKey, iv)
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()])
      return Buffer.concat([iv, c.getAuthTag(), body])
    },
    unseal(b) {
      const d = createDecipheriv('aes-256-gcm', osKey, b.subarray(0, 12))
      d.setAuthTag(b.subarray(12, 28))
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8')
    },
  }
}

function memoryKeychain(opts: { broken?: boolean } = {}): KeyStore & { entries: Map<string, Buffer> } {
  const entries = new Map<string, Buffer>()
  const check = () => {
    if (opts.broken) throw new VaultError('keychain_unavailable', 'no Secret Service')
  }
  return {
    backend: 'keychain',
    entries,
    load: async (a) => (check(), entries.get(a) ?? null),
    save: async (a, k) => void (check(), entries.set(a, Buffer.from(k))),
    remove: async (a) => (check(), entries.delete(a)),
  }
}

function dataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-desktop-vault-'))
  const db = openDb(join(dir, 'switchyard.db'))
  migrate(db)
  return { dir, db, sealedPath: join(dir, 'vault.key.sealed'), done: () => (db.close(), rmSync(dir, { recursive: true, force: true })) }
}

test('a vault made by `serve` (keytar) opens in the app, which copies the key into safeStorage', async () => {
  const d = dataDir()
  try {
    const keychain = memoryKeychain()
    const headless = await openVault({ db: d.db, keyStore: keychain })
    headless.put('openai', 'sk-made-headless')
    const app = await openVault({ db: d.db, keyStore: migratingKeyStore(sealedFileStore(d.sealedPath, fakeSealer()), keychain) })
    assert.equal(app.get('openai').reveal(), 'sk-made-headless')
    assert.ok(existsSync(d.sealedPath), 'the key is now sealed for the app')
    assert.equal(statSync(d.sealedPath).mode & 0o777, 0o600)
    assert.doesNotMatch(readFileSync(d.sealedPath, 'utf8'), new RegExp(keychain.entries.values().next().value?.toString('base64') ?? 'x'), 'sealed, not in clear')
  } finally {
    d.done()
  }
})

test('a vault made by the app opens in `serve` (the key is kept in the keychain too), and after a lost keychain entry the app puts it back', async () => {
  const d = dataDir()
  try {
    const keychain = memoryKeychain()
    const sealer = fakeSealer()
    const app = await openVault({ db: d.db, keyStore: migratingKeyStore(sealedFileStore(d.sealedPath, sealer), keychain) })
    app.put('anthropic', 'sk-ant-made-in-app')
    const headless = await openVault({ db: d.db, keyStore: keychain })
    assert.equal(headless.get('anthropic').reveal(), 'sk-ant-made-in-app')
    keychain.entries.clear()
    await openVault({ db: d.db, keyStore: migratingKeyStore(sealedFileStore(d.sealedPath, sealer), keychain) })
    assert.equal(keychain.entries.size, 1, 'copied back for serve')
    assert.equal((await openVault({ db: d.db, keyStore: keychain })).get('anthropic').reveal(), 'sk-ant-made-in-app')
  } finally {
    d.done()
  }
})

test('the app works without keytar (best effort only), and says so', async () => {
  const d = dataDir()
  try {
    const notes: string[] = []
    const app = await openVault({ db: d.db, keyStore: migratingKeyStore(sealedFileStore(d.sealedPath, fakeSealer()), memoryKeychain({ broken: true }), (n) => notes.push(n)) })
    app.put('x', 'sk-x')
    assert.equal(app.get('x').reveal(), 'sk-x')
    assert.match(notes.join('\n'), /no Secret Service/)
  } finally {
    d.done()
  }
})

test("Linux's basic_text backend is refused as no keychain at all", async () => {
  const d = dataDir()
  try {
    for (const backend of ['basic_text', 'unknown']) {
      await assert.rejects(openVault({ db: d.db, keyStore: migratingKeyStore(sealedFileStore(d.sealedPath, fakeSealer(backend)), memoryKeychain()) }), (e: unknown) => e instanceof VaultError && e.code === 'keychain_unavailable' && /fixed password/.test(e.message))
    }
  } finally {
    d.done()
  }
})

test("a sealed file from another OS user falls back to the keychain's copy", async () => {
  const d = dataDir()
  try {
    const keychain = memoryKeychain()
    const first = await openVault({ db: d.db, keyStore: migratingKeyStore(sealedFileStore(d.sealedPath, fakeSealer()), keychain) })
    first.put('k', 'sk-k')
    const otherUser = fakeSealer() // another OS key: cannot unseal the file
    const again = await openVault({ db: d.db, keyStore: migratingKeyStore(sealedFileStore(d.sealedPath, otherUser), keychain) })
    assert.equal(again.get('k').reveal(), 'sk-k')
    await assert.rejects(openVault({ db: d.db, keyStore: sealedFileStore(d.sealedPath, fakeSealer()) }), (e: unknown) => e instanceof VaultError && e.code === 'wrong_key')
  } finally {
    d.done()
  }
})
