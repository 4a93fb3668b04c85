/** Identifiers: short random ones prefixed by kind, and time-ordered trace ids. */
import { randomBytes, randomUUID } from 'node:crypto'

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** `newId('int')` → `int_k3j9…` (16 characters, ~82 bits). */
export function newId(prefix: string): string {
  return `${prefix}_${randomString(16, ALPHABET)}`
}

/**
 * A UUIDv7 (RFC 9562): 48 bits of epoch milliseconds, then 74 random bits. Rows keyed by it arrive
 * in index order, so the usage table's trace index appends instead of touching a random page per row.
 * Built from `randomUUID()` (pooled entropy, cheaper than fresh random bytes): its version nibble
 * and everything before it are replaced by the time; its variant bits and 74 random bits stay.
 */
export function traceId(now: number = Date.now()): string {
  if (now !== prefixAt) {
    const t = now.toString(16).padStart(12, '0')
    prefix = `${t.slice(0, 8)}-${t.slice(8, 12)}-7`
    prefixAt = now
  }
  return prefix + randomUUID().slice(15)
}
// The time part of the last id: requests arriving in the same millisecond share it.
let prefixAt = Number.NaN
let prefix = ''

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
