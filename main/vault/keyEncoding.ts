/**
 * How a key is written as text in a key store (base64), checked strictly on the way back so a
 * mangled entry is reported instead of silently decoding to a different key. Pure.
 */

export function encodeKey(key: Buffer): string {
  return key.toString('base64')
}

/** The decoded key, or null when `text` is not canonical base64. */
export function decodeKey(text: string): Buffer | null {
  const key = Buffer.from(text, 'base64')
  return key.length > 0 && key.toString('base64') === text ? key : null
}
