/**
 * The bytes a body object goes out as. A passthrough call whose body differs from the caller's only
 * in the model name is sent as the caller's own bytes with that one string spliced in, instead of
 * re-serialising the whole object (for a Claude Code-sized request, ~100 KB of tools and system
 * prompt, that is most of the gateway's own CPU). Every other body is serialised as before.
 *
 * `keepRaw` (parse) remembers the bytes a body was parsed from; `forwardWithModel` (translate)
 * hands those bytes, model replaced, to the outgoing body; `wireBody` (callProvider) sends them.
 * Bodies are keyed by identity: a stage that rewrites the body (guardrail redaction, config
 * overrides) makes a new object, which has no bytes remembered and is serialised. A spliced body
 * stays three pieces (before the model, the model, after it) that go out in one writev: no copy of
 * the caller's 100 KB.
 */
import { isUtf8 } from 'node:buffer'
import { hiddenSlot } from './hiddenSlot.ts'
import { scanJson, type ByteRange } from './jsonBytes.ts'

/**
 * A body's bytes, in order (one piece unless spliced), where the top-level model string is in them
 * (from parse's scan; null: not spliceable), and ranges of them already known to be valid UTF-8 (the
 * scan's repeated members, checked when first kept; null: none).
 */
type Raw = { parts: readonly Buffer[]; model: ByteRange | null; utf8Known: readonly ByteRange[] | null }

/**
 * Where a body keeps its bytes: a hidden slot (hiddenSlot.ts), which spread, Object.keys,
 * JSON.stringify and structuredClone all leave out. Not a WeakMap: V8's scavenger keeps a WeakMap's
 * values alive until a full GC, so every request's bytes (100 KB for an agent's call) were promoted
 * to the old generation and freed only by mark-compacts.
 */
const slot = hiddenSlot<Raw>()

const raws = {
  get: slot.get,
  set(body: object, raw: Raw): void {
    if (Object.isExtensible(body)) slot.set(body, raw)
  },
}

export function keepRaw(body: object, bytes: Buffer, model: ByteRange | null, utf8Known: readonly ByteRange[] | null = null): void {
  raws.set(body, { parts: [bytes], model, utf8Known })
}

/**
 * `outgoing` is `{ ...body, model }` and nothing else changed: give it `body`'s bytes with the
 * model spliced in, when `body` came straight from the caller's bytes and the splice is exact.
 */
export function forwardWithModel(body: object, outgoing: object, model: string): void {
  const raw = raws.get(body)
  const bytes = raw?.parts.length === 1 ? raw.parts[0] : undefined
  // Bytes that are not UTF-8 were parsed with replacement characters: only re-serialising sends those.
  if (!raw || !bytes || !utf8(bytes, raw.utf8Known)) return
  // The caller already named the upstream's model: its bytes are the body as they are.
  if ((body as { model?: unknown }).model === model) return void raws.set(outgoing, raw)
  if (raw.model && valueAt(bytes, raw.model) === (body as { model?: unknown }).model) raws.set(outgoing, { parts: spliceParts(bytes, raw.model, model), model: null, utf8Known: null })
}

/**
 * `bytes` is valid UTF-8, checking only what lies outside `known` (ranges in order, each valid). They
 * are whole JSON values starting and ending on ASCII brackets, so the pieces between them start and
 * end on character boundaries too: checked apart, they are valid exactly when the whole is.
 */
function utf8(bytes: Buffer, known: readonly ByteRange[] | null): boolean {
  if (!known) return isUtf8(bytes)
  let from = 0
  for (const r of known) {
    if (r.start > from && !isUtf8(bytes.subarray(from, r.start))) return false
    from = r.end
  }
  return from >= bytes.length || isUtf8(bytes.subarray(from))
}

/** The bytes `body` goes out as, in pieces to be written in order. */
export function wireParts(body: object): readonly Buffer[] {
  return raws.get(body)?.parts ?? [Buffer.from(JSON.stringify(body))]
}

/** The bytes `body` goes out as, in one buffer (a copy only for a spliced body). */
export function wireBody(body: object): Buffer {
  const parts = wireParts(body)
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)
}

/**
 * `raw` (a JSON object) with the string value of its one top-level `"model"` member replaced by
 * `model`; null when there is no such member, more than one, its value is not a string, or the text
 * is not shaped as expected (then the caller serialises the object instead).
 */
export function spliceModel(raw: Buffer, model: string): Buffer | null {
  const at = scanJson(raw, Number.POSITIVE_INFINITY).model
  return at ? Buffer.concat(spliceParts(raw, at, model)) : null
}

function spliceParts(raw: Buffer, at: ByteRange, model: string): Buffer[] {
  return [raw.subarray(0, at.start), Buffer.from(JSON.stringify(model)), raw.subarray(at.end)]
}

/** The string at `at`, decoded: what the splice replaces must be the model the body was parsed with (JSON.parse keeps the last of duplicate keys). */
function valueAt(raw: Buffer, at: ByteRange): unknown {
  try {
    return JSON.parse(raw.toString('utf8', at.start, at.end))
  } catch {
    return undefined
  }
}
