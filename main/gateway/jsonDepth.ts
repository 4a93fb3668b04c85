/**
 * How deeply a JSON text nests, stopping as soon as it passes `limit`. The gateway forwards bodies as
 * the caller's bytes where it can, so nothing downstream would overflow on a 100,000-deep body, but
 * an upstream, a guardrail or a translation may: such a body is refused up front with a 400. One
 * pass over the bytes, strings skipped (brackets inside them do not count).
 */
export function exceedsJsonDepth(bytes: Uint8Array, limit: number): boolean {
  let depth = 0
  const n = bytes.length
  for (let i = 0; i < n; i++) {
    const c = bytes[i] as number
    if (c === 0x22) {
      // Skip the string: to the next quote that is not escaped.
      for (i++; i < n; i++) {
        const s = bytes[i] as number
        if (s === 0x5c) i++
        else if (s === 0x22) break
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}
