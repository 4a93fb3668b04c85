/**
 * KeyStore for the desktop app: keys sealed by the OS through a `Sealer` (Electron's safeStorage,
 * adapted in main/electron/) and kept in a 0600 JSON file in the data directory. The OS protects the
 * sealing key (macOS Keychain, Windows DPAPI, Linux Secret Service/KWallet); the file alone is useless.
 * Refuses Linux's `basic_text` backend, whose "encryption" uses a hard-coded password.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import type { KeyStore } from './KeyStore.ts'
import { VaultError } from './VaultError.ts'
import { decodeKey, encodeKey } from './keyEncoding.ts'

export type Sealer = {
  isAvailable(): boolean
  /** Linux only: the backend in use (`gnome_libsecret`, `kwallet5`, `basic_text`…); undefined elsewhere. */
  backend(): string | undefined
  seal(text: string): Buffer
  unseal(sealed: Buffer): string
}

type SealedFile = { version: 1; keys: Record<string, string> }

export function sealedFileStore(path: string, sealer: Sealer): KeyStore {
  function usable(): void {
    const backend = sealer.backend()
    if (backend === 'basic_text' || backend === 'unknown') {
      throw new VaultError(
        'keychain_unavailable',
        `The system keychain is not available to Switchyard (Electron safeStorage backend '${backend}' uses a fixed password). ` +
          'Install and unlock a Secret Service (gnome-keyring or KWallet), or choose a key file.',
      )
    }
    if (!sealer.isAvailable()) throw new VaultError('keychain_unavailable', 'The system keychain (Electron safeStorage) is not available, or choose a key file.')
  }
  function read(): SealedFile {
    try {
      const data = JSON.parse(readFileSync(path, 'utf8')) as SealedFile
      return data.version === 1 && data.keys && typeof data.keys === 'object' ? data : { version: 1, keys: {} }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: {} }
      throw new VaultError('wrong_key', `${path} is not readable: it was changed outside Switchyard.`, { cause: err })
    }
  }
  function write(file: SealedFile): void {
    if (Object.keys(file.keys).length === 0) return rmSync(path, { force: true })
    const tmp = `${path}.tmp`
    writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 })
    renameSync(tmp, path)
  }
  return {
    backend: 'keychain',
    location: `the system keychain (Electron safeStorage, sealed in ${path})`,
    async load(account) {
      usable()
      const sealed = read().keys[account]
      if (sealed === undefined) return null
      let text: string
      try {
        text = sealer.unseal(Buffer.from(sealed, 'base64'))
      } catch (cause) {
        throw new VaultError('wrong_key', `The system keychain cannot unseal '${account}' in ${path} (another user or machine sealed it).`, { cause })
      }
      const key = decodeKey(text)
      if (!key) throw new VaultError('wrong_key', `The sealed entry '${account}' in ${path} is not a valid key.`)
      return key
    },
    async save(account, key) {
      usable()
      const file = read()
      file.keys[account] = sealer.seal(encodeKey(key)).toString('base64')
      write(file)
    },
    async remove(account) {
      const file = read()
      if (!(account in file.keys)) return false
      delete file.keys[account]
      write(file)
      return true
    },
  }
}
