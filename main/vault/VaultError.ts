/**
 * The vault's one error type. Codes are stable (callers and tests match on them); messages are for
 * people and must never carry a secret, a data key or plaintext.
 */
import type { VaultResetImpact } from '../resetVault.ts'

export type VaultErrorCode =
  | 'keychain_unavailable'
  | 'keyring_changed'
  | 'wrong_key'
  | 'tampered'
  | 'unsupported_version'
  | 'not_found'

export class VaultError extends Error {
  readonly code: VaultErrorCode
  /**
   * Set by the start when a new vault would get Switchyard going again (`wrong_key`): what that
   * would delete, for the choice the CLI and the desktop dialog offer.
   */
  resetImpact?: VaultResetImpact

  constructor(code: VaultErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'VaultError'
    this.code = code
  }
}

/** Narrowing helper, so callers need no `instanceof` + cast dance. */
export function isVaultError(err: unknown, code?: VaultErrorCode): err is VaultError {
  return err instanceof VaultError && (code === undefined || err.code === code)
}
