/**
 * KeyStore in a plain file: the explicit, insecure opt-in (--insecure-key-file) for machines
 * without an OS keychain. Anyone who can read the file can decrypt the vault.
 * Owns the file's format (`{"version":1,"keys":{account: base64}}`), its 0600 mode, and atomic
 * replacement. Must not be chosen automatically: nothing falls back to it.
 *
 * Permissions policy (POSIX):
 * - owned by another user, or writable by group/others: refused. Someone else could have planted a
 *   key they know; new secrets would then be sealed under it. Refusing is the only safe answer.
 * - readable by group/others: tightened to 0600 and reported in `warnings`. Refusing would not
 *   un-leak a key that may already have been read, and it would lock the user out of their own
 *   secrets after a copy or restore that reset the mode; the warning says to rotate the API keys.
 */
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import type { Stats } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname } from 'node:path'
import type { KeyStore } from './KeyStore.ts'
import { VaultError } from './VaultError.ts'
import { decodeKey, encodeKey } from './keyEncoding.ts'

type KeyFile = { version: 1; keys: Record<string, string> }

const POSIX = process.platform !== 'win32'

function refuse(path: string, why: string, cause?: unknown): VaultError {
  return new VaultError('keychain_unavailable', `Refusing key file ${path}: ${why}`, { cause })
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0')
}

export function keyFileStore(path: string): KeyStore & { readonly warnings: readonly string[] } {
  const warnings: string[] = []
  const warn = (text: string): void => {
    if (!warnings.includes(text)) warnings.push(text)
  }

  function checkPermissions(fd: number, st: Stats): void {
    if (!st.isFile()) throw refuse(path, 'it is not a regular file.')
    if (!POSIX) return
    const uid = process.getuid?.()
    if (uid !== undefined && st.uid !== uid) {
      throw refuse(
        path,
        `it is owned by another user (uid ${st.uid}), who could have chosen the key. ` +
          'Create a new key file of your own.',
      )
    }
    if ((st.mode & 0o022) !== 0) {
      throw refuse(
        path,
        `it is writable by other users (mode ${octal(st.mode)}), who could have replaced the key. ` +
          'If you trust its contents, run `chmod 600` on it (on a filesystem that supports permissions) and try again.',
      )
    }
    if ((st.mode & 0o044) !== 0) {
      try {
        fchmodSync(fd, 0o600)
        warn(
          `Key file ${path} was readable by other users (mode ${octal(st.mode)}); it is now 0600. ` +
            'Anyone who read it can decrypt the vault: consider rotating the provider API keys stored in it.',
        )
      } catch {
        warn(
          `Key file ${path} is readable by other users (mode ${octal(st.mode)}) and could not be made 0600.`,
        )
      }
    }
  }

  function read(): KeyFile {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: {} }
      const code = (cause as NodeJS.ErrnoException).code ?? 'error'
      throw refuse(path, `it cannot be opened (${code}).`, cause)
    }
    try {
      checkPermissions(fd, fstatSync(fd))
      return parse(readFileSync(fd, 'utf8'))
    } finally {
      closeSync(fd)
    }
  }

  function parse(text: string): KeyFile {
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (cause) {
      throw new VaultError('wrong_key', `Key file ${path} is not valid JSON; it was changed outside Switchyard.`, {
        cause,
      })
    }
    if (typeof data === 'object' && data !== null && 'version' in data && data.version !== 1) {
      throw new VaultError(
        'unsupported_version',
        `Key file ${path} has format version ${String(data.version)}; upgrade Switchyard.`,
      )
    }
    const keys = typeof data === 'object' && data !== null && 'keys' in data ? data.keys : undefined
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
      throw new VaultError(
        'wrong_key',
        `Key file ${path} has no "keys" object; it was changed outside Switchyard.`,
      )
    }
    const out: Record<string, string> = {}
    for (const [account, value] of Object.entries(keys)) {
      if (typeof value === 'string') out[account] = value
    }
    return { version: 1, keys: out }
  }

  /** Write-then-rename: readers see the old file or the new one, never half of one. */
  function write(file: KeyFile): void {
    if (Object.keys(file.keys).length === 0) {
      rmSync(path, { force: true })
      return
    }
    const dir = dirname(path)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
    // 'wx' = O_CREAT|O_EXCL: the file is born 0600 (umask can only remove bits), never wider.
    const fd = openSync(tmp, 'wx', 0o600)
    try {
      try {
        writeSync(fd, `${JSON.stringify(file, null, 2)}\n`)
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      renameSync(tmp, path)
    } catch (err) {
      try {
        unlinkSync(tmp)
      } catch {
        // already renamed or never written; nothing to clean up
      }
      throw err
    }
    syncDir(dir)
  }

  return {
    backend: 'keyfile',
    location: path,
    warnings,
    load: (account) =>
      promised(() => {
        const text = read().keys[account]
        if (text === undefined) return null
        const key = decodeKey(text)
        if (!key) {
          throw new VaultError('wrong_key', `Key file ${path}: the entry '${account}' is not a valid key.`)
        }
        return key
      }),
    save: (account, key) =>
      promised(() => {
        const file = read()
        file.keys[account] = encodeKey(key)
        write(file)
      }),
    remove: (account) =>
      promised(() => {
        const file = read()
        if (!(account in file.keys)) return false
        delete file.keys[account]
        write(file)
        return true
      }),
  }
}

/** Runs synchronous file work behind the async KeyStore contract; a throw becomes a rejection. */
function promised<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()))
}

/** Makes the rename durable. Best effort: not every platform can fsync a directory. */
function syncDir(dir: string): void {
  if (!POSIX) return
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // durability hint only
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
