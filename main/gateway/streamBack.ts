/**
 * Stage 5: sends the upstream's answer to the client as it arrives (headers flushed at once, chunks
 * forwarded without buffering) while a tap reads usage. Resolves with the `Outcome` exactly once:
 * when the response ends, the upstream breaks, or the client goes away.
 * Upstream error bodies in OpenAI's shape pass through with their status; anything else (an HTML page
 * from a proxy, say) is wrapped in OpenAI's error shape so clients can parse it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createOpenAIStreamTap } from '../dialects/openai/streamTap.ts'
import { renderOpenAIStreamError } from '../dialects/openai/renderError.ts'
import { noUsage, usageFromOpenAI } from '../dialects/openai/usage.ts'
import { GatewayError } from './GatewayError.ts'
import { scrub } from '../log.ts'
import type { Call, Outcome, Route } from './types.ts'

const MAX_TAPPED_BODY = 16 * 1024 * 1024

export function streamBack(
  upstream: IncomingMessage,
  call: Call,
  route: Route,
  res: ServerResponse,
  t: { startedAt: number; extraHeaders: Record<string, string> },
): Promise<Outcome> {
  const status = upstream.statusCode ?? 502
  const isStream = status < 400 && call.stream && String(upstream.headers['content-type']).includes('text/event-stream')
  if (status >= 400) return relayError(upstream, status, res, t)

  const headers: Record<string, string | string[]> = { ...t.extraHeaders }
  const contentType = upstream.headers['content-type']
  if (contentType) headers['content-type'] = contentType
  const requestId = upstream.headers['x-request-id']
  if (requestId) headers['x-request-id'] = requestId
  if (isStream) {
    headers['cache-control'] = 'no-cache'
    headers['x-accel-buffering'] = 'no'
  } else if (upstream.headers['content-length']) {
    headers['content-length'] = upstream.headers['content-length']
  }
  res.writeHead(status, headers)
  if (isStream) res.flushHeaders()

  const tap = isStream ? createOpenAIStreamTap({ hideUsage: route.injectStreamUsage }) : null
  const body: Buffer[] = []
  let bodyBytes = 0
  let ttfbMs: number | null = null

  return new Promise<Outcome>((resolve) => {
    let settled = false
    const finish = (o: Omit<Outcome, 'ttfbMs' | 'latencyMs'>) => {
      if (settled) return
      settled = true
      resolve({ ...o, ttfbMs, latencyMs: Math.round(performance.now() - t.startedAt) })
    }
    const usageNow = () => (tap ? tap.usage() : parseBodyUsage(body)) ?? noUsage

    upstream.on('data', (chunk: Buffer) => {
      ttfbMs ??= Math.round(performance.now() - t.startedAt)
      if (tap) {
        const out = tap.push(chunk)
        if (out.length) res.write(out)
      } else {
        res.write(chunk)
        if (bodyBytes < MAX_TAPPED_BODY) (body.push(chunk), (bodyBytes += chunk.length))
      }
    })
    upstream.on('end', () => {
      if (tap) {
        const rest = tap.end()
        if (rest) res.write(rest)
      }
      res.end()
      const streamError = tap?.error() ?? null
      finish({ status: streamError ? 502 : status, usage: usageNow(), error: streamError })
    })
    upstream.on('error', (err) => {
      // The upstream broke after the head: tell the client in-band, then end.
      if (!res.writableEnded && !res.destroyed) {
        const e = err instanceof GatewayError ? err : new GatewayError('upstream_error', `${route.providerSlug ? '@' + route.providerSlug : route.spec.name} closed the stream early`)
        if (isStream) res.end(renderOpenAIStreamError(e))
        else res.destroy()
      }
      finish({ status: 502, usage: usageNow(), error: err instanceof GatewayError ? err.message : 'upstream stream broke' })
    })
    res.on('close', () => {
      if (!res.writableFinished) {
        upstream.destroy()
        finish({ status: 499, usage: usageNow(), error: 'client closed the request' })
      }
    })
  })
}

function parseBodyUsage(chunks: Buffer[]) {
  try {
    const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { usage?: unknown }
    return usageFromOpenAI(json.usage)
  } catch {
    return null
  }
}

function relayError(upstream: IncomingMessage, status: number, res: ServerResponse, t: { startedAt: number; extraHeaders: Record<string, string> }): Promise<Outcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    upstream.on('data', (c: Buffer) => {
      if (size < 1024 * 1024) (chunks.push(c), (size += c.length))
    })
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
      if (retryAfter) headers['retry-after'] = retryAfter
      if (!res.destroyed) res.writeHead(status, headers).end(body)
      resolve({ status, usage: noUsage, ttfbMs: null, latencyMs: Math.round(performance.now() - t.startedAt), error: message })
    }
    upstream.on('end', done)
    upstream.on('error', done)
  })
}
