/**
 * The bytes a body object goes out as. A passthrough call whose body differs from the caller's only
 * in the model name is sent as the caller's own bytes with that one string spliced in, instead of
 * re-serialising the whole object (for a Claude Code-sized request, ~100 KB of tools and system
 * prompt, that is most of the gateway's own CPU). Every other body is serialised as before.
 *
 * `keepRaw` (parse) remembers the bytes a body was parsed from; `forwardWithModel` (translate)
 * hands those bytes, model replaced, to the outgoing body; `wireBody` (callProvider) sends them.
 * Bodies are keyed by identity: a stage that rewrites the body (guardrail redaction, config
 * overrides) makes a new object, which has no bytes remembered and is serialised.
 */
import { isUtf8 } from 'node:buffer'

const raws = new WeakMap<object, Buffer>()

export function keepRaw(body: object, raw: Buffer): void {
  raws.set(body, raw)
}

/**
 * `outgoing` is `{ ...body, model }` and nothing else changed: give it `body`'s bytes with the
 * model spliced in, when `body` came straight from the caller's bytes and the splice is exact.
 */
export function forwardWithModel(body: object, outgoing: object, model: string): void {
  const raw = raws.get(body)
  // Bytes that are not UTF-8 were parsed with replacement characters: only re-serialising sends those.
  if (!raw || !isUtf8(raw)) return
  // The caller already named the upstream's model: its bytes are the body as they are.
  if ((body as { model?: unknown }).model === model) return void raws.set(outgoing, raw)
  const spliced = spliceModel(raw, model)
  if (spliced) raws.set(outgoing, spliced)
}

export function wireBody(body: object): Buffer {
  return raws.get(body) ?? Buffer.from(JSON.stringify(body))
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const COLON = 0x3a
const MODEL_KEY = Buffer.from('"model"')

/**
 * `raw` (a JSON object) with the string value of its one top-level `"model"` member replaced by
 * `model`; null when there is no such member, more than one, its value is not a string, or the text
 * is not shaped as expected (then the caller serialises the object instead). One pass over the
 * bytes; string contents are skipped without being decoded.
 */
export function spliceModel(raw: Buffer, model: string): Buffer | null {
  const n = raw.length
  let depth = 0
  let start = -1
  let end = -1
  for (let i = 0; i < n; i++) {
    const c = raw[i]
    if (c === QUOTE) {
      const from = i
      i = closingQuote(raw, i + 1)
      if (i < 0) return null
      if (depth !== 1 || i - from !== 6 || raw.compare(MODEL_KEY, 0, 7, from, i + 1) !== 0) continue
      // A top-level "model": it must be a key (a colon follows) holding a string.
      let j = i + 1
      while (j < n && isSpace(raw[j] as number)) j++
      if (raw[j] !== COLON) continue
      j++
      while (j < n && isSpace(raw[j] as number)) j++
      if (raw[j] !== QUOTE || start >= 0) return null // not a string, or a second "model"
      start = j
      j = closingQuote(raw, j + 1)
      if (j < 0) return null
      end = j + 1
      i = j
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--
  }
  if (start < 0 || depth !== 0) return null
  return Buffer.concat([raw.subarray(0, start), Buffer.from(JSON.stringify(model)), raw.subarray(end)])
}

/**
 * The index of the quote that closes a string whose contents start at `from`, or -1. Found with
 * indexOf (native, memchr-fast) rather than byte by byte: string contents are most of a large body.
 * A quote preceded by an odd run of backslashes is escaped.
 */
function closingQuote(raw: Buffer, from: number): number {
  for (let q = raw.indexOf(QUOTE, from); q >= 0; q = raw.indexOf(QUOTE, q + 1)) {
    let slashes = 0
    while (q - 1 - slashes >= from && raw[q - 1 - slashes] === BACKSLASH) slashes++
    if (slashes % 2 === 0) return q
  }
  return -1
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}
