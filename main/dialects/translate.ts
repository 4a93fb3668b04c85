/**
 * Translation between the caller's dialect and the upstream's, always through canonical types:
 * request body caller → upstream, response body and error upstream → caller, and a per-stream translator
 * upstream SseEvents → ChatEvents → caller SseEvents. Same dialect on both sides is identity (bytes are
 * passed through; the stream translator then only reads usage). Pure: no I/O, no clock.
 */
import { anthropic } from './anthropic/anthropic.ts'
import { addAnthropicExtras, createChatExtrasStream } from './anthropicChatExtras.ts'
import type { ChatError, ChatEvent, ChatRequest, ChatUsage, DialectId } from './canonical.ts'
import { converse } from './converse/converse.ts'
import type { Dialect, ReplyOptions, UpstreamOptions } from './dialect.ts'
import { gemini } from './gemini/gemini.ts'
import type { JsonObject } from './json.ts'
import { isObject } from './json.ts'
import { openai } from './openai/openai.ts'
import { responses } from './responses/responses.ts'
import type { SseEvent } from './sse.ts'

export const dialects: Record<DialectId, Dialect> = { openai, anthropic, responses, gemini, converse }

/**
 * The caller's body as canonical (for token estimates, limits and `ReplyOptions.request`) and as the
 * upstream's body. With equal dialects the body is returned as it came (only `model` may be replaced).
 */
export function translateRequest(
  body: unknown,
  caller: DialectId,
  upstream: DialectId,
  o?: UpstreamOptions,
): { request: ChatRequest; body: JsonObject } {
  const request = dialects[caller].request.toCanonical(body)
  if (caller === upstream && isObject(body)) return { request, body: o?.model ? { ...body, model: o.model } : body }
  const target = o?.model ? { ...request, model: o.model } : request
  return { request, body: dialects[upstream].request.fromCanonical(target, o) }
}

/** A non-streamed upstream body in the caller's dialect, with its usage in canonical form. */
export function translateResponse(
  body: unknown,
  upstream: DialectId,
  caller: DialectId,
  o?: ReplyOptions,
): { body: unknown; usage: ChatUsage } {
  const response = dialects[upstream].response.toCanonical(body)
  if (caller === upstream) return { body, usage: response.usage }
  const out = dialects[caller].response.fromCanonical(response, o)
  return { body: loose(upstream, caller, o) ? addAnthropicExtras(out, body) : out, usage: response.usage }
}

/** An upstream HTTP error (status ≥ 400) in the caller's dialect. */
export function translateError(
  status: number,
  body: unknown,
  upstream: DialectId,
  caller: DialectId,
): { status: number; body: unknown } {
  const error = dialects[upstream].error.toCanonical(status, body)
  return caller === upstream ? { status, body } : dialects[caller].error.fromCanonical(error)
}

export type StreamTranslator = {
  /** One parsed upstream event in, the caller's events out (often none, sometimes several). */
  push(e: SseEvent): SseEvent[]
  /** The upstream stream ended: closes what is still open (a cut-off stream becomes an error event). */
  end(): SseEvent[]
  /** Ends the stream with an error from outside (timeout, upstream gone), in the caller's dialect. */
  fail(error: ChatError): SseEvent[]
  /** The last usage the upstream reported, or null. */
  usage(): ChatUsage | null
  /**
   * For `SseParser.pushLane`: reads the upstream event at `at` in `text` when it is the stream's common
   * text delta, appends the caller's event for it to `out.text`, and returns where it ended; else -1
   * (then it is pushed as usual). Null when the dialects have no such lane.
   */
  lane: ((text: string, at: number, out: { text: string }) => number) | null
}

export function createStreamTranslator(upstream: DialectId, caller: DialectId, o?: ReplyOptions): StreamTranslator {
  const from = dialects[upstream].stream.toCanonical()
  const identity = caller === upstream
  // Passthrough reads only usage, the end and errors: the deltas between are not parsed.
  const skip = identity ? (dialects[upstream].stream.usageFree ?? null) : null
  const to = dialects[caller].stream.fromCanonical(o)
  const extras = loose(upstream, caller, o) ? createChatExtrasStream() : null
  let usage: ChatUsage | null = null
  let finished = false

  function relay(events: ChatEvent[]): SseEvent[] {
    // One text delta in, the caller's events for it out as they are (nearly every chunk of a stream).
    if (events.length === 1 && !identity && (events[0] as ChatEvent).type === 'text_delta') return to.push(events[0] as ChatEvent)
    const out: SseEvent[] = []
    for (const e of events) {
      if (e.type === 'usage') usage = e.usage
      else if (e.type === 'message_stop' || e.type === 'error') finished = true
      if (!identity) for (const s of to.push(e)) out.push(s)
    }
    return out
  }

  /**
   * The common event of a chat stream written as the caller's without parsing it: what push gives for
   * it (from's template shows the event is one text delta; to writes the same literal), ~10x cheaper.
   */
  function lane(text: string, at: number, out: { text: string }): number {
    const a = from.textLane?.()
    if (!a) return -1
    const b = to.textLane?.(a.index)
    if (!b) return -1
    const q = at + a.prefix.length
    if (text.length < q + 2 + a.suffix.length || text.slice(at, q) !== a.prefix) return -1
    const end = literalEnd(text, q)
    if (end < 0 || text.slice(end, end + a.suffix.length) !== a.suffix) return -1
    // `""`: push gives no event for an empty text.
    if (end - q > 2) out.text += b.head + text.slice(q, end) + b.tail
    return end + a.suffix.length
  }

  return {
    lane: !identity && !extras && from.textLane && to.textLane ? lane : null,
    push(e) {
      if (skip?.(e)) return [e]
      const out = relay(from.push(e))
      return identity ? [e] : extras ? extras.push(e, out) : out
    },
    end() {
      return identity ? [] : [...relay(from.end()), ...to.end()]
    },
    fail(error) {
      if (finished) return []
      finished = true
      return to.push({ type: 'error', error })
    },
    usage: () => usage,
  }
}

/**
 * Where the JSON string literal starting at `from` in `s` ends (after its closing quote), or -1 when
 * there is none there or it is not well-formed (a raw control character, an unknown escape): then
 * JSON.parse has the last word.
 */
export function literalEnd(s: string, from: number): number {
  if (s.charCodeAt(from) !== 34) return -1
  for (let i = from + 1; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 34) return i + 1
    if (c < 32) return -1
    if (c !== 92) continue
    const x = s.charCodeAt(++i)
    if (x === 117) {
      for (let k = 0; k < 4; k++) if (!isHex(s.charCodeAt(++i))) return -1
    } else if (x !== 34 && x !== 92 && x !== 47 && x !== 98 && x !== 102 && x !== 110 && x !== 114 && x !== 116) return -1
  }
  return -1
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
}

/** Portkey's non-strict mode applies to OpenAI chat answers from Anthropic. */
function loose(upstream: DialectId, caller: DialectId, o: ReplyOptions | undefined): boolean {
  return o?.strictOpenAiCompliance === false && upstream === 'anthropic' && caller === 'openai'
}
