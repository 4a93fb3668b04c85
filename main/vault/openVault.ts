/**
 * Opens, or on first use creates, the encrypted vault inside the Switchyard database.
 * Owns the data key's life: made once, kept in a KeyStore, verified against `key_check`, held in
 * memory while the vault is open. Secrets are sealed per row with the row id as AAD.
 * Must not re-key, switch backends, or fall back to plaintext on its own (Signal's rule): each of
 * those situations is a VaultError that tells the user what to do.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '../store/openDb.ts'
import type { KeyStore, KeyStoreBackend } from './KeyStore.ts'
import { DATA_KEY_BYTES, open, seal } from './cipher.ts'
import { Secret } from './Secret.ts'
import { VaultError, isVaultError } from './VaultError.ts'

export type Vault = {
  readonly backend: KeyStoreBackend
  /** Random id made on first open; names the data key's entry in the key store. */
  readonly vaultId: string
  /** Things to show the user (a key file backend, an exposed key file). */
  readonly warnings: string[]
  /** Stores or replaces the secret under `id`. */
  put(id: string, secret: string): void
  /** Throws VaultError 'not_found' when absent, 'tampered' when the row fails authentication. */
  get(id: string): Secret
  has(id: string): boolean
  /** Removes the secret; removing an absent id is not an error. */
  delete(id: string): void
}

export type OpenVaultOptions = {
  db: Db
  keyStore: KeyStore
  /** Clock for created_at / updated_at (epoch ms). */
  now?: () => number
}

const META_VAULT_ID = 'vault_id'
const META_BACKEND = 'vault_backend'
const META_KEY_CHECK = 'key_check'
const KEY_CHECK_PLAINTEXT = 'switchyard vault key check v1'
/** The way out of every `wrong_key`, when the key cannot be brought back (main/resetVault.ts). */
const NEW_VAULT =
  'start a new vault, which deletes the stored secrets (`switchyard reset-vault`, or the choice the desktop app ' +
  'offers), and enter your provider API keys again.'

/** The key store entry holding a vault's data key. */
export function dataKeyAccount(vaultId: string): string {
  return `data-key:${vaultId}`
}

const keyCheckAad = (vaultId: string): string => `key_check:${vaultId}`
const secretAad = (id: string): string => `secret:${id}`

const BACKEND_NAMES: Record<KeyStoreBackend, string> = {
  keychain: 'the OS keychain',
  keyfile: 'a key file (--insecure-key-file)',
}

export async function openVault(opts: OpenVaultOptions): Promise<Vault> {
  const { db, keyStore } = opts
  const now = opts.now ?? Date.now
  const vaultId = readMeta(db, META_VAULT_ID)
  const { key, id, notice } =
    vaultId === undefined ? await create(db, keyStore) : await unlock(db, keyStore, vaultId)
  return makeVault(db, keyStore, id, key, now, notice)
}

function readMeta(db: Db, key: string): string | undefined {
  return db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value
}

const secretsCount = (n: number): string => `${n} secret${n === 1 ? '' : 's'}`

function countSecrets(db: Db): number {
  return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM secrets').get()?.n ?? 0
}

type Unlocked = { key: Buffer; id: string; notice?: string }

/** First open: a new key, unless secrets remain from a vault whose metadata is gone. */
async function create(db: Db, keyStore: KeyStore): Promise<Unlocked> {
  const existing = countSecrets(db)
  if (existing > 0) {
    throw new VaultError(
      'wrong_key',
      `The vault's metadata is missing from this database but it still holds ${secretsCount(existing)}, encrypted. ` +
        `Switchyard will not create a new key over them on its own; restore the database from a backup, or ${NEW_VAULT}`,
    )
  }
  return (await makeKey(db, keyStore, undefined)).unlocked
}

/**
 * Makes a data key and writes the vault's meta rows for it if the vault id is still `expected`
 * (undefined: no vault yet) and no secret is stored. The key is saved to the store before the rows
 * are written: a crash in between leaves an unused store entry, never meta rows that point at a key
 * that does not exist. When another process got there first, its vault is opened instead (`made`
 * false).
 */
async function makeKey(db: Db, keyStore: KeyStore, expected: string | undefined): Promise<{ unlocked: Unlocked; made: boolean }> {
  const key = randomBytes(DATA_KEY_BYTES)
  const id = randomUUID()
  const account = dataKeyAccount(id)
  await keyStore.save(account, key)
  let won: boolean
  try {
    won = db.transaction(() => {
      if (readMeta(db, META_VAULT_ID) !== expected || countSecrets(db) > 0) return false
      const upsert = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      upsert.run(META_VAULT_ID, id)
      upsert.run(META_BACKEND, keyStore.backend)
      upsert.run(META_KEY_CHECK, seal(key, KEY_CHECK_PLAINTEXT, keyCheckAad(id)).toString('base64'))
      return true
    }).immediate()
  } catch (err) {
    await keyStore.remove(account).catch(() => false)
    throw err
  }
  if (won) return { unlocked: { key, id }, made: true }
  key.fill(0)
  await keyStore.remove(account).catch(() => false)
  const theirs = readMeta(db, META_VAULT_ID)
  if (theirs === undefined) throw new Error('vault_id vanished while opening the vault')
  return { unlocked: await unlock(db, keyStore, theirs), made: false }
}

async function unlock(db: Db, keyStore: KeyStore, id: string): Promise<Unlocked> {
  const backend = readMeta(db, META_BACKEND)
  const check = readMeta(db, META_KEY_CHECK)
  if (backend === undefined || check === undefined) {
    throw new VaultError(
      'wrong_key',
      `The vault's metadata in this database is incomplete (vault ${id}); its secrets cannot be verified. ` +
        `Restore the database from a backup, or ${NEW_VAULT}`,
    )
  }
  if (backend !== keyStore.backend) {
    const stored =
      backend === 'keychain' || backend === 'keyfile' ? BACKEND_NAMES[backend] : `'${backend}'`
    const howBack =
      backend === 'keyfile'
        ? 'start Switchyard with --insecure-key-file pointing at the same key file'
        : backend === 'keychain'
          ? 'make the OS keychain available again (see the keychain error, if any) and start ' +
            'Switchyard without --insecure-key-file'
          : 'use the Switchyard version that created this vault'
    throw new VaultError(
      'keyring_changed',
      `This vault's data key is kept in ${stored}, but Switchyard is now using ` +
        `${BACKEND_NAMES[keyStore.backend]}. Switchyard never moves or re-creates the key on its own, ` +
        `so your secrets stay untouched: ${howBack}.`,
    )
  }
  const account = dataKeyAccount(id)
  const where = keyStore.location ?? BACKEND_NAMES[keyStore.backend]
  const key = await keyStore.load(account)
  // Nothing was ever sealed with the lost key (a reset keychain, a fresh login keyring): a new key loses nothing.
  if (key === null && countSecrets(db) === 0) return rekeyEmpty(db, keyStore, id, where)
  if (key === null) {
    throw new VaultError(
      'wrong_key',
      `The data key for this vault is missing from ${where} (entry '${account}'), so the ` +
        `${secretsCount(countSecrets(db))} stored in this database cannot be decrypted. If the database was copied ` +
        `from another machine or user account, bring that key entry over too; otherwise ${NEW_VAULT}`,
    )
  }
  const mismatch = new VaultError(
    'wrong_key',
    `The key in ${where} (entry '${account}') does not belong to this vault, so its secrets cannot be ` +
      `decrypted. It was replaced outside Switchyard; restore the original entry, or ${NEW_VAULT}`,
  )
  if (key.length !== DATA_KEY_BYTES) throw mismatch
  try {
    open(key, Buffer.from(check, 'base64'), keyCheckAad(id))
  } catch (err) {
    key.fill(0)
    if (isVaultError(err, 'tampered')) throw mismatch
    throw err
  }
  return { key, id }
}

/**
 * The vault's data key is missing from its store but no secret was stored under it: a new key and
 * vault id replace the old ones, in one transaction that first checks that this is still so (another
 * process may have done the same). The old entry's name goes into the notice; nothing is deleted.
 */
async function rekeyEmpty(db: Db, keyStore: KeyStore, oldId: string, where: string): Promise<Unlocked> {
  const { unlocked, made } = await makeKey(db, keyStore, oldId)
  if (!made) return unlocked
  return {
    ...unlocked,
    notice:
      `The vault's data key was missing from ${where} (entry '${dataKeyAccount(oldId)}'). No secrets were stored ` +
      `under it, so nothing was lost: Switchyard made a new key (entry '${dataKeyAccount(unlocked.id)}').`,
  }
}

function makeVault(
  db: Db,
  keyStore: KeyStore,
  vaultId: string,
  key: Buffer,
  now: () => number,
  notice?: string,
): Vault {
  const selectEnvelope = db.prepare<[string], { envelope: Buffer }>(
    'SELECT envelope FROM secrets WHERE id = ?',
  )
  const selectExists = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM secrets WHERE id = ?',
  )
  const upsert = db.prepare<[string, Buffer, number, number]>(
    `INSERT INTO secrets (id, envelope, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET envelope = excluded.envelope, updated_at = excluded.updated_at`,
  )
  const remove = db.prepare<[string]>('DELETE FROM secrets WHERE id = ?')

  const warnings: string[] = []
  if (keyStore.backend === 'keyfile') {
    warnings.push(
      `The vault key is stored in ${keyStore.location ?? 'a key file'} instead of an OS keychain: anyone who ` +
        'can read that file (or a backup of it) can decrypt every API key in this vault.',
    )
  }
  warnings.push(...(keyStore.warnings ?? []))
  if (notice) warnings.push(notice)

  return {
    backend: keyStore.backend,
    vaultId,
    warnings,
    put(id, secret) {
      checkId(id)
      const at = now()
      upsert.run(id, seal(key, secret, secretAad(id)), at, at)
    },
    get(id) {
      const row = selectEnvelope.get(id)
      if (!row) throw new VaultError('not_found', `No secret with id '${id}' in the vault.`)
      return new Secret(open(key, row.envelope, secretAad(id)))
    },
    has(id) {
      return selectExists.get(id) !== undefined
    },
    delete(id) {
      remove.run(id)
    },
  }
}

function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0) {
    throw new TypeError('secret id must be a non-empty string')
  }
}
