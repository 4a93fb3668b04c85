/**
 * Stage 6: sends the upstream's answer to the client in the client's dialect and resolves with the
 * `Outcome` exactly once: when the response ends, the upstream breaks, or the client goes away.
 * - Same dialect: bytes pass through untouched while a tap reads usage (OpenAI chat streams may have
 *   usage requested on the client's behalf, which the tap then hides).
 * - Different dialects: upstream SSE → canonical events → the caller's SSE, event by event; whole
 *   bodies and errors through canonical types (`dialects/translate.ts`).
 * Streams go out as they arrive (headers flushed at once); a non-streamed answer, one JSON document,
 * goes out in a single write.
 */
import type { CallerDialectId, ChatRequest, ChatUsage, DialectId } from '../dialects/canonical.ts'
import { chatError, chatErrorFromGateway } from '../dialects/chatError.ts'
import { anthropicUsageToCanonical } from '../dialects/anthropic/response.ts'
import { createOpenAIStreamTap } from '../dialects/openai/streamTap.ts'
import { noUsage, usageFromOpenAI } from '../dialects/openai/usage.ts'
import { renderError, type StreamPosition } from '../dialects/renderError.ts'
import { sse, type SseEvent } from '../dialects/sse.ts'
import { createStreamTranslator, dialects, translateError, translateResponse } from '../dialects/translate.ts'
import { scrubberFor, type ChunkScrubber, type Scrubber } from '../scrubber.ts'
import type { UpstreamResponse } from './callProvider.ts'
import type { ReplyOptions } from '../dialects/dialect.ts'
import { announcedInput } from './announcedInput.ts'
import { createDeliveredCounter, type DeliveredCounter } from './deliveredTokens.ts'
import { GatewayError } from './GatewayError.ts'
import { lastTopLevelMember, NOT_FOUND, parseJsonBytes } from './jsonBytes.ts'
import { createModelRewriter, rewriteModel, shownModel } from './showModel.ts'
import type { Call, GatewayResponse, Outcome, Route, Usage } from './types.ts'

const MAX_TAPPED_BODY = 16 * 1024 * 1024

type Timing = {
  startedAt: number
  extraHeaders: Record<string, string>
  /** Output guardrails on a non-streamed answer (caller's dialect): the body to send, or a GatewayError thrown to refuse it. */
  inspectBody?: ((body: Buffer) => Buffer) | undefined
  /**
   * Called with the outcome synchronously, before the answer's last byte is written: the usage row is
   * committed before the client can see the call finish, so a crash never loses an answered call.
   */
  record?: ((o: Outcome) => void) | undefined
  /** Writes the answer's last bytes once the recorded row is crash-safe (UsageWriter.afterJournal); at once when absent. */
  afterRecord?: ((write: () => void) => void) | undefined
}

const now = (write: () => void) => write()
type Finish = (o: Omit<Outcome, 'ttfbMs' | 'latencyMs'>) => void

/**
 * Every byte toward the client goes through here: scrubbed (a secret split across chunks included),
 * and counted, so a client that leaves is charged what it was sent.
 */
type Out = {
  write(chunk: Buffer | string): void
  end(chunk?: Buffer | string): void
  delivered: DeliveredCounter
  /** Something was written or the end requested (the head went out with it or will). */
  wrote: boolean
}

function clientOut(res: GatewayResponse, scrubber: ChunkScrubber, afterRecord: (write: () => void) => void): Out {
  const delivered = createDeliveredCounter()
  const live = () => !res.writableEnded && !res.destroyed
  const out: Out = {
    delivered,
    wrote: false,
    write(chunk) {
      const clean = scrubber.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
      if (clean.length && live()) {
        delivered.push(clean)
        res.write(clean)
        out.wrote = true
      }
    },
    end(chunk) {
      out.wrote = true
      const clean = chunk === undefined || chunk.length === 0 ? Buffer.alloc(0) : scrubber.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
      const rest = scrubber.end()
      const last = rest.length ? Buffer.concat([clean, rest]) : clean
      afterRecord(() => {
        if (live()) res.end(last.length ? last : undefined)
      })
    },
  }
  return out
}

export function streamBack(
  upstream: UpstreamResponse,
  call: Call,
  route: Route,
  canonical: ChatRequest | null,
  res: GatewayResponse,
  t: Timing,
): Promise<Outcome> {
  const status = upstream.status
  const scrubber = scrubberFor(route.headers)
  if (status >= 400) return relayError(upstream, status, call, route, res, t, scrubber)
  const isStream = call.stream && String(upstream.headers['content-type']).includes('text/event-stream')
  const headers: Record<string, string | string[]> = { ...t.extraHeaders }
  // Each SDK reads its own request-id header (OpenAI `x-request-id`, Anthropic `request-id`): keep both.
  const requestId = upstream.headers['x-request-id'] ?? upstream.headers['request-id']
  if (requestId) headers['x-request-id'] = requestId
  if (upstream.headers['request-id']) headers['request-id'] = upstream.headers['request-id']
  const contentType = upstream.headers['content-type']
  if (route.translate) headers['content-type'] = isStream ? 'text/event-stream; charset=utf-8' : 'application/json'
  else if (contentType) headers['content-type'] = contentType
  const reply = { request: canonical ?? undefined, createdAt: Date.now(), model: call.model, strictOpenAiCompliance: route.strictOpenAiCompliance !== false, ...announcedInput(call, route) }

  return new Promise<Outcome>((resolve) => {
    let ttfbMs: number | null = null
    let settled = false
    const finish: Finish = (o) => {
      if (settled) return
      settled = true
      const outcome: Outcome = { ...o, error: o.error === null ? null : scrubber.text(o.error), ttfbMs, latencyMs: Math.round(performance.now() - t.startedAt) }
      t.record?.(outcome)
      // Resolved with the last bytes: they are written from afterRecord too, registered right after this.
      ;(t.afterRecord ?? now)(() => resolve(outcome))
    }
    const firstByte = () => (ttfbMs ??= Math.round(performance.now() - t.startedAt))
    if (!isStream) return relayBody(upstream, call, route, reply, res, headers, status, firstByte, finish, scrubber, t.inspectBody, t.afterRecord ?? now)
    headers['cache-control'] = 'no-cache'
    headers['x-accel-buffering'] = 'no'
    res.writeHead(status, headers)
    const out = clientOut(res, scrubber.stream(), t.afterRecord ?? now)
    // The head goes out with the first event when that came in the same read (one write, not two);
    // otherwise at the end of this turn, so a client still sees the status before the model speaks.
    setImmediate(flushHead, res, out)
    if (!route.translate && route.dialect === 'openai') return relayOpenAIStream(upstream, call, route, res, out, status, firstByte, finish)
    relayEventStream(upstream, call, route, reply, res, out, status, firstByte, finish)
  })
}

function flushHead(res: GatewayResponse, out: Out): void {
  if (!out.wrote && !res.writableEnded && !res.destroyed) res.flushHeaders()
}

/** What a client that left was sent: the tokens delivered, the input at its estimate (recordUsage), never zero. */
function deliveredUsage(reported: Usage, out: Out): Usage {
  return { ...reported, outputTokens: Math.max(reported.outputTokens ?? 0, out.delivered.tokens()) }
}

/** OpenAI chat passthrough: the cheapest path, a byte tap that never re-encodes unless it must hide usage. */
function relayOpenAIStream(upstream: UpstreamResponse, call: Call, route: Route, res: GatewayResponse, out: Out, status: number, firstByte: () => void, finish: Finish): void {
  const tap = createOpenAIStreamTap({ hideUsage: route.injectStreamUsage })
  const usageNow = () => tap.usage() ?? noUsage
  // The last bytes seen, to tell a finished stream (`data: [DONE]`) from one cut short.
  const shown = shownModel(call, route)
  const rename = shown ? createModelRewriter(shown) : null
  let tail = ''
  upstream.body.subscribe({
    data(chunk) {
      firstByte()
      tail = (tail + chunk.toString('latin1', Math.max(0, chunk.length - 32))).slice(-32)
      const o = rename ? rename.push(tap.push(chunk)) : tap.push(chunk)
      if (o.length) out.write(o)
    },
    end() {
      const rest = rename ? rename.push(tap.end()) + rename.end() : tap.end()
      const error = tap.error() ?? (/data:\s*\[DONE\]\s*$/.test(tail) ? null : 'the upstream stream ended without its terminator')
      finish({ status: error ? 502 : status, usage: usageNow(), error })
      out.end(rest)
    },
    error(err) {
      const e = asGatewayError(err, route)
      finish({ status: 502, usage: usageNow(), error: e.message })
      out.end(sse.write(renderError[call.dialect as CallerDialectId].stream(e)))
    },
  })
  onClientGone(res, upstream, () => finish({ status: 499, usage: deliveredUsage(usageNow(), out), usageSource: 'delivered', error: 'client closed the request' }))
}

/**
 * Every other stream: parsed into events. Passthrough writes the upstream's bytes and only reads the
 * events for usage; translation writes the caller's events.
 */
function relayEventStream(
  upstream: UpstreamResponse,
  call: Call,
  route: Route,
  reply: ReplyOptions,
  res: GatewayResponse,
  out: Out,
  status: number,
  firstByte: () => void,
  finish: Finish,
): void {
  const parser = sse.parser()
  const translator = createStreamTranslator(route.dialect, call.dialect, reply)
  let streamError: string | null = null
  let terminated = false
  // Passthrough Responses: the events so far and the first response object, so that a stream the upstream
  // cuts short still ends the way OpenAI ends a failed one (`error`, then `response.failed`, which Codex reads).
  const seen: StreamPosition = { events: 0, created: null }
  const write = (events: SseEvent[]) => {
    if (!route.translate || events.length === 0) return
    out.write(sse.write(events))
  }
  const read = (e: SseEvent): SseEvent[] => {
    seen.events++
    if (seen.created === null && e.event === 'response.created') seen.created = e.data
    if (e.event === 'error' || e.event === 'response.failed' || isInBandError(e)) streamError ??= errorText(e.data)
    if (isTerminator(route.dialect, e)) terminated = true
    return translator.push(e)
  }
  // The caller's events from one upstream chunk go out in one write: a write per event was a system call each.
  const feed = (events: SseEvent[]) => {
    let translated: SseEvent[] = []
    for (const e of events) {
      const out = read(e)
      if (translated.length === 0) translated = out
      else for (const x of out) translated.push(x)
    }
    write(translated)
  }
  // A translated chunk's common text deltas are copied as text (translator.lane), the other events read
  // as above, in stream order, into one string: one write per chunk still.
  const lane = route.translate ? translator.lane : null
  const text = { text: '' }
  const laneEvent = (e: SseEvent) => {
    const out = read(e)
    if (out.length) text.text += sse.write(out)
  }
  const laneRead = (s: string, at: number): number => {
    const end = lane ? lane(s, at, text) : -1
    if (end >= 0) seen.events++
    return end
  }
  const usageNow = () => toUsage(translator.usage())
  const shown = route.translate ? null : shownModel(call, route)
  const rename = shown ? createModelRewriter(shown) : null
  upstream.body.subscribe({
    data(chunk) {
      firstByte()
      if (!route.translate) out.write(rename ? rename.push(chunk) : chunk)
      if (lane === null) return feed(parser.push(chunk))
      parser.pushLane(chunk, laneRead, laneEvent)
      if (text.text) out.write(text.text)
      text.text = ''
    },
    end() {
      if (rename) out.write(rename.end())
      feed(parser.end())
      const closing = translator.end()
      const error = streamError ?? (terminated ? null : 'the upstream stream ended without its terminator')
      finish({ status: error ? 502 : status, usage: usageNow(), error })
      write(closing)
      out.end()
    },
    error(err) {
      const e = asGatewayError(err, route)
      finish({ status: 502, usage: usageNow(), error: e.message })
      const failure = route.translate ? translator.fail(chatErrorFromGateway(e)) : renderError[call.dialect as CallerDialectId].stream(e, seen)
      out.end(sse.write(failure))
    },
  })
  onClientGone(res, upstream, () => finish({ status: 499, usage: deliveredUsage(usageNow(), out), usageSource: 'delivered', error: 'client closed the request' }))
}

/** An OpenAI-style in-band error: a `data:` event without a name whose JSON is `{"error": {…}}`. */
function isInBandError(e: SseEvent): boolean {
  if (e.event !== undefined) return false
  // Every chunk of a chat stream is read here: a quote after the brace that does not start "error" settles it without the regex.
  const second = e.data.charCodeAt(1)
  return (second !== 34 || e.data.startsWith('"error"', 1)) && /^\{\s*"error"\s*:/.test(e.data)
}

/** The event each upstream dialect ends a complete stream with; a stream that ends without it was cut short. */
function isTerminator(dialect: DialectId, e: SseEvent): boolean {
  switch (dialect) {
    case 'openai':
      return e.data === '[DONE]'
    case 'anthropic':
      return e.event === 'message_stop'
    case 'responses':
      return e.event === 'response.completed' || e.event === 'response.incomplete'
    case 'converse':
      return e.event === 'messageStop'
    case 'gemini':
      return e.data.includes('"finishReason"')
  }
}

/**
 * A non-streamed answer is one JSON document the client parses whole: collect it, then send head and
 * body in one write (fewer syscalls is most of a proxy's cost), and a broken upstream can still get
 * a proper error status.
 */
function relayBody(
  upstream: UpstreamResponse,
  call: Call,
  route: Route,
  reply: ReplyOptions,
  res: GatewayResponse,
  headers: Record<string, string | string[]>,
  status: number,
  firstByte: () => void,
  finish: Finish,
  scrubber: Scrubber,
  inspectBody: ((body: Buffer) => Buffer) | undefined,
  afterRecord: (write: () => void) => void,
): void {
  const chunks: Buffer[] = []
  upstream.body.subscribe({
    data(chunk) {
      firstByte()
      chunks.push(chunk)
    },
    end() {
      let body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
      let usage: Usage = noUsage
      if (route.translate) {
        try {
          const translated = translateResponse(parseJsonBytes(body), route.dialect, call.dialect, reply)
          body = Buffer.from(JSON.stringify(translated.body))
          usage = toUsage(translated.usage)
        } catch (err) {
          const e = new GatewayError('upstream_error', `the upstream's answer could not be read as ${route.dialect}: ${(err as Error).message}`)
          return sendError(res, call, e, headers, finish, usage, afterRecord)
        }
      } else if (body.length <= MAX_TAPPED_BODY) {
        usage = bodyUsage(body, route.dialect)
        const shown = shownModel(call, route)
        if (shown) body = Buffer.from(rewriteModel(body.toString('utf8'), shown))
      }
      // Before guardrails and the response cache see it: a cached answer is a database column too.
      body = scrubber.buffer(body)
      if (inspectBody) {
        try {
          body = inspectBody(body)
        } catch (err) {
          // Refused by an output guardrail: the caller gets the error; the row keeps the tokens the answer cost.
          const e = err instanceof GatewayError ? err : new GatewayError('internal_error', 'output guardrails failed')
          return sendError(res, call, e, headers, finish, usage, afterRecord)
        }
      }
      headers['content-length'] = String(body.length)
      finish({ status, usage, error: null })
      const out = body
      afterRecord(() => {
        if (!res.destroyed) res.writeHead(status, headers).end(out)
      })
    },
    error(err) {
      sendError(res, call, asGatewayError(err, route), headers, finish, noUsage, afterRecord)
    },
  })
  // Nothing was delivered, but the upstream read the prompt: the input at its estimate (recordUsage).
  onClientGone(res, upstream, () => finish({ status: 499, usage: noUsage, usageSource: 'delivered', error: 'client closed the request' }))
}

/**
 * Upstream errors keep their status. Same dialect: the body passes through (secrets scrubbed) unless
 * it is not the dialect's error shape (an HTML page from a proxy, say), which is wrapped. Different
 * dialects: translated through canonical errors.
 */
function relayError(upstream: UpstreamResponse, status: number, call: Call, route: Route, res: GatewayResponse, t: Timing, scrubber: Scrubber): Promise<Outcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const collect = (c: Buffer) => {
      if (size < 1024 * 1024) {
        chunks.push(c)
        size += c.length
      }
    }
    const done = () => {
      // Some upstreams echo the key they were sent in their error text.
      const raw = scrubber.text(Buffer.concat(chunks).toString('utf8'))
      let parsed: unknown = null
      try {
        parsed = JSON.parse(raw)
      } catch {
        // not JSON
      }
      const canonical = dialects[route.dialect].error.toCanonical(status, parsed ?? raw)
      let out: { status: number; body: unknown }
      if (route.translate) out = translateError(status, parsed ?? raw, route.dialect, call.dialect)
      else if (isErrorShape(parsed)) out = { status, body: raw }
      else {
        const message = `upstream returned HTTP ${status}${raw ? `: ${raw.slice(0, 200).replace(/\s+/g, ' ')}` : ''}`
        out = dialects[call.dialect].error.fromCanonical(chatError(canonical.kind, message, status))
      }
      const headers: Record<string, string> = { ...t.extraHeaders, 'content-type': 'application/json' }
      for (const h of ['retry-after', 'retry-after-ms', 'x-should-retry']) {
        const v = upstream.headers[h]
        if (v) headers[h] = String(v)
      }
      const text = scrubber.text(typeof out.body === 'string' ? out.body : JSON.stringify(out.body))
      const outcome: Outcome = { status, usage: noUsage, ttfbMs: null, latencyMs: Math.round(performance.now() - t.startedAt), error: scrubber.text(canonical.message) }
      t.record?.(outcome)
      ;(t.afterRecord ?? now)(() => {
        if (!res.destroyed) res.writeHead(out.status, headers).end(text)
        resolve(outcome)
      })
    }
    upstream.body.subscribe({ data: collect, end: done, error: done })
  })
}

function isErrorShape(body: unknown): boolean {
  return !!body && typeof body === 'object' && 'error' in body
}

/** A failure before any byte went out: rendered by the caller dialect's one error exit. */
function sendError(res: GatewayResponse, call: Call, e: GatewayError, headers: Record<string, string | string[]>, finish: Finish, usage: Usage, afterRecord: (write: () => void) => void): void {
  const { status, body } = renderError[call.dialect as CallerDialectId].body(e)
  finish({ status: e.status, usage, error: e.message })
  afterRecord(() => {
    if (!res.destroyed && !res.headersSent) res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body))
  })
}

function errorText(data: string): string {
  try {
    const j = JSON.parse(data) as { error?: { message?: string }; response?: { error?: { message?: string } }; message?: string }
    // Bedrock Converse's in-band exceptions carry a top-level `message`.
    return j.error?.message ?? j.response?.error?.message ?? (typeof j.message === 'string' ? j.message : undefined) ?? 'upstream error in stream'
  } catch {
    return 'upstream error in stream'
  }
}

function asGatewayError(err: Error, route: Route): GatewayError {
  if (err instanceof GatewayError) return err
  return new GatewayError('upstream_error', `${route.providerSlug ? '@' + route.providerSlug : route.spec.name} closed the stream early`)
}

function onClientGone(res: GatewayResponse, upstream: UpstreamResponse, then: () => void): void {
  res.on('close', () => {
    if (res.writableFinished) return
    upstream.body.destroy()
    then()
  })
}

export function toUsage(u: ChatUsage | null): Usage {
  if (!u) return noUsage
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cachedTokens: u.cacheReadTokens,
    cacheWriteTokens: u.cacheWriteTokens,
    reasoningTokens: u.reasoningTokens,
  }
}

/**
 * Usage from a whole passthrough body. OpenAI's and Anthropic's answers put `usage` at the end: only that
 * member is parsed (the hot path); anything else, or a body shaped otherwise, is read whole and canonically.
 */
function bodyUsage(body: Buffer, dialect: DialectId): Usage {
  if (dialect === 'openai' || dialect === 'anthropic') {
    const u = lastTopLevelMember(body, 'usage')
    if (u !== NOT_FOUND) return dialect === 'openai' ? (usageFromOpenAI(u) ?? noUsage) : toUsage(anthropicUsageToCanonical(u))
  }
  try {
    const json = parseJsonBytes(body) as { usage?: unknown }
    if (dialect === 'openai') return usageFromOpenAI(json.usage) ?? noUsage
    return toUsage(dialects[dialect].response.toCanonical(json).usage)
  } catch {
    return noUsage
  }
}
