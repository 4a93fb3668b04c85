/**
 * openVault: first open, reopen, the key check, and every "never silently" rule (backend change,
 * missing key, replaced key). Key-file cases always run; keychain cases use a real Secret Service.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { migrate } from '../../main/store/migrate.ts'
import { openDb } from '../../main/store/openDb.ts'
import type { Db } from '../../main/store/openDb.ts'
import { keychainStore } from '../../main/vault/keychain.ts'
import { keyFileStore } from '../../main/vault/keyFileStore.ts'
import { dataKeyAccount, openVault } from '../../main/vault/openVault.ts'
import { Secret } from '../../main/vault/Secret.ts'
import { disposableKeychain, keychainTest } from './secretService.ts'

const dir = mkdtempSync(join(tmpdir(), 'switchyard-vault-'))
const dbs: Db[] = []
after(() => {
  for (const db of dbs) if (db.open) db.close()
  rmSync(dir, { recursive: true, force: true })
})
let n = 0
const freshPaths = (): { dbFile: string; keyFile: string } => {
  n += 1
  return { dbFile: join(dir, `v${n}.db`), keyFile: join(dir, `v${n}.key`) }
}
const connect = (file: string): Db => {
  const db = openDb(file)
  migrate(db)
  dbs.push(db)
  return db
}
const meta = (db: Db, key: string): string | undefined =>
  db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value

describe('openVault with a key file', () => {
  test('first open creates the key, vault id, backend and key check; reopen reads the same secrets', async () => {
    const { dbFile, keyFile } = freshPaths()
    const db = connect(dbFile)
    const vault = await openVault({ db, keyStore: keyFileStore(keyFile) })
    assert.equal(vault.backend, 'keyfile')
    assert.equal(meta(db, 'vault_id'), vault.vaultId)
    assert.equal(meta(db, 'vault_backend'), 'keyfile')
    assert.ok(meta(db, 'key_check'))
    assert.equal((await keyFileStore(keyFile).load(dataKeyAccount(vault.vaultId)))?.length, 32)
    if (process.platform !== 'win32') assert.equal(statSync(keyFile).mode & 0o777, 0o600)
    assert.equal(vault.warnings.length, 1)
    assert.match(vault.warnings[0] ?? '', /anyone who\s+can read that file/)

    vault.put('openai', 'sk-openai-123456789')
    vault.put('anthropic', 'sk-ant-987654321')
    const again = await openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) })
    assert.equal(again.vaultId, vault.vaultId)
    assert.equal(again.get('openai').reveal(), 'sk-openai-123456789')
    assert.equal(again.get('anthropic').hint(), '4321')
  })

  test('put / get / has / delete', async () => {
    const { dbFile, keyFile } = freshPaths()
    let clock = 1_000
    const db = connect(dbFile)
    const vault = await openVault({ db, keyStore: keyFileStore(keyFile), now: () => clock })
    assert.equal(vault.has('groq'), false)
    assert.throws(() => vault.get('groq'), { name: 'VaultError', code: 'not_found' })
    vault.put('groq', 'gsk-first-value')
    assert.equal(vault.has('groq'), true)
    const got = vault.get('groq')
    assert.ok(got instanceof Secret)
    assert.equal(got.reveal(), 'gsk-first-value')
    clock = 2_000
    vault.put('groq', 'gsk-second-value')
    assert.equal(vault.get('groq').reveal(), 'gsk-second-value')
    const row = db.prepare<[], { created_at: number; updated_at: number }>("SELECT created_at, updated_at FROM secrets WHERE id = 'groq'").get()
    assert.deepEqual({ ...row }, { created_at: 1_000, updated_at: 2_000 })
    vault.delete('groq')
    vault.delete('groq')
    assert.equal(vault.has('groq'), false)
    assert.throws(() => vault.put('', 'x'), TypeError)
  })

  test('a row moved to another id fails as tampered', async () => {
    const { dbFile, keyFile } = freshPaths()
    const db = connect(dbFile)
    const vault = await openVault({ db, keyStore: keyFileStore(keyFile) })
    vault.put('cheap', 'sk-cheap-provider')
    vault.put('expensive', 'sk-expensive-provider')
    db.prepare("UPDATE secrets SET envelope = (SELECT envelope FROM secrets WHERE id = 'cheap') WHERE id = 'expensive'").run()
    assert.throws(() => vault.get('expensive'), { code: 'tampered' })
    assert.equal(vault.get('cheap').reveal(), 'sk-cheap-provider')
  })

  test('a missing key is wrong_key with a message that says what happened and what to do', async () => {
    const { dbFile, keyFile } = freshPaths()
    const vault = await openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) })
    vault.put('openai', 'sk-openai-123456789')
    await keyFileStore(keyFile).remove(dataKeyAccount(vault.vaultId))
    await assert.rejects(openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) }), {
      name: 'VaultError',
      code: 'wrong_key',
      message: new RegExp(`missing from .*${dataKeyAccount(vault.vaultId)}.*the 1 secret stored .*cannot be decrypted.*enter your provider API keys again`, 's'),
    })
  })

  test('a missing key with no secret stored under it: a new key, said once, and the vault works', async () => {
    const { dbFile, keyFile } = freshPaths()
    const first = await openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) })
    const lost = dataKeyAccount(first.vaultId)
    await keyFileStore(keyFile).remove(lost)
    const db = connect(dbFile)
    const vault = await openVault({ db, keyStore: keyFileStore(keyFile) })
    assert.notEqual(vault.vaultId, first.vaultId, 'a new vault id names the new key')
    assert.equal(meta(db, 'vault_id'), vault.vaultId)
    const notice = vault.warnings.find((w) => w.includes('was missing from'))
    assert.ok(notice?.includes(lost) && notice.includes(dataKeyAccount(vault.vaultId)) && /nothing was lost/.test(notice), notice)
    vault.put('openai', 'sk-openai-after-rekey')
    const again = await openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) })
    assert.equal(again.vaultId, vault.vaultId)
    assert.equal(again.get('openai').reveal(), 'sk-openai-after-rekey')
    assert.ok(!again.warnings.some((w) => w.includes('was missing from')), 'said once, on the start that made the key')
  })

  test('a replaced key fails the key check: wrong_key, and the secrets are left alone', async () => {
    const { dbFile, keyFile } = freshPaths()
    const vault = await openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) })
    vault.put('openai', 'sk-openai-123456789')
    const account = dataKeyAccount(vault.vaultId)
    const original = await keyFileStore(keyFile).load(account)
    await keyFileStore(keyFile).save(account, randomBytes(32))
    await assert.rejects(openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) }), { code: 'wrong_key', message: /does not belong to this vault/ })
    await keyFileStore(keyFile).save(account, randomBytes(16))
    await assert.rejects(openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) }), { code: 'wrong_key' })
    assert.ok(original)
    await keyFileStore(keyFile).save(account, original)
    const back = await openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) })
    assert.equal(back.get('openai').reveal(), 'sk-openai-123456789')
  })

  test('switching to the keychain is keyring_changed, decided before the keychain is touched', async () => {
    const { dbFile, keyFile } = freshPaths()
    await openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) })
    // Works whether or not a Secret Service exists: the backend check comes first.
    const keychain = keychainStore('Switchyard-test-never-used')
    await assert.rejects(openVault({ db: connect(dbFile), keyStore: keychain }), {
      name: 'VaultError',
      code: 'keyring_changed',
      message: /kept in a key file.*now using the OS keychain.*--insecure-key-file/s,
    })
  })

  test('secrets without vault metadata are never re-keyed', async () => {
    const { dbFile, keyFile } = freshPaths()
    const db = connect(dbFile)
    const vault = await openVault({ db, keyStore: keyFileStore(keyFile) })
    vault.put('openai', 'sk-openai-123456789')
    db.prepare("DELETE FROM meta WHERE key IN ('vault_id', 'vault_backend', 'key_check')").run()
    await assert.rejects(openVault({ db, keyStore: keyFileStore(keyFile) }), { code: 'wrong_key', message: /metadata is missing.*still holds 1 secret, encrypted/ })
    assert.equal(meta(db, 'vault_id'), undefined)
  })

  test('two first opens racing on one database agree on one vault and leave one key', async () => {
    const { dbFile, keyFile } = freshPaths()
    const [a, b] = await Promise.all([
      openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) }),
      openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) }),
    ])
    assert.equal(a.vaultId, b.vaultId)
    a.put('openai', 'sk-openai-123456789')
    assert.equal(b.get('openai').reveal(), 'sk-openai-123456789')
    const { readFileSync } = await import('node:fs')
    const file = JSON.parse(readFileSync(keyFile, 'utf8')) as { keys: Record<string, string> }
    assert.deepEqual(Object.keys(file.keys), [dataKeyAccount(a.vaultId)])
  })
})

describe('openVault with the OS keychain (real Secret Service)', () => {
  const keychain = disposableKeychain()

  keychainTest('first open creates the data key in the keychain; reopen reads the same secrets', async () => {
    const { dbFile } = freshPaths()
    const db = connect(dbFile)
    const vault = await openVault({ db, keyStore: keychain.store() })
    assert.equal(vault.backend, 'keychain')
    assert.deepEqual(vault.warnings, [])
    assert.equal(meta(db, 'vault_backend'), 'keychain')
    const stored = await keychainStore(keychain.service).load(dataKeyAccount(vault.vaultId))
    assert.equal(stored?.length, 32)
    vault.put('openai', 'sk-openai-keychain-1')

    const again = await openVault({ db: connect(dbFile), keyStore: keychain.store() })
    assert.equal(again.vaultId, vault.vaultId)
    assert.equal(again.get('openai').reveal(), 'sk-openai-keychain-1')
  })

  keychainTest('switching to a key file is keyring_changed; the keychain vault still opens', async () => {
    const { dbFile, keyFile } = freshPaths()
    const vault = await openVault({ db: connect(dbFile), keyStore: keychain.store() })
    vault.put('openai', 'sk-openai-keychain-2')
    await assert.rejects(openVault({ db: connect(dbFile), keyStore: keyFileStore(keyFile) }), {
      name: 'VaultError',
      code: 'keyring_changed',
      message: /kept in the OS keychain.*now using a key file/s,
    })
    assert.throws(() => statSync(keyFile), { code: 'ENOENT' }, 'no key file was created as a fallback')
    const back = await openVault({ db: connect(dbFile), keyStore: keychain.store() })
    assert.equal(back.get('openai').reveal(), 'sk-openai-keychain-2')
  })

  keychainTest('a deleted keychain entry is wrong_key naming the entry and what to do', async () => {
    const { dbFile } = freshPaths()
    const vault = await openVault({ db: connect(dbFile), keyStore: keychain.store() })
    vault.put('openai', 'sk-openai-keychain-3')
    const account = dataKeyAccount(vault.vaultId)
    assert.equal(await keychainStore(keychain.service).remove(account), true)
    await assert.rejects(openVault({ db: connect(dbFile), keyStore: keychain.store() }), {
      name: 'VaultError',
      code: 'wrong_key',
      message: new RegExp(`missing from the OS keychain \\(service '${keychain.service}'\\) \\(entry '${account}'\\).*cannot be decrypted`, 's'),
    })
  })

  keychainTest('a deleted keychain entry with no secret under it: a new key in the keychain', async () => {
    const { dbFile } = freshPaths()
    const first = await openVault({ db: connect(dbFile), keyStore: keychain.store() })
    assert.equal(await keychainStore(keychain.service).remove(dataKeyAccount(first.vaultId)), true)
    const vault = await openVault({ db: connect(dbFile), keyStore: keychain.store() })
    assert.notEqual(vault.vaultId, first.vaultId)
    assert.ok(vault.warnings.some((w) => w.includes('was missing from the OS keychain')))
    assert.ok(await keychainStore(keychain.service).load(dataKeyAccount(vault.vaultId)), 'the new key is in the keychain')
    vault.put('openai', 'sk-openai-keychain-4')
    assert.equal((await openVault({ db: connect(dbFile), keyStore: keychain.store() })).get('openai').reveal(), 'sk-openai-keychain-4')
  })

  keychainTest('a keychain entry replaced outside Switchyard is wrong_key', async () => {
    const { dbFile } = freshPaths()
    const vault = await openVault({ db: connect(dbFile), keyStore: keychain.store() })
    await keychain.store().save(dataKeyAccount(vault.vaultId), randomBytes(32))
    await assert.rejects(openVault({ db: connect(dbFile), keyStore: keychain.store() }), { code: 'wrong_key', message: /does not belong to this vault/ })
  })
})
