/**
 * One data directory, two front doors: the desktop app keeps the vault key with Electron's
 * safeStorage (`primary`), the headless server with keytar (`shared`). Both report the `keychain`
 * backend, so the vault opens in either. This store reads the primary first; a key found only in the
 * shared store (a data dir made by `serve`) is copied into the primary, and a key found only in the
 * primary is copied back to the shared store, best effort, so `serve` keeps working after the app ran.
 * Saves go to both (the shared one best effort: a machine without keytar still runs the app).
 */
import type { KeyStore } from './KeyStore.ts'
import { isVaultError } from './VaultError.ts'

export function migratingKeyStore(primary: KeyStore, shared: KeyStore, onNote: (note: string) => void = () => {}): KeyStore {
  async function bestEffort(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn()
    } catch (err) {
      onNote(`${what}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  async function sharedLoad(account: string): Promise<Buffer | null> {
    try {
      return await shared.load(account)
    } catch (err) {
      if (isVaultError(err, 'keychain_unavailable')) return null
      throw err
    }
  }
  return {
    backend: 'keychain',
    location: primary.location ?? 'the system keychain',
    async load(account) {
      let own: Buffer | null = null
      try {
        own = await primary.load(account)
      } catch (err) {
        // Sealed by another user or machine: the shared keychain may still have the key.
        if (!isVaultError(err, 'wrong_key')) throw err
      }
      if (own) {
        const theirs = await sharedLoad(account)
        if (!theirs) await bestEffort('could not copy the vault key to the OS keychain for `serve`', () => shared.save(account, own))
        return own
      }
      const theirs = await sharedLoad(account)
      if (theirs) await primary.save(account, theirs)
      return theirs
    },
    async save(account, key) {
      await primary.save(account, key)
      await bestEffort('could not also keep the vault key in the OS keychain for `serve`', () => shared.save(account, key))
    },
    async remove(account) {
      const a = await primary.remove(account)
      let b = false
      await bestEffort('could not remove the vault key from the OS keychain', async () => void (b = await shared.remove(account)))
      return a || b
    },
  }
}
