/**
 * KeyStore in the OS keychain via keytar (Secret Service on Linux, Keychain on macOS, Credential
 * Manager on Windows). Owns loading keytar lazily (importing this module never loads libsecret) and
 * translating its failures into VaultError('keychain_unavailable').
 * Must not fall back to any other storage: the caller decides, explicitly, to use a key file.
 */
import { createRequire } from 'node:module'
import type * as KeytarModule from 'keytar'
import type { KeyStore } from './KeyStore.ts'
import { VaultError } from './VaultError.ts'
import { decodeKey, encodeKey } from './keyEncoding.ts'

export type { KeyStore } from './KeyStore.ts'

type Keytar = Pick<typeof KeytarModule, 'getPassword' | 'setPassword' | 'deletePassword'>

let keytar: Keytar | undefined

function loadKeytar(): Keytar {
  if (keytar) return keytar
  try {
    keytar = createRequire(import.meta.url)('keytar') as Keytar
    return keytar
  } catch (cause) {
    throw new VaultError(
      'keychain_unavailable',
      `The OS keychain module (keytar) could not be loaded: ${messageOf(cause)}. ${remedy()}`,
      { cause },
    )
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function remedy(): string {
  const fallback =
    'or start Switchyard with --insecure-key-file to keep the vault key in a file ' +
    '(anyone who can read that file can decrypt your provider API keys).'
  if (process.platform === 'darwin') {
    return `Unlock your login Keychain and allow Switchyard to use it, ${fallback}`
  }
  if (process.platform === 'win32') return `Make sure Windows Credential Manager is available, ${fallback}`
  return (
    'Install and unlock a Secret Service in your desktop session (gnome-keyring or KWallet, with ' +
    `libsecret), ${fallback}`
  )
}

/** keytar rejects with plain Errors whose text comes from libsecret / D-Bus; name the cause plainly. */
function unavailable(cause: unknown): VaultError {
  const text = messageOf(cause)
  let what: string
  if (/autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Could not connect|Failed to connect to socket/i.test(text)) {
    what = 'No D-Bus session bus is reachable, so the OS keychain (Secret Service) cannot be used'
  } else if (/org\.freedesktop\.secrets was not provided|ServiceUnknown/i.test(text)) {
    what = 'No Secret Service (org.freedesktop.secrets) is running or installed on this D-Bus session'
  } else if (/locked|prompt|dismissed|collection\/login|Object does not exist/i.test(text)) {
    what = 'The OS keychain is locked or has no default keyring, and no unlock prompt could be shown'
  } else {
    what = 'The OS keychain refused the request'
  }
  return new VaultError('keychain_unavailable', `${what} (${text}). ${remedy()}`, { cause })
}

async function call<T>(fn: (k: Keytar) => Promise<T>): Promise<T> {
  const k = loadKeytar()
  try {
    return await fn(k)
  } catch (cause) {
    throw unavailable(cause)
  }
}

/** Keys are stored base64 under (`service`, account). Tests pass their own `service`. */
export function keychainStore(service = 'Switchyard'): KeyStore {
  return {
    backend: 'keychain',
    location: `the OS keychain (service '${service}')`,
    async load(account) {
      const text = await call((k) => k.getPassword(service, account))
      if (text === null) return null
      const key = decodeKey(text)
      if (!key) {
        throw new VaultError(
          'wrong_key',
          `The OS keychain entry '${account}' (service '${service}') is not a valid key; ` +
            'it was changed outside Switchyard.',
        )
      }
      return key
    },
    async save(account, key) {
      await call((k) => k.setPassword(service, account, encodeKey(key)))
    },
    remove: (account) => call((k) => k.deletePassword(service, account)),
  }
}
