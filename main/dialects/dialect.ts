/**
 * The shape every wire dialect implements: conversions to and from canonical types, named by direction.
 * Stream translators are factories returning a small synchronous push interface (the hot path: no
 * WHATWG streams, no promises); each stream keeps its own state in the closure.
 */
import type { ChatError, ChatEvent, ChatRequest, ChatResponse, DialectId } from './canonical.ts'
import type { JsonObject } from './json.ts'
import type { SseEvent } from './sse.ts'

/** What the gateway knows about the upstream when writing a request for it. */
export type UpstreamOptions = {
  /** The model name the upstream gets (the route's), instead of the one the caller wrote. */
  model?: string
  /**
   * Forward reasoning settings (effort, thinking budget, summaries). Off by default: models without
   * reasoning reject these fields, so only turn it on for models known to take them.
   */
  reasoning?: boolean
  /** OpenAI chat: send earlier thinking back as `reasoning_content` (DeepSeek tool loops). Off by default. */
  echoReasoning?: boolean
  /** The upstream model's output limit: larger `maxTokens` are lowered to it. */
  maxOutputTokens?: number
  /** Anthropic requires `max_tokens`: used when the caller set none (default 4096). */
  defaultMaxTokens?: number
  /** OpenAI chat: the field that carries `maxTokens` (default `max_tokens`, which every compatible server takes). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens'
}

/** What the caller's side of a response needs to know. */
export type ReplyOptions = {
  /** The caller's canonical request: stream usage wish, tool namespaces. */
  request?: ChatRequest
  /** Epoch ms, for `created` fields when the upstream gave none (the translation reads no clock). */
  createdAt?: number
  /** The model name to show the caller (e.g. the alias it asked for); default: the upstream's. */
  model?: string
  /** false: OpenAI chat answers from Anthropic keep its content blocks and stop reasons (`anthropicChatExtras.ts`). */
  strictOpenAiCompliance?: boolean
  /** Input tokens to announce before the upstream reports any (Anthropic's `message_start`); an estimate. */
  inputTokens?: number
}

/**
 * A stream's common event as text: an upstream event is exactly `prefix` + one JSON string literal +
 * `suffix` (blank line included) and means one text delta into canonical block `index`; the caller's
 * event for such a delta is `head` + the same literal + `tail`. Lets a translated stream copy that
 * event's text without parsing it (dialects/translate.ts, textLane).
 */
export type TextLaneIn = { prefix: string; suffix: string; index: number }
export type TextLaneOut = { head: string; tail: string }

export type StreamToCanonical = {
  push(e: SseEvent): ChatEvent[]
  end(): ChatEvent[]
  /** The lane while a template event would give exactly one text delta (or none, empty) and change nothing else; else null. */
  textLane?(): TextLaneIn | null
}
export type StreamFromCanonical = {
  push(e: ChatEvent): SseEvent[]
  end(): SseEvent[]
  /** The caller's text around a text delta's literal for canonical block `index`, when push writes exactly that; else null. */
  textLane?(index: number): TextLaneOut | null
}

export type Dialect = {
  id: DialectId
  request: {
    /** Throws GatewayError('invalid_request') when the body is not this dialect's request at all. */
    toCanonical(body: unknown): ChatRequest
    fromCanonical(r: ChatRequest, o?: UpstreamOptions): JsonObject
  }
  response: {
    toCanonical(body: unknown): ChatResponse
    fromCanonical(r: ChatResponse, o?: ReplyOptions): JsonObject
  }
  stream: {
    toCanonical(): StreamToCanonical
    fromCanonical(o?: ReplyOptions): StreamFromCanonical
    /**
     * True for an event that, by its name alone, carries no usage, no end of the stream and no error
     * (a text or argument delta): a passthrough stream, which reads only those, does not parse it.
     */
    usageFree?(e: SseEvent): boolean
  }
  error: {
    /** An upstream error body (HTTP error, or an in-stream error event with `status` 0). */
    toCanonical(status: number, body: unknown): ChatError
    fromCanonical(e: ChatError): { status: number; body: JsonObject }
  }
}
