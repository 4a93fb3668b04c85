/**
 * Authenticated encryption of one secret: AES-256-GCM in a versioned envelope
 * `[0x01][12-byte IV][16-byte tag][ciphertext]`.
 * Pure apart from the random IV: no storage, no key management.
 * Errors never include plaintext or key material.
 *
 * The GCM additional data is the version byte followed by the caller's `aad` (the secret's id), so
 * an envelope only opens under the id it was sealed for (rows cannot be swapped) and the version
 * byte is authenticated too.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { VaultError } from './VaultError.ts'

const VERSION = 0x01
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES

export const DATA_KEY_BYTES = KEY_BYTES

function additionalData(aad: string): Buffer {
  return Buffer.concat([Buffer.of(VERSION), Buffer.from(aad, 'utf8')])
}

function checkKey(dataKey: Buffer): void {
  // A programming error, not a data condition: the vault validates keys before they get here.
  if (dataKey.length !== KEY_BYTES) throw new RangeError(`data key must be ${KEY_BYTES} bytes`)
}

/** Encrypts `plaintext` for the secret named by `aad`. A fresh random IV per call. */
export function seal(dataKey: Buffer, plaintext: string, aad: string): Buffer {
  checkKey(dataKey)
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(additionalData(aad))
  const input = Buffer.from(plaintext, 'utf8')
  const ciphertext = Buffer.concat([cipher.update(input), cipher.final()])
  input.fill(0)
  return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), ciphertext])
}

/**
 * Decrypts an envelope made by `seal` with the same key and `aad`.
 * Throws `VaultError` 'unsupported_version' for an unknown version byte, and 'tampered' for
 * anything that fails authentication: changed bytes, wrong key, wrong aad, truncation.
 * (GCM cannot tell a wrong key from tampering; the vault's key check tells them apart.)
 */
export function open(dataKey: Buffer, envelope: Buffer, aad: string): string {
  checkKey(dataKey)
  if (envelope.length > 0 && envelope[0] !== VERSION) {
    throw new VaultError(
      'unsupported_version',
      `secret envelope version ${envelope[0]} is not supported by this Switchyard ` +
        `(expected ${VERSION}); upgrade Switchyard`,
    )
  }
  if (envelope.length < HEADER_BYTES) {
    throw new VaultError('tampered', 'secret envelope is truncated')
  }
  const iv = envelope.subarray(1, 1 + IV_BYTES)
  const tag = envelope.subarray(1 + IV_BYTES, HEADER_BYTES)
  const ciphertext = envelope.subarray(HEADER_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES })
  decipher.setAAD(additionalData(aad))
  decipher.setAuthTag(tag)
  let plaintext: Buffer
  try {
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch (cause) {
    throw new VaultError(
      'tampered',
      'secret failed authentication: it was modified, belongs to another id, ' +
        'or was sealed with another key',
      { cause },
    )
  }
  const text = plaintext.toString('utf8')
  plaintext.fill(0)
  return text
}
