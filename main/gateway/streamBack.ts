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
import type { ServerResponse } from 'node:http'
import type { ChatRequest, ChatUsage, DialectId } from '../dialects/canonical.ts'
import { chatError, chatErrorFromGateway } from '../dialects/chatError.ts'
import { createOpenAIStreamTap } from '../dialects/openai/streamTap.ts'
import { noUsage, usageFromOpenAI } from '../dialects/openai/usage.ts'
import { sse, type SseEvent } from '../dialects/sse.ts'
import { createStreamTranslator, dialects, translateError, translateResponse } from '../dialects/translate.ts'
import { scrub } from '../log.ts'
import type { UpstreamResponse } from './callProvider.ts'
import { GatewayError } from './GatewayError.ts'
import type { Call, Outcome, Route, Usage } from './types.ts'

const MAX_TAPPED_BODY = 16 * 1024 * 1024

type Timing = {
  startedAt: number
  extraHeaders: Record<string, string>
  /** Output guardrails on a non-streamed answer (caller's dialect): the body to send, or a GatewayError thrown to refuse it. */
  inspectBody?: ((body: Buffer) => Buffer) | undefined
}
type Finish = (o: Omit<Outcome, 'ttfbMs' | 'latencyMs'>) => void

export function streamBack(
  upstream: UpstreamResponse,
  call: Call,
  route: Route,
  canonical: ChatRequest | null,
  res: ServerResponse,
  t: Timing,
): Promise<Outcome> {
  const status = upstream.status
  if (status >= 400) return relayError(upstream, status, call, route, res, t)
  const isStream = call.stream && String(upstream.headers['content-type']).includes('text/event-stream')
  const headers: Record<string, string | string[]> = { ...t.extraHeaders }
  // Each SDK reads its own request-id header (OpenAI `x-request-id`, Anthropic `request-id`): keep both.
  const requestId = upstream.headers['x-request-id'] ?? upstream.headers['request-id']
  if (requestId) headers['x-request-id'] = requestId
  if (upstream.headers['request-id']) headers['request-id'] = upstream.headers['request-id']
  const contentType = upstream.headers['content-type']
  if (route.translate) headers['content-type'] = isStream ? 'text/event-stream; charset=utf-8' : 'application/json'
  else if (contentType) headers['content-type'] = contentType
  const reply = { request: canonical ?? undefined, createdAt: Date.now(), model: call.model }

  return new Promise<Outcome>((resolve) => {
    let ttfbMs: number | null = null
    let settled = false
    const finish: Finish = (o) => {
      if (settled) return
      settled = true
      resolve({ ...o, ttfbMs, latencyMs: Math.round(performance.now() - t.startedAt) })
    }
    const firstByte = () => (ttfbMs ??= Math.round(performance.now() - t.startedAt))
    if (!isStream) return relayBody(upstream, call, route, reply, res, headers, status, firstByte, finish, t.inspectBody)
    headers['cache-control'] = 'no-cache'
    headers['x-accel-buffering'] = 'no'
    res.writeHead(status, headers)
    res.flushHeaders()
    if (!route.translate && route.dialect === 'openai') return relayOpenAIStream(upstream, route, res, status, firstByte, finish)
    relayEventStream(upstream, call, route, reply, res, status, firstByte, finish)
  })
}

/** OpenAI chat passthrough: the cheapest path, a byte tap that never re-encodes unless it must hide usage. */
function relayOpenAIStream(upstream: UpstreamResponse, route: Route, res: ServerResponse, status: number, firstByte: () => void, finish: Finish): void {
  const tap = createOpenAIStreamTap({ hideUsage: route.injectStreamUsage })
  const usageNow = () => tap.usage() ?? noUsage
  upstream.body.subscribe({
    data(chunk) {
      firstByte()
      const out = tap.push(chunk)
      if (out.length) res.write(out)
    },
    end() {
      const rest = tap.end()
      res.end(rest || undefined)
      const streamError = tap.error()
      finish({ status: streamError ? 502 : status, usage: usageNow(), error: streamError })
    },
    error(err) {
      const e = asGatewayError(err, route)
      if (!res.writableEnded && !res.destroyed) res.end(`data: ${JSON.stringify(dialects.openai.error.fromCanonical(chatErrorFromGateway(e)).body)}\n\n`)
      finish({ status: 502, usage: usageNow(), error: e.message })
    },
  })
  onClientGone(res, upstream, () => finish({ status: 499, usage: usageNow(), error: 'client closed the request' }))
}

/**
 * Every other stream: parsed into events. Passthrough writes the upstream's bytes and only reads the
 * events for usage; translation writes the caller's events.
 */
function relayEventStream(
  upstream: UpstreamResponse,
  call: Call,
  route: Route,
  reply: { request?: ChatRequest; createdAt: number; model?: string },
  res: ServerResponse,
  status: number,
  firstByte: () => void,
  finish: Finish,
): void {
  const parser = sse.parser()
  const translator = createStreamTranslator(route.dialect, call.dialect, reply)
  let streamError: string | null = null
  // Passthrough Responses: the events so far and the first response object, so that a stream the upstream
  // cuts short still ends the way OpenAI ends a failed one (`error`, then `response.failed`, which Codex reads).
  const seen: Seen = { events: 0, created: null }
  const write = (events: SseEvent[]) => {
    if (!route.translate || events.length === 0) return
    res.write(sse.write(events))
  }
  const feed = (events: SseEvent[]) => {
    for (const e of events) {
      seen.events++
      if (seen.created === null && e.event === 'response.created') seen.created = e.data
      if (e.event === 'error' || e.event === 'response.failed') streamError ??= errorText(e.data)
      write(translator.push(e))
    }
  }
  const usageNow = () => toUsage(translator.usage())
  upstream.body.subscribe({
    data(chunk) {
      firstByte()
      if (!route.translate) res.write(chunk)
      feed(parser.push(chunk))
    },
    end() {
      feed(parser.end())
      write(translator.end())
      res.end()
      finish({ status: streamError ? 502 : status, usage: usageNow(), error: streamError })
    },
    error(err) {
      const e = asGatewayError(err, route)
      if (!res.writableEnded && !res.destroyed) {
        const failure = translator.fail(chatErrorFromGateway(e))
        res.end(route.translate ? sse.write(failure) : sse.write(dialectError(call.dialect, e, seen)))
      }
      finish({ status: 502, usage: usageNow(), error: e.message })
    },
  })
  onClientGone(res, upstream, () => finish({ status: 499, usage: usageNow(), error: 'client closed the request' }))
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
  reply: { request?: ChatRequest; createdAt: number; model?: string },
  res: ServerResponse,
  headers: Record<string, string | string[]>,
  status: number,
  firstByte: () => void,
  finish: Finish,
  inspectBody?: (body: Buffer) => Buffer,
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
          const translated = translateResponse(JSON.parse(body.toString('utf8')), route.dialect, call.dialect, reply)
          body = Buffer.from(JSON.stringify(translated.body))
          usage = toUsage(translated.usage)
        } catch (err) {
          const e = new GatewayError('upstream_error', `the upstream's answer could not be read as ${route.dialect}: ${(err as Error).message}`)
          return sendError(res, call, e, headers, finish)
        }
      } else if (body.length <= MAX_TAPPED_BODY) {
        usage = bodyUsage(body, route.dialect)
      }
      if (inspectBody) {
        try {
          body = inspectBody(body)
        } catch (err) {
          // Refused by an output guardrail: the caller gets the error; the row keeps the tokens the answer cost.
          const e = err instanceof GatewayError ? err : new GatewayError('internal_error', 'output guardrails failed')
          const { status: s, body: b } = dialects[call.dialect].error.fromCanonical(chatErrorFromGateway(e))
          if (!res.destroyed) res.writeHead(s, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(b))
          return finish({ status: e.status, usage, error: e.message })
        }
      }
      headers['content-length'] = String(body.length)
      if (!res.destroyed) res.writeHead(status, headers).end(body)
      finish({ status, usage, error: null })
    },
    error(err) {
      sendError(res, call, asGatewayError(err, route), headers, finish)
    },
  })
  onClientGone(res, upstream, () => finish({ status: 499, usage: noUsage, error: 'client closed the request' }))
}

/**
 * Upstream errors keep their status. Same dialect: the body passes through (secrets scrubbed) unless
 * it is not the dialect's error shape (an HTML page from a proxy, say), which is wrapped. Different
 * dialects: translated through canonical errors.
 */
function relayError(upstream: UpstreamResponse, status: number, call: Call, route: Route, res: ServerResponse, t: Timing): Promise<Outcome> {
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
      // Some upstreams echo the key they were sent in their error text: scrub every vault secret.
      const raw = scrub(Buffer.concat(chunks).toString('utf8'))
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
      const text = typeof out.body === 'string' ? out.body : JSON.stringify(out.body)
      if (!res.destroyed) res.writeHead(out.status, headers).end(text)
      resolve({ status, usage: noUsage, ttfbMs: null, latencyMs: Math.round(performance.now() - t.startedAt), error: canonical.message })
    }
    upstream.body.subscribe({ data: collect, end: done, error: done })
  })
}

function isErrorShape(body: unknown): boolean {
  return !!body && typeof body === 'object' && 'error' in body
}

function sendError(res: ServerResponse, call: Call, e: GatewayError, headers: Record<string, string | string[]>, finish: Finish): void {
  const { status, body } = dialects[call.dialect].error.fromCanonical(chatErrorFromGateway(e))
  if (!res.destroyed && !res.headersSent) res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body))
  finish({ status: e.status, usage: noUsage, error: e.message })
}

type Seen = { events: number; created: string | null }

/**
 * The in-stream error of a dialect, for a passthrough stream the upstream cut short. Responses: an `error`
 * event and `response.failed` (the response as `response.created` showed it), numbered on from the
 * upstream's events, as the translated path and OpenAI itself end a failed stream.
 */
function dialectError(dialect: DialectId, e: GatewayError, seen: Seen): SseEvent[] {
  if (dialect === 'responses') {
    let response: Record<string, unknown> = {}
    try {
      const created = JSON.parse(seen.created ?? '{}') as { response?: unknown }
      if (created.response && typeof created.response === 'object') response = created.response as Record<string, unknown>
    } catch {
      // no usable response.created: the failed response carries only its status and error
    }
    const error = { code: e.code, message: e.message }
    return [
      { event: 'error', data: JSON.stringify({ type: 'error', sequence_number: seen.events, ...error, param: e.param }) },
      { event: 'response.failed', data: JSON.stringify({ type: 'response.failed', sequence_number: seen.events + 1, response: { ...response, status: 'failed', error } }) },
    ]
  }
  const body = JSON.stringify(dialects[dialect].error.fromCanonical(chatErrorFromGateway(e)).body)
  return dialect === 'openai' ? [{ data: body }] : [{ event: 'error', data: body }]
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

function onClientGone(res: ServerResponse, upstream: UpstreamResponse, then: () => void): void {
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

/** Usage from a whole passthrough body. OpenAI's shape is read directly (the hot path); others canonically. */
function bodyUsage(body: Buffer, dialect: DialectId): Usage {
  try {
    const json = JSON.parse(body.toString('utf8')) as { usage?: unknown }
    if (dialect === 'openai') return usageFromOpenAI(json.usage) ?? noUsage
    return toUsage(dialects[dialect].response.toCanonical(json).usage)
  } catch {
    return noUsage
  }
}
