/** Electron's safeStorage as the vault's `Sealer` (main/vault/sealedFileStore.ts). */
import { safeStorage } from 'electron'
import type { Sealer } from '../vault/sealedFileStore.ts'

export const safeStorageSealer: Sealer = {
  isAvailable: () => safeStorage.isEncryptionAvailable(),
  backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined),
  seal: (text) => safeStorage.encryptString(text),
  unseal: (sealed) => safeStorage.decryptString(sealed),
}
