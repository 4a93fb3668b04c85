/**
 * Stage 5: sends the upstream's answer to the client as it arrives (headers flushed at once, chunks
 * forwarded without buffering) while a tap reads usage. Resolves with the `Outcome` exactly once:
 * when the response ends, the upstream breaks, or the client goes away.
 * Upstream error bodies in OpenAI's shape pass through with their status; anything else (an HTML page
 * from a proxy, say) is wrapped in OpenAI's error shape so clients can parse it.
 */
import type { ServerResponse } from 'node:http'
import type { UpstreamResponse } from './callProvider.ts'
import { createOpenAIStreamTap } from '../dialects/openai/streamTap.ts'
import { renderOpenAIError, renderOpenAIStreamError } from '../dialects/openai/renderError.ts'
import { noUsage, usageFromOpenAI } from '../dialects/openai/usage.ts'
import { GatewayError } from './GatewayError.ts'
import { scrub } from '../log.ts'
import type { Call, Outcome, Route } from './types.ts'

const MAX_TAPPED_BODY = 16 * 1024 * 1024

export function streamBack(
  upstream: UpstreamResponse,
  call: Call,
  route: Route,
  res: ServerResponse,
  t: { startedAt: number; extraHeaders: Record<string, string> },
): Promise<Outcome> {
  const status = upstream.status
  const isStream = status < 400 && call.stream && String(upstream.headers['content-type']).includes('text/event-stream')
  if (status >= 400) return relayError(upstream, status, res, t)

  const headers: Record<string, string | string[]> = { ...t.extraHeaders }
  const contentType = upstream.headers['content-type']
  if (contentType) headers['content-type'] = contentType
  const requestId = upstream.headers['x-request-id']
  if (requestId) headers['x-request-id'] = requestId
  return isStream ? relayStream(upstream, route, res, t.startedAt, headers, status) : relayBody(upstream, res, t.startedAt, headers, status)
}

/**
 * A non-streamed answer is one JSON document the client parses whole: collect it, then send head and
 * body in one write (fewer syscalls is most of a proxy's cost), and a broken upstream can still get
 * a proper error status.
 */
function relayBody(upstream: UpstreamResponse, res: ServerResponse, startedAt: number, headers: Record<string, string | string[]>, status: number): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    const chunks: Buffer[] = []
    let ttfbMs: number | null = null
    let settled = false
    const finish = (o: Omit<Outcome, 'ttfbMs' | 'latencyMs'>) => {
      if (settled) return
      settled = true
      resolve({ ...o, ttfbMs, latencyMs: Math.round(performance.now() - startedAt) })
    }
    upstream.body.subscribe({
      data(chunk) {
        ttfbMs ??= Math.round(performance.now() - startedAt)
        chunks.push(chunk)
      },
      end() {
        const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
        headers['content-length'] = String(body.length)
        if (!res.destroyed) res.writeHead(status, headers).end(body)
        finish({ status, usage: (body.length <= MAX_TAPPED_BODY && parseBodyUsage(body)) || noUsage, error: null })
      },
      error(err) {
        const e = err instanceof GatewayError ? err : new GatewayError('upstream_error', 'the upstream closed the connection before its answer was complete')
        if (!res.destroyed) {
          const { status: errorStatus, body } = renderOpenAIError(e)
          res.writeHead(errorStatus, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body))
        }
        finish({ status: e.status, usage: noUsage, error: e.message })
      },
    })
    res.on('close', () => {
      if (!res.writableFinished) {
        upstream.body.destroy()
        finish({ status: 499, usage: noUsage, error: 'client closed the request' })
      }
    })
  })
}

/** A stream goes out chunk by chunk as it arrives, headers first; the tap reads usage on the way. */
function relayStream(upstream: UpstreamResponse, route: Route, res: ServerResponse, startedAt: number, headers: Record<string, string | string[]>, status: number): Promise<Outcome> {
  headers['cache-control'] = 'no-cache'
  headers['x-accel-buffering'] = 'no'
  res.writeHead(status, headers)
  res.flushHeaders()
  const tap = createOpenAIStreamTap({ hideUsage: route.injectStreamUsage })
  let ttfbMs: number | null = null

  return new Promise<Outcome>((resolve) => {
    let settled = false
    const finish = (o: Omit<Outcome, 'ttfbMs' | 'latencyMs'>) => {
      if (settled) return
      settled = true
      resolve({ ...o, ttfbMs, latencyMs: Math.round(performance.now() - startedAt) })
    }
    const usageNow = () => tap.usage() ?? noUsage

    upstream.body.subscribe({
      data(chunk) {
        ttfbMs ??= Math.round(performance.now() - startedAt)
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
        // The upstream broke after the head: tell the client in-band, then end.
        const e = err instanceof GatewayError ? err : new GatewayError('upstream_error', `${route.providerSlug ? '@' + route.providerSlug : route.spec.name} closed the stream early`)
        if (!res.writableEnded && !res.destroyed) res.end(renderOpenAIStreamError(e))
        finish({ status: 502, usage: usageNow(), error: e.message })
      },
    })
    res.on('close', () => {
      if (!res.writableFinished) {
        upstream.body.destroy()
        finish({ status: 499, usage: usageNow(), error: 'client closed the request' })
      }
    })
  })
}

function parseBodyUsage(body: Buffer) {
  try {
    const json = JSON.parse(body.toString('utf8')) as { usage?: unknown }
    return usageFromOpenAI(json.usage)
  } catch {
    return null
  }
}

function relayError(upstream: UpstreamResponse, status: number, res: ServerResponse, t: { startedAt: number; extraHeaders: Record<string, string> }): Promise<Outcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const collect = (c: Buffer) => {
      if (size < 1024 * 1024) (chunks.push(c), (size += c.length))
    }
    const done = () => {
      // Some upstreams echo the key they were sent in their error text: scrub every vault secret.
      const raw = scrub(Buffer.concat(chunks).toString('utf8'))
      let message: string | null = null
      let body = raw
      try {
        const parsed = JSON.parse(raw) as { error?: { message?: unknown } | string; message?: unknown }
        if (parsed.error && typeof parsed.error === 'object') message = String(parsed.error.message ?? 'upstream error')
        else if (typeof parsed.error === 'string') message = parsed.error
      } catch {
        // not JSON
      }
      if (message === null) {
        message = `upstream returned HTTP ${status}${raw ? `: ${raw.slice(0, 200).replace(/\s+/g, ' ')}` : ''}`
        body = JSON.stringify({ error: { message, type: status >= 500 ? 'api_error' : 'invalid_request_error', param: null, code: 'upstream_error' } })
      }
      const headers: Record<string, string> = { ...t.extraHeaders, 'content-type': 'application/json' }
      const retryAfter = upstream.headers['retry-after']
      if (retryAfter) headers['retry-after'] = String(retryAfter)
      if (!res.destroyed) res.writeHead(status, headers).end(body)
      resolve({ status, usage: noUsage, ttfbMs: null, latencyMs: Math.round(performance.now() - t.startedAt), error: message })
    }
    upstream.body.subscribe({ data: collect, end: done, error: done })
  })
}
