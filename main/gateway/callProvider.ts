/**
 * Stage 4: sends the call upstream over a keep-alive connection pool and resolves with the response
 * head as soon as it arrives (the body is streamed by `streamBack`). Connection failures become
 * `provider_unreachable` naming the provider and its origin, never a key or a full URL.
 */
import http from 'node:http'
import https from 'node:https'
import { GatewayError } from './GatewayError.ts'
import type { Call, Route } from './types.ts'

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 })
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 })

/** The body the upstream receives: the client's, with the model resolved and the provider's quirks applied. */
export function upstreamBody(route: Route, call: Call): Record<string, unknown> {
  const body: Record<string, unknown> = { ...call.body, model: route.model }
  for (const p of route.spec.dropParams ?? []) delete body[p]
  if (route.injectStreamUsage) {
    const opts = (call.body.stream_options as Record<string, unknown> | undefined) ?? {}
    body.stream_options = { ...opts, include_usage: true }
  }
  return body
}

export type UpstreamResponse = { response: http.IncomingMessage; request: http.ClientRequest }

export function callProvider(
  route: Route,
  call: Call,
  opts: { signal: AbortSignal; timeoutMs?: number; userAgent?: string },
): Promise<UpstreamResponse> {
  const payload = Buffer.from(JSON.stringify(upstreamBody(route, call)))
  const url = new URL(route.url)
  const who = route.providerSlug ? `@${route.providerSlug}` : route.spec.name
  const timeoutMs = opts.timeoutMs ?? route.timeoutMs
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
      headers: {
        'content-type': 'application/json',
        accept: call.stream ? 'text/event-stream' : 'application/json',
        // The tap must read usage from the body, so ask for it uncompressed.
        'accept-encoding': 'identity',
        'user-agent': opts.userAgent ?? 'Switchyard',
        ...route.headers,
        'content-length': String(payload.length),
      },
      signal: opts.signal,
    })
    // Headers must arrive within the timeout; a stream may then take as long as it needs between chunks
    // up to the same limit of silence.
    request.setTimeout(timeoutMs, () => {
      request.destroy(new GatewayError('upstream_timeout', `${who} did not answer within ${timeoutMs} ms`))
    })
    request.on('response', (response) => resolve({ response, request }))
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof GatewayError) return reject(err)
      if (err.name === 'AbortError') return reject(new GatewayError('provider_unreachable', 'client closed the request', { status: 499 }))
      const reason = err.code === 'ECONNREFUSED' ? 'connection refused' : err.code === 'ENOTFOUND' ? 'host not found' : (err.code ?? err.message)
      reject(new GatewayError('provider_unreachable', `could not reach ${who} at ${url.origin}: ${reason}`, { cause: err }))
    })
    request.end(payload)
  })
}
