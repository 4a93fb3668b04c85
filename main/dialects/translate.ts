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

  return {
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

/** Portkey's non-strict mode applies to OpenAI chat answers from Anthropic. */
function loose(upstream: DialectId, caller: DialectId, o: ReplyOptions | undefined): boolean {
  return o?.strictOpenAiCompliance === false && upstream === 'anthropic' && caller === 'openai'
}
