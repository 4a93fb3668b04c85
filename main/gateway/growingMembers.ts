/**
 * Large array members that grow at the end from one call to the next. An agent's conversation
 * (`messages`, `input`) is the previous call's plus the new turn, so its first bytes are the previous
 * call's member without its closing bracket. Those bytes were scanned then (jsonBytes.ts), with the
 * same depth limit and to the same end state: inside the array, between two elements, at depth 2.
 * The scan resumes there after one memcmp, so a long session costs a compare of its history (~15 µs
 * per MB) and a scan of the new turn, instead of a scan of the whole history (~15 ns per string).
 *
 * The previous bodies are kept by reference, not copied: request bodies are never written to once
 * read. A few are kept, so interleaved sessions (two agents, a subagent) each find their own; a body
 * over 2 MB is not kept (its history is scanned in full, as before).
 */

/** Array members at least this large are worth remembering. */
export const GROWING_MEMBER_BYTES = 8 * 1024
const MAX_KEPT = 4
/** Bodies kept are held whole (what they share a buffer with too): at most this large, so at most 8 MB in all. */
const MAX_BODY_BYTES = 2 * 1024 * 1024

/** A member `[start, end)` of `bytes` (an array, `]` at `end - 1`) scanned with depth limit `limit`. */
export type Grown = { bytes: Buffer; start: number; end: number; limit: number; used: number }

const kept: Grown[] = []
let tick = 0

/**
 * The member kept whose bytes, without its closing bracket, start the array member at `i` of
 * `bytes` with more after them (the scan resumes at `i + end - start - 1`, at depth 2), or null.
 */
export function resumeGrowing(bytes: Buffer, i: number, limit: number): Grown | null {
  for (const g of kept) {
    const n = g.end - g.start - 1
    // Cheap checks first: another session's conversation differs near its end or in its middle.
    if (g.limit !== limit || i + n >= bytes.length || bytes[i + n - 1] !== g.bytes[g.end - 2] || bytes[i + (n >> 1)] !== g.bytes[g.start + (n >> 1)]) continue
    if (bytes.compare(g.bytes, g.start, g.end - 1, i, i + n) === 0) {
      g.used = ++tick
      return g
    }
  }
  return null
}

/** A balanced array member `[start, end)` the scan went through; `from`: the kept member it resumed, which this one replaces. */
export function noteGrowing(bytes: Buffer, start: number, end: number, limit: number, from: Grown | null): void {
  if (end - start < GROWING_MEMBER_BYTES || bytes.buffer.byteLength > MAX_BODY_BYTES) return
  const g: Grown = { bytes, start, end, limit, used: ++tick }
  const at = from ? kept.indexOf(from) : -1
  if (at >= 0) kept[at] = g
  else if (kept.length < MAX_KEPT) kept.push(g)
  else {
    let k = 0
    for (let j = 1; j < kept.length; j++) if ((kept[j] as Grown).used < (kept[k] as Grown).used) k = j
    kept[k] = g
  }
}

/** Forget every member, for tests that compare with a scan from scratch. */
export function forgetGrowingMembers(): void {
  kept.length = 0
}
