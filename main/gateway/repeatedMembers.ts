/**
 * Large request members an agent sends again byte for byte. Claude Code repeats its tool schemas
 * (~30–100 KB) and its system prompt on every call of a session; the scan (jsonBytes.ts) costs ~15 ns
 * per string in them (one native indexOf each) besides the bytes, ~30 µs for the tools of a 108 KB
 * call. Bytes equal to a member scanned before have the same structure (a balanced value, at most as
 * deep), so the scan steps over them after one memcmp (~3–5 µs for the same tools).
 *
 * A member is kept (a copy) the second time the same one is seen, so a member that changes on every
 * call (the conversation, which grows) costs one short fingerprint, never a copy. Bounded: entries,
 * total bytes and the size of one member.
 */
import { isUtf8 } from 'node:buffer'

/** Array and object members at least this large are worth keeping. */
export const REPEATED_MEMBER_BYTES = 8 * 1024
const MAX_MEMBER_BYTES = 1024 * 1024
const MAX_TOTAL_BYTES = 4 * 1024 * 1024
const MAX_ENTRIES = 16
const MAX_PENDING = 64

/** A kept member; `utf8`: its bytes are valid UTF-8 (checked once, when kept), so a body holding them needs no check there. */
export type KeptMember = { readonly bytes: Buffer; readonly limit: number; readonly utf8: boolean; used: number }
type Entry = KeptMember

const entries: Entry[] = []
let total = 0
let tick = 0
/** Fingerprints of members seen once. */
const pending = new Set<string>()

/**
 * The kept member whose bytes the member value starting at `i` of `bytes` are (scanned with the same
 * depth limit; it ends at `i + bytes.length`), else null.
 */
export function repeatedMember(bytes: Buffer, i: number, limit: number): KeptMember | null {
  for (const e of entries) {
    const n = e.bytes.length
    const end = i + n
    // Cheap checks first: the conversation that grew by a turn ends elsewhere.
    if (end > bytes.length || e.limit !== limit || bytes[end - 1] !== e.bytes[n - 1] || bytes[i + (n >> 1)] !== e.bytes[n >> 1]) continue
    if (bytes.compare(e.bytes, 0, n, i, end) === 0) {
      e.used = ++tick
      return e
    }
  }
  return null
}

/** A balanced array or object member `[start, end)` the scan went through (scanned with depth limit `limit`). */
export function noteMember(bytes: Buffer, start: number, end: number, limit: number): void {
  const n = end - start
  if (n < REPEATED_MEMBER_BYTES || n > MAX_MEMBER_BYTES) return
  const print = `${limit}:${n}:${bytes.toString('latin1', start, start + 32)}${bytes.toString('latin1', end - 32, end)}${bytes[start + (n >> 1)]}:${bytes[start + (n >> 2)]}`
  if (!pending.has(print)) {
    if (pending.size >= MAX_PENDING) pending.clear()
    pending.add(print)
    return
  }
  pending.delete(print)
  while (entries.length >= MAX_ENTRIES || (entries.length > 0 && total + n > MAX_TOTAL_BYTES)) evictLeastUsed()
  const kept = Buffer.from(bytes.subarray(start, end))
  entries.push({ bytes: kept, limit, utf8: isUtf8(kept), used: ++tick })
  total += n
}

function evictLeastUsed(): void {
  let k = 0
  for (let j = 1; j < entries.length; j++) if ((entries[j] as Entry).used < (entries[k] as Entry).used) k = j
  total -= (entries[k] as Entry).bytes.length
  entries.splice(k, 1)
}

/** What is kept, for tests. */
export function repeatedMembersKept(): { entries: number; bytes: number } {
  return { entries: entries.length, bytes: total }
}

/** Forget every member, for tests that compare with a scan from scratch. */
export function forgetRepeatedMembers(): void {
  entries.length = 0
  total = 0
  pending.clear()
}
