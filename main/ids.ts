/** Random identifiers: short, prefixed by kind, URL-safe. */
import { randomBytes } from 'node:crypto'

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** `newId('int')` → `int_k3j9…` (16 characters, ~82 bits). */
export function newId(prefix: string): string {
  return `${prefix}_${randomString(16, ALPHABET)}`
}

export function randomString(length: number, alphabet: string): string {
  // Rejection sampling keeps every character uniformly likely.
  const out: string[] = []
  const limit = 256 - (256 % alphabet.length)
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= limit) continue
      out.push(alphabet[byte % alphabet.length] as string)
      if (out.length === length) break
    }
  }
  return out.join('')
}
