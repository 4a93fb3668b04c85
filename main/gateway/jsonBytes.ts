/**
 * Request and response bodies are UTF-8 JSON bytes; these read them without the two costs that made a
 * Claude Code-sized request (~100 KB of system prompt and tools) cost ten times a small one:
 *
 *  - `parseJsonBytes`: V8 decodes UTF-8 that holds characters beyond Latin-1 (Claude Code's prompt has
 *    "—", "→", "…") at ~100 MB/s, 1.2 ms for 110 KB, then parses a two-byte string. JSON's structure
 *    is ASCII and UTF-8 never puts a byte below 0x80 inside a multi-byte character, so the bytes are
 *    read as Latin-1 (a copy, ~13 µs), each run of bytes ≥ 0x80 is replaced by the `\uXXXX` escapes
 *    of the characters it encodes, and that ASCII text is parsed once.
 *  - `scanJson`: one pass over the bytes that refuses nesting deeper than a limit as soon as it is
 *    seen (before JSON.parse spends seconds on a 32 MB `[[[[…`) and notes where the one top-level
 *    `"model"` string is, so a passthrough can splice the upstream's model in without a second pass.
 */
import { isAscii } from 'node:buffer'
import { type Grown, noteGrowing, resumeGrowing } from './growingMembers.ts'
import { noteMember, REPEATED_MEMBER_BYTES, repeatedMember } from './repeatedMembers.ts'

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const COLON = 0x3a

/** Byte range of a JSON string value, its quotes included. */
export type ByteRange = { start: number; end: number }

export type JsonScan = {
  /** Nesting went past the limit (the scan stopped there). */
  tooDeep: boolean
  /** The one top-level `"model"` member's string value; null when there is none, more than one, it is not a string, or the text is cut short. */
  model: ByteRange | null
  /**
   * The top-level object's members in order (key with its quotes, value's bytes), when the text is
   * an object whose top level is well formed (keys, colons, commas, nothing trailing); else null. The
   * values themselves are only bracket- and quote-balanced here, not validated.
   */
  members: Member[] | null
  /** Members stepped over as repeated ones whose bytes are known to be valid UTF-8, in order (repeatedMembers.ts); null when none. */
  utf8Known: ByteRange[] | null
}

/** One top-level member: its key string (quotes included) and its value's bytes `[start, end)`. */
export type Member = { key: ByteRange; start: number; end: number }

const COMMA = 0x2c

// Where the scan is inside the top-level object.
const KEY = 0 // a key or the closing brace may come next
const COLON_NEXT = 1
const VALUE = 2 // the value starts at the next byte that is not space
const IN_VALUE = 3 // a comma or the closing brace ends it
const AFTER_COMMA = 4 // only a key may come next

export function scanJson(bytes: Buffer, limit: number): JsonScan {
  const n = bytes.length
  let depth = 0
  let models = 0
  let model: ByteRange | null = null
  let members: Member[] | null = []
  let state = KEY
  let key: ByteRange = { start: 0, end: 0 }
  let valueStart = 0
  let closedAt = -1 // just past the last string, array or object that closed at the top level
  let skippedAt = -1 // where the last member stepped over as a repeated one starts
  let utf8Known: ByteRange[] | null = null
  let resumed: Grown | null = null // the earlier member the scan of the member at `resumedAt` resumed from (growingMembers.ts)
  let resumedAt = -1
  const top = skipSpace(bytes, 0)
  if (bytes[top] !== OPEN_BRACE) members = null
  for (let i = top; i < n; i++) {
    const c = bytes[i] as number
    if (depth === 1 && members !== null && state !== IN_VALUE) {
      // The top level between values: only keys, a colon, the start of a value, commas and the close.
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue
      if (state === VALUE) {
        state = IN_VALUE
        valueStart = i
        if ((c === OPEN_BRACKET || c === OPEN_BRACE) && n >= REPEATED_MEMBER_BYTES) {
          const kept = repeatedMember(bytes, i, limit)
          if (kept) {
            // A member seen before, byte for byte: the same balanced value (repeatedMembers.ts).
            const end = i + kept.bytes.length
            if (kept.utf8) (utf8Known ??= []).push({ start: i, end })
            skippedAt = i
            closedAt = end
            i = end - 1
            continue
          }
          const from = c === OPEN_BRACKET ? resumeGrowing(bytes, i, limit) : null
          if (from) {
            // The previous call's member plus more (growingMembers.ts): on from inside it, between two elements.
            resumed = from
            resumedAt = i
            depth = 2
            i = valueStart + (from.end - from.start - 1) - 1
            continue
          }
        }
      } else if (c === QUOTE && (state === KEY || state === AFTER_COMMA)) {
        const close = skipString(bytes, i + 1)
        if (close >= n) return { tooDeep: false, model: null, members: null, utf8Known: null }
        key = { start: i, end: close + 1 }
        state = COLON_NEXT
        if (close - i === 6 && isModelKey(bytes, i + 1)) {
          // "model": a string value is spliceable; anything else never is.
          models++
          let j = skipSpace(bytes, close + 1)
          if (bytes[j] === COLON) j = skipSpace(bytes, j + 1)
          if (bytes[j] === QUOTE) {
            const end = skipString(bytes, j + 1)
            model = end < n ? { start: j, end: end + 1 } : null
          } else {
            model = null
            models++
          }
        }
        i = close
        continue
      } else if (c === COLON && state === COLON_NEXT) {
        state = VALUE
        continue
      } else if (!(c === CLOSE_BRACE && state === KEY)) members = null
    }
    // A second string, array or object in one top-level value (`"a": [1] [2]`): not JSON.
    if (depth === 1 && i !== valueStart && (c === QUOTE || c === OPEN_BRACE || c === OPEN_BRACKET)) members = null
    if (c === QUOTE) {
      i = skipString(bytes, i + 1)
      if (i >= n) return { tooDeep: false, model: null, members: null, utf8Known: null } // unterminated
      if (depth === 1) closedAt = i + 1
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return { tooDeep: true, model: null, members: null, utf8Known: null }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 1) closedAt = i + 1
      else if (depth === 0 && members !== null) {
        if (c !== CLOSE_BRACE || state === COLON_NEXT || state === VALUE || state === AFTER_COMMA) members = null
        else if (state === IN_VALUE) members = pushMember(members, bytes, key, valueStart, i, closedAt, skippedAt, limit, resumedAt === valueStart ? resumed : null)
        if (skipSpace(bytes, i + 1) !== n) members = null // text after the object
        state = KEY
      }
    } else if (c === COMMA && depth === 1 && members !== null) {
      members = pushMember(members, bytes, key, valueStart, i, closedAt, skippedAt, limit, resumedAt === valueStart ? resumed : null)
      state = AFTER_COMMA
    }
  }
  if (depth !== 0) members = null
  return { tooDeep: false, model: models === 1 && depth === 0 ? model : null, members, utf8Known }
}

/** The member whose value runs from `start` to just before `i`; null when a string, array or object value has more after it. */
function pushMember(members: Member[], bytes: Buffer, key: ByteRange, start: number, i: number, closedAt: number, skippedAt: number, limit: number, resumed: Grown | null): Member[] | null {
  const end = trimEnd(bytes, start, i)
  const first = bytes[start]
  if ((first === QUOTE || first === OPEN_BRACE || first === OPEN_BRACKET) && end !== closedAt) return null
  if ((first === OPEN_BRACE || first === OPEN_BRACKET) && start !== skippedAt && end - start >= REPEATED_MEMBER_BYTES) noteMember(bytes, start, end, limit)
  if (first === OPEN_BRACKET && start !== skippedAt) noteGrowing(bytes, start, end, limit, resumed)
  members.push({ key, start, end })
  return members
}

/** The end of a value that runs from `start` to just before `i`, spaces before `i` left out. */
function trimEnd(bytes: Buffer, start: number, i: number): number {
  let e = i
  while (e > start) {
    const c = bytes[e - 1] as number
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break
    e--
  }
  return e
}

/**
 * Index of the quote closing a string whose contents start at `i` (the length when there is none).
 * Found with Buffer#indexOf (native memchr, ~4× a byte loop over a Claude Code-sized body); a quote
 * after an odd run of backslashes is escaped.
 */
function skipString(bytes: Buffer, i: number): number {
  for (let q = bytes.indexOf(QUOTE, i); q >= 0; q = bytes.indexOf(QUOTE, q + 1)) {
    let k = q - 1
    while (k >= i && bytes[k] === BACKSLASH) k--
    if ((q - 1 - k) % 2 === 0) return q
  }
  return bytes.length
}

function skipSpace(bytes: Buffer, i: number): number {
  while (i < bytes.length) {
    const c = bytes[i] as number
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break
    i++
  }
  return i
}

// m o d e l
function isModelKey(b: Buffer, i: number): boolean {
  return b[i] === 0x6d && b[i + 1] === 0x6f && b[i + 2] === 0x64 && b[i + 3] === 0x65 && b[i + 4] === 0x6c
}

/** JSON.parse of UTF-8 bytes, as `JSON.parse(bytes.toString('utf8'))` gives it (invalid sequences become U+FFFD), faster. */
export function parseJsonBytes(bytes: Buffer): unknown {
  const latin1 = bytes.toString('latin1')
  if (isAscii(bytes)) return JSON.parse(latin1)
  const escaped = escapeHighRuns(bytes, latin1)
  if (escaped === null) return JSON.parse(bytes.toString('utf8'))
  try {
    return JSON.parse(escaped)
  } catch {
    return JSON.parse(bytes.toString('utf8')) // throws JSON.parse's own error, positions and all
  }
}

/** Runs seen before and their escapes: agents send the same few characters ("—", "→", "…") every call. */
const runEscapes = new Map<string, string>()
const MAX_RUNS = 4096
const MAX_RUN_LENGTH = 32

/**
 * The text with every run of bytes ≥ 0x80 (read as Latin-1) replaced by the `\uXXXX` escapes of what
 * the run decodes to as UTF-8: pure ASCII JSON that parses to the same value, so JSON.parse does all
 * the work in one pass. A run decodes alone as it would in place (ASCII bytes on both sides end any
 * sequence). Raw bytes can only sit inside strings in valid JSON, where an escape means the same;
 * elsewhere the escaped text is invalid too. Null after a backslash, where `\` + escape would turn
 * an invalid escape into a valid one: the caller decodes the plain way.
 */
function escapeHighRuns(bytes: Buffer, latin1: string): string | null {
  const find = highByteFinder(bytes)
  let out = ''
  let from = 0
  for (let i = find(0); i < bytes.length; i = find(from)) {
    if (bytes[i - 1] === BACKSLASH) return null
    let j = i + 1
    while (j < bytes.length && (bytes[j] as number) >= 0x80) j++
    const run = latin1.slice(i, j)
    let esc = runEscapes.get(run)
    if (esc === undefined) {
      esc = toEscapes(bytes.toString('utf8', i, j))
      if (run.length <= MAX_RUN_LENGTH) {
        if (runEscapes.size >= MAX_RUNS) runEscapes.clear()
        runEscapes.set(run, esc)
      }
    }
    out += latin1.slice(from, i) + esc
    from = j
  }
  return out + latin1.slice(from)
}

/**
 * `find(i)`: the index of the first byte ≥ 0x80 at or after i, else the length. Reads aligned 16-byte
 * blocks as four 32-bit words (one OR and one mask per block), bytes only around the hits: ~14 µs for
 * 110 KB where a regex over the Latin-1 string takes ~75 µs.
 */
function highByteFinder(b: Buffer): (i: number) => number {
  const n = b.length
  const head = (4 - (b.byteOffset & 3)) & 3
  const words = n >= 64 ? new Int32Array(b.buffer, b.byteOffset + head, (n - head) >> 2) : new Int32Array(0)
  const blocksEnd = head + ((words.length >> 2) << 4)
  return (i) => {
    while (i < n && (i < head || i >= blocksEnd || ((i - head) & 15) !== 0)) {
      if ((b[i] as number) >= 0x80) return i
      i++
    }
    let w = (i - head) >> 2
    const wEnd = (blocksEnd - head) >> 2
    for (; w < wEnd; w += 4) if ((((words[w] as number) | (words[w + 1] as number) | (words[w + 2] as number) | (words[w + 3] as number)) & 0x80808080) !== 0) break
    for (i = Math.max(i, head + (w << 2)); i < n; i++) if ((b[i] as number) >= 0x80) return i
    return n
  }
}

function toEscapes(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) out += '\\u' + text.charCodeAt(i).toString(16).padStart(4, '0')
  return out
}

/** `lastTopLevelMember`'s answer when the member cannot be read that way (absent, or the text is not shaped as expected). */
export const NOT_FOUND = Symbol('not found')

/**
 * The value of a top-level object member, parsed alone, without parsing the whole document: for the
 * `usage` of an upstream's answer, which the APIs put at (or near) the end of the body. Found as the
 * last `"key":` in the bytes (a key inside a JSON string would have escaped quotes), its value's end
 * by a string-aware bracket match, and accepted only if the text after it closes exactly the top-level
 * object: a nested member of that name, or anything unexpected, gives NOT_FOUND (parse it whole then).
 */
export function lastTopLevelMember(bytes: Buffer, key: string): unknown {
  const at = bytes.lastIndexOf(`"${key}"`)
  if (at < 0) return NOT_FOUND
  let i = skipSpace(bytes, at + key.length + 2)
  if (bytes[i] !== COLON) return NOT_FOUND
  const start = skipSpace(bytes, i + 1)
  const end = valueEnd(bytes, start)
  if (end < 0) return NOT_FOUND
  // What follows must close the top-level object and nothing more: depth 1 → 0 at the last byte that is not space.
  let depth = 1
  for (i = end; i < bytes.length; i++) {
    const c = bytes[i] as number
    if (c === QUOTE) i = skipString(bytes, i + 1)
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) break
    }
  }
  if (depth !== 0 || skipSpace(bytes, i + 1) !== bytes.length) return NOT_FOUND
  try {
    return parseJsonBytes(bytes.subarray(start, end))
  } catch {
    return NOT_FOUND
  }
}

/**
 * The byte ranges of the first `n` elements of the JSON array `bytes` (which starts with `[`), found
 * by bracket matching without parsing them; null when the text is not shaped as an array.
 */
export function arrayItems(bytes: Buffer, n: number, knownEnd?: KnownEnd): ByteRange[] | null {
  if (bytes[0] !== OPEN_BRACKET) return null
  const out: ByteRange[] = []
  let i = skipSpace(bytes, 1)
  if (bytes[i] === CLOSE_BRACKET) return out
  while (out.length < n) {
    const known = knownEnd && bytes[i] === OPEN_BRACE ? knownEnd(bytes, i, out.length) : -1
    const end = known > 0 ? known : valueEnd(bytes, i)
    if (end < 0) return null
    out.push({ start: i, end })
    i = skipSpace(bytes, end)
    if (bytes[i] === CLOSE_BRACKET) return out
    if (bytes[i] !== COMMA) return null
    i = skipSpace(bytes, i + 1)
  }
  return out
}

/**
 * Just past the object element `index` starting at `i` when its bytes there are those of an object
 * the caller knows (one it read before), else -1: the walk steps over it without scanning it. An
 * object's bytes end at its closing brace, so a known object found at `i` is the whole element.
 */
export type KnownEnd = (bytes: Buffer, i: number, index: number) => number

/** The index just past the JSON value starting at `i` (an object, array, string or scalar), or -1. */
function valueEnd(bytes: Buffer, i: number): number {
  const n = bytes.length
  const c = bytes[i]
  if (c === QUOTE) {
    const close = skipString(bytes, i + 1)
    return close < n ? close + 1 : -1
  }
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
    // A scalar: up to the next separator.
    let j = i
    while (j < n && bytes[j] !== 0x2c && bytes[j] !== CLOSE_BRACE && bytes[j] !== CLOSE_BRACKET) j++
    return j > i ? j : -1
  }
  let depth = 0
  for (; i < n; i++) {
    const b = bytes[i] as number
    if (b === QUOTE) i = skipString(bytes, i + 1)
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      if (--depth === 0) return i + 1
    }
  }
  return -1
}
