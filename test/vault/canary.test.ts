/**
 * Canary: a secret put into the vault never reaches the database files in plaintext (main file,
 * WAL, shared memory, journal), and neither does the data key, whatever the key store.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import type { TestContext } from 'node:test'
import { migrate } from '../../main/store/migrate.ts'
import { openDb } from '../../main/store/openDb.ts'
import type { KeyStore } from '../../main/vault/KeyStore.ts'
import { keyFileStore } from '../../main/vault/keyFileStore.ts'
import { dataKeyAccount, openVault } from '../../main/vault/openVault.ts'
import { disposableKeychain, keychainTest } from './secretService.ts'

const root = mkdtempSync(join(tmpdir(), 'switchyard-canary-'))
after(() => rmSync(root, { recursive: true, force: true }))

/** Every file SQLite wrote next to the database, read as bytes. */
function dbFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  for (const name of readdirSync(dir)) if (name.startsWith('switchyard.db')) files.set(name, readFileSync(join(dir, name)))
  return files
}

function assertAbsent(files: Map<string, Buffer>, needles: Array<[string, Buffer]>): void {
  for (const [name, bytes] of files) {
    for (const [what, needle] of needles) {
      assert.equal(bytes.indexOf(needle), -1, `${what} found in ${name}`)
    }
  }
}

async function canary(t: TestContext, makeStore: (dir: string) => KeyStore): Promise<void> {
  const dir = mkdtempSync(join(root, 'db-'))
  const dbFile = join(dir, 'switchyard.db')
  const db = openDb(dbFile)
  migrate(db)
  const keyStore = makeStore(dir)
  const vault = await openVault({ db, keyStore })
  const canaryValue = `sk-canary-${randomBytes(16).toString('hex')}`
  const older = `sk-canary-old-${randomBytes(16).toString('hex')}`
  vault.put('canary', older)
  vault.put('canary', canaryValue) // the replaced value must not linger either
  vault.put('canary-deleted', `${canaryValue}-deleted`)
  vault.delete('canary-deleted')
  assert.equal(vault.get('canary').reveal(), canaryValue)

  const key = await keyStore.load(dataKeyAccount(vault.vaultId))
  assert.ok(key)
  const needles: Array<[string, Buffer]> = [
    ['canary (utf8)', Buffer.from('sk-canary-')],
    ['canary (utf16le)', Buffer.from('sk-canary-', 'utf16le')],
    ['replaced canary', Buffer.from(older)],
    ['data key (raw)', key],
    ['data key (base64)', Buffer.from(key.toString('base64'))],
    ['data key (hex)', Buffer.from(key.toString('hex'))],
  ]

  const whileOpen = dbFiles(dir)
  assert.ok(whileOpen.has('switchyard.db-wal'), 'the WAL file exists while the database is open')
  assert.ok((whileOpen.get('switchyard.db-wal')?.length ?? 0) > 0, 'the secrets are in the WAL, not yet checkpointed')
  assertAbsent(whileOpen, needles)

  db.close() // checkpoints the WAL into the main file
  assertAbsent(dbFiles(dir), needles)
  t.diagnostic(`scanned ${[...whileOpen.keys()].join(', ')} while open and after close`)
}

describe('canary: no plaintext on disk', () => {
  test('with a key file', (t) => canary(t, (dir) => keyFileStore(join(dir, 'vault.key'))))

  const keychain = disposableKeychain()
  keychainTest('with the OS keychain', (t) => canary(t, () => keychain.store()))
})
