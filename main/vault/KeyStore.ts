/**
 * The contract for where the vault's data key lives. Types only: implementations are
 * `keychainStore` (OS keychain) and `keyFileStore` (explicit, insecure opt-in).
 */

/** Remembered in the database: a vault never silently moves from one backend to another. */
export type KeyStoreBackend = 'keychain' | 'keyfile'

export type KeyStore = {
  readonly backend: KeyStoreBackend
  /** Human-readable place the keys live, used in error messages ("the OS keychain", a file path). */
  readonly location?: string
  /** Things the user should know about this store (an exposed key file, …); filled as it is used. */
  readonly warnings?: readonly string[]
  /** The key saved under `account`, or null when there is none. */
  load(account: string): Promise<Buffer | null>
  save(account: string, key: Buffer): Promise<void>
  /** True when an entry was removed. */
  remove(account: string): Promise<boolean>
}
