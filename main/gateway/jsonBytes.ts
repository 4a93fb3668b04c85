/**
 * Request and response bodies are UTF-8 JSON bytes; these read them without the two costs that made a
 * Claude Code-sized request (~100 KB of system prompt and tools) cost ten times a small one:
 *
 *  - `parseJsonBytes`: V8 decodes UTF-8 that holds characters beyond Latin-1 (Claude Code's prompt has
 *    "—", "→", "…") at ~100 MB/s, 1.2 ms for 110 KB, then parses a two-byte string. JSON's structure
 *    is ASCII and UTF-8 never puts a byte below 0x80 inside a multi-byte character, so the bytes are
 *    parsed as Latin-1 (a copy, ~13 µs) and only the strings that hold bytes ≥ 0x80 are decoded as
 *    UTF-8 afterwards. Exact unless the text also spells characters 0x80–0xFF as `\u00XX` escapes
 *    (those would be indistinguishable from raw bytes): such a body takes the plain path.
 *  - `scanJson`: one pass over the bytes that refuses nesting deeper than a limit as soon as it is
 *    seen (before JSON.parse spends seconds on a 32 MB `[[[[…`) and notes where the one top-level
 *    `"model"` string is, so a passthrough can splice the upstream's model in without a second pass.
 */
import { isAscii } from 'node:buffer'

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
}

export function scanJson(bytes: Buffer, limit: number): JsonScan {
  const n = bytes.length
  let depth = 0
  let models = 0
  let model: ByteRange | null = null
  for (let i = 0; i < n; i++) {
    const c = bytes[i] as number
    if (c === QUOTE) {
      const from = i
      i = skipString(bytes, i + 1)
      if (i >= n) return { tooDeep: false, model: null } // unterminated
      if (depth !== 1 || i - from !== 6 || !isModelKey(bytes, from + 1)) continue
      // "model" at the top level: a key when a colon follows (a string value "model" is not).
      let j = skipSpace(bytes, i + 1)
      if (bytes[j] !== COLON) continue
      models++
      j = skipSpace(bytes, j + 1)
      if (bytes[j] !== QUOTE) {
        model = null
        models++ // not a string: never spliced
        continue
      }
      const close = skipString(bytes, j + 1)
      if (close >= n) return { tooDeep: false, model: null }
      model = { start: j, end: close + 1 }
      i = close
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return { tooDeep: true, model: null }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--
  }
  return { tooDeep: false, model: models === 1 && depth === 0 ? model : null }
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
  if (isAscii(bytes)) return JSON.parse(bytes.toString('latin1'))
  if (escapesLatin1(bytes)) return JSON.parse(bytes.toString('utf8'))
  return decodeStrings(JSON.parse(bytes.toString('latin1')))
}

const ESCAPE_U00 = Buffer.from('\\u00')

/** `\u0080`–`\u00FF` somewhere (or text that looks like it): the Latin-1 route could not tell those from raw bytes. */
function escapesLatin1(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(ESCAPE_U00); at >= 0; at = bytes.indexOf(ESCAPE_U00, at + 1)) {
    const h = bytes[at + 4] as number
    if ((h >= 0x38 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66)) return true
  }
  return false
}

const HIGH = /[\x80-\xff]/
const HIGH_AT = /[\x80-\xff]/g

/**
 * A string read as Latin-1 from UTF-8 bytes, decoded: only its runs of bytes ≥ 0x80 go through the
 * (slow) UTF-8 decoder; the ASCII between them is kept as is. The same as decoding the whole: a
 * multi-byte character is one such run, and an ASCII byte ends a broken one either way.
 */
function utf8(latin1: string): string {
  let out = ''
  let from = 0
  HIGH_AT.lastIndex = 0
  for (let m = HIGH_AT.exec(latin1); m; m = HIGH_AT.exec(latin1)) {
    const i = m.index
    let j = i + 1
    while (j < latin1.length && latin1.charCodeAt(j) >= 0x80) j++
    out += latin1.slice(from, i) + Buffer.from(latin1.slice(i, j), 'latin1').toString('utf8')
    from = HIGH_AT.lastIndex = j
  }
  return out + latin1.slice(from)
}

/** Re-decodes, as UTF-8, every string and key of a value parsed from Latin-1 that holds bytes ≥ 0x80. Iterative: no depth limit. */
function decodeStrings(root: unknown): unknown {
  if (typeof root === 'string') return HIGH.test(root) ? utf8(root) : root
  if (root === null || typeof root !== 'object') return root
  const stack: object[] = [root]
  while (stack.length > 0) {
    const v = stack.pop() as Record<string, unknown> | unknown[]
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i]
        if (typeof x === 'string') {
          if (HIGH.test(x)) v[i] = utf8(x)
        } else if (x !== null && typeof x === 'object') stack.push(x)
      }
      continue
    }
    const keys = Object.keys(v)
    let renamed = false
    for (const k of keys) {
      if (HIGH.test(k)) renamed = true
      const x = v[k]
      if (typeof x === 'string') {
        // defineProperty, not assignment: an own "__proto__" key (JSON.parse makes one) must stay a plain property.
        if (HIGH.test(x)) Object.defineProperty(v, k, { value: utf8(x), writable: true, enumerable: true, configurable: true })
      } else if (x !== null && typeof x === 'object') stack.push(x)
    }
    if (renamed) {
      // Keys are rewritten in their order (JSON.parse's member order is what callers see re-serialised).
      const entries = keys.map((k) => [HIGH.test(k) ? utf8(k) : k, v[k]] as const)
      for (const k of keys) delete v[k]
      for (const [k, x] of entries) Object.defineProperty(v, k, { value: x, writable: true, enumerable: true, configurable: true })
    }
  }
  return root
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
