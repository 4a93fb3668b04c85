/**
 * Stage 4: sends the call upstream over keep-alive connection pools and resolves with the response
 * head as soon as it arrives; the body follows through `UpstreamBody` for `streamBack`. Connection
 * failures become `provider_unreachable` naming the provider and its origin, never a key or a URL.
 * The HTTP/1.1 client is our own (network/http1Client.ts): Node's `http.request` cost ~15 µs of CPU
 * and ~27 µs of latency per call more, and undici's WebAssembly parser ~29 MB of resident memory.
 * Providers with a `transport` (Bedrock, Vertex AI) build the request themselves (signature, token,
 * URL); `adaptResponse` then reads their answer through the hooks they attached.
 */
import type { LookupFunction } from 'node:net'
import type http from 'node:http'
import type { PreparedCall } from '../providers/provider.ts'
import { http1Request, type Http1Call, type Http1Target } from '../network/http1Client.ts'
import { wireParts } from './wireBody.ts'
import { adaptResponse } from './adaptResponse.ts'
import type { HostResolver } from '../network/upstreamHost.ts'
import { GatewayError } from './GatewayError.ts'
import { HOP_HEADER, refuseSelf } from './hops.ts'
import { pinCustomHost } from './pinCustomHost.ts'
import { watchTimeout } from './watchTimeout.ts'
import type { Abort, Call, Route } from './types.ts'

/**
 * The upstream's body as it arrives. Events that come before `streamBack` subscribes are kept, so
 * nothing is lost between the head and the first listener.
 */
export type UpstreamBody = {
  subscribe(on: { data(chunk: Buffer): void; end(): void; error(err: Error): void }): void
  destroy(): void
}

export type UpstreamResponse = {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: UpstreamBody
}

type Sink = { data(chunk: Buffer): void; end(): void; error(err: Error): void }
type Pending = { kind: 'data'; chunk: Buffer } | { kind: 'end' } | { kind: 'error'; err: Error }

/** `host`: the Host header for this URL (the port only when it is not the scheme's default). */
type Target = { origin: string; host: string; path: string; connect: Http1Target }

/** Parsed origin and path per upstream URL: parsing a URL on every request is measurable. */
const targets = new Map<string, Target>()

function targetFor(url: string): Target {
  let t = targets.get(url)
  if (!t) {
    const u = new URL(url)
    const secure = u.protocol === 'https:'
    t = {
      origin: u.origin,
      host: u.host,
      path: u.pathname + u.search,
      connect: { secure, hostname: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || (secure ? 443 : 80)) },
    }
    if (targets.size > 1000) targets.clear()
    targets.set(url, t)
  }
  return t
}

type SendOptions = {
  abort: Abort
  timeoutMs?: number
  userAgent?: string
  /** How custom hosts are resolved before they are checked (tests); default: the OS resolver. */
  resolveHost?: HostResolver
}

export function callProvider(route: Route, call: Call, body: Record<string, unknown>, opts: SendOptions): Promise<UpstreamResponse> {
  const transport = route.spec.transport
  // A per-request custom host: resolved and checked first, then reached only at the vetted addresses.
  if (route.customHost) {
    return pinCustomHost(route, opts.resolveHost).then((pin) =>
      send(route, call, { url: route.url, headers: route.headers, body: wireParts(body) }, opts, pin),
    )
  }
  if (!transport) return send(route, call, { url: route.url, headers: route.headers, body: wireParts(body) }, opts)
  // Bedrock, Vertex AI: the provider signs or authorizes the request itself, and may say how to read the answer.
  if (!route.transport) return Promise.reject(new GatewayError('internal_error', `${route.spec.name} needs its integration's settings`))
  const outgoing = { url: route.url, headers: route.headers, body, model: route.model, dialect: route.dialect, stream: call.stream }
  return transport.prepare(outgoing, route.transport).then((prepared) => send(route, call, { ...prepared, body: [prepared.body] }, opts))
}

/** A prepared call whose body is pieces written in order (a spliced passthrough body is three). */
type Sendable = Omit<PreparedCall, 'body'> & { body: readonly Buffer[] }

function send(route: Route, call: Call, prepared: Sendable, opts: SendOptions, pin: http.RequestOptions | null = null): Promise<UpstreamResponse> {
  const parts = prepared.body
  let length = 0
  for (const p of parts) length += p.length
  const target = targetFor(prepared.url)
  const who = route.providerSlug ? `@${route.providerSlug}` : route.spec.name
  const timeoutMs = opts.timeoutMs ?? route.timeoutMs
  const failure = (err: NodeJS.ErrnoException): GatewayError => {
    if (err instanceof GatewayError) return err
    if (err.code?.startsWith('HPE_')) return new GatewayError('upstream_error', `${who} at ${target.origin} sent a malformed answer: ${err.message}`, { cause: err })
    const reason = err.code === 'ECONNREFUSED' ? 'connection refused' : err.code === 'ENOTFOUND' ? 'host not found' : (err.code ?? err.message)
    return new GatewayError('provider_unreachable', `could not reach ${who} at ${target.origin}: ${reason}`, { cause: err })
  }

  return new Promise((resolve, reject) => {
    if (opts.abort.aborted) return reject(new GatewayError('provider_unreachable', 'client closed the request', { status: 499 }))
    if (!pin) refuseSelf(target.connect.hostname, target.connect.port)
    let sink: Sink | null = null
    let pending: Pending[] = []
    const emit = (p: Pending) => {
      if (!sink) return void pending.push(p)
      if (p.kind === 'data') sink.data(p.chunk)
      else if (p.kind === 'end') sink.end()
      else sink.error(p.err)
    }
    let upstream: Http1Call | null = null
    const upstreamBody: UpstreamBody = {
      subscribe(on) {
        sink = on
        const queued = pending
        pending = []
        for (const p of queued) emit(p)
      },
      destroy() {
        upstream?.destroy(new GatewayError('provider_unreachable', 'client closed the request', { status: 499 }))
      },
    }
    // Headers must arrive within the timeout; a stream may then go silent for at most as long.
    const watch = watchTimeout(timeoutMs, () => upstream?.destroy(new GatewayError('upstream_timeout', `${who} did not answer within ${timeoutMs} ms`)))
    let responded = false
    // After the head, a broken connection means an answer cut short, not an unreachable host.
    const cutShort = (err: NodeJS.ErrnoException) => {
      const e = failure(err)
      const cut = e.code === 'provider_unreachable' && e.status !== 499
      emit({ kind: 'error', err: cut ? new GatewayError('upstream_error', `${who} closed the connection before its answer was complete`) : e })
    }
    // A custom host is reached only at its vetted addresses, over connections of its own network policy.
    const connect: Http1Target = pin ? { ...target.connect, lookup: pin.lookup as LookupFunction, pool: `custom:${route.customHost?.policy.key ?? ''}` } : target.connect
    const headers = headerList(target.host, {
      'content-type': 'application/json',
      accept: call.stream ? 'text/event-stream' : 'application/json',
      // The tap must read usage from the body, so ask for it uncompressed.
      'accept-encoding': 'identity',
      'user-agent': opts.userAgent ?? 'Switchyard',
      ...prepared.headers,
      [HOP_HEADER]: String((call.hops ?? 0) + 1),
      'content-length': String(length),
    })
    try {
      upstream = http1Request(connect, 'POST', target.path, headers, parts, {
        head(status, responseHeaders) {
          responded = true
          watch.touch()
          // Redirects are never followed; from a custom host, one is an error rather than a way around the check.
          if (pin && status >= 300 && status < 400) {
            reject(new GatewayError('upstream_error', `custom host ${target.origin} answered with a redirect (HTTP ${status}); redirects are not followed`))
            return upstream?.destroy(new GatewayError('upstream_error', 'redirect not followed'))
          }
          resolve(adaptResponse({ status, headers: responseHeaders, body: upstreamBody }, prepared))
        },
        data(chunk) {
          watch.touch()
          if (sink) sink.data(chunk)
          else emit({ kind: 'data', chunk })
        },
        end() {
          watch.clear()
          emit({ kind: 'end' })
        },
        error(err) {
          watch.clear()
          if (!responded) return reject(failure(err))
          cutShort(err)
        },
      })
    } catch (err) {
      watch.clear()
      return reject(err)
    }
    // The method itself, not a new arrow function: measured (bench/run.ts, --trace-gc-nvp), a fresh
    // closure stored here made V8 promote every request's object graph to old space (~10 KB a request,
    // 2.7 MB per minor GC at c16) and left a third of the gateway's CPU to the garbage collector.
    opts.abort.onAbort = upstreamBody.destroy
  })
}

/**
 * Request headers as a flat [name, value, …] list, Host first unless the provider set one (a signed
 * request's). Names are lowercased first, so a later spelling of a header replaces an earlier one.
 */
function headerList(host: string, headers: Record<string, string>): string[] {
  let mixedCase = false
  for (const name in headers) if (name !== name.toLowerCase()) mixedCase = true
  const source = mixedCase ? lowercased(headers) : headers
  // A Host the provider set (a signed request's) is kept, as Node would.
  const out = source.host === undefined ? ['host', host] : []
  for (const name in source) out.push(name, source[name] as string)
  return out
}

function lowercased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name in headers) out[name.toLowerCase()] = headers[name] as string
  return out
}
