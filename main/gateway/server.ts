/**
 * The HTTP edge. A request enters here: it is routed by method and path, its caller authenticated
 * from the headers, only then its body read (a size limit per body, a memory bound over all bodies in
 * flight, a deadline for slow uploads), and handed to the pipeline, the admin API or the static UI.
 * This is the single place where a GatewayError becomes a response, in the caller's format
 * (`dialects/renderError.ts`, where messages are scrubbed).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { CallerDialectId } from '../dialects/canonical.ts'
import { renderError as renderers } from '../dialects/renderError.ts'
import { sse } from '../dialects/sse.ts'
import { dialectOf } from './parse.ts'
import { log } from '../log.ts'
import type { Endpoint } from '../providers/provider.ts'
import { authenticate } from './authenticate.ts'
import { GatewayError } from './GatewayError.ts'
import { addListeningAddress, hopsOf, MAX_HOPS, removeListeningAddress } from './hops.ts'
import { anthropicModelList, listModels } from './listModels.ts'
import { listUpstreamModels, namesProviderKind } from './listUpstreamModels.ts'
import { handle, type GatewayDeps } from './pipeline.ts'
import { attachResponsesWebSocket } from './responsesWebSocket.ts'
import { serveStatic } from './serveStatic.ts'
import { watchTimeout } from './watchTimeout.ts'
import type { Abort, GatewayRequest } from './types.ts'
import { LAZY_BODY_BYTES } from './lazyBody.ts'
import { noteLargeBody } from '../v8Memory.ts'

export const MAX_BODY_BYTES = 32 * 1024 * 1024

/** Limits on request bodies; tests lower them. */
export type BodyLimits = {
  /** One body. */
  maxBytes: number
  /** All bodies being read at once: past it, new bodies are refused with 503 until memory frees up. */
  maxInFlightBytes: number
  /** A body must arrive whole within this long of its headers (slow uploads are cut with 408). */
  timeoutMs: number
}

export const defaultBodyLimits: BodyLimits = { maxBytes: MAX_BODY_BYTES, maxInFlightBytes: 256 * 1024 * 1024, timeoutMs: 60_000 }

export type AdminHandler = (req: GatewayRequest, res: ServerResponse) => Promise<void> | void

export type ServerDeps = GatewayDeps & {
  admin: AdminHandler
  uiDir: string | null
  version: string
  bodyLimits?: Partial<BodyLimits>
}

const gatewayEndpoints: Record<string, Endpoint> = {
  '/v1/chat/completions': 'chat',
  '/v1/completions': 'completions',
  '/v1/embeddings': 'embeddings',
  '/v1/messages': 'messages',
  '/v1/messages/count_tokens': 'count_tokens',
  '/v1/responses': 'responses',
}

/** Claude Code's startup probes: answered so it does not wait or warn. */
const probes = new Set(['/', '/api/hello'])

export function createGatewayServer(deps: ServerDeps): http.Server {
  const reader = createBodyReader({ ...defaultBodyLimits, ...deps.bodyLimits })
  const server = http.createServer((req, res) => {
    void route(req, res, deps, reader)
  })
  // The Responses API over WebSocket (Codex's built-in provider asks for it first).
  attachResponsesWebSocket(server, deps, MAX_BODY_BYTES)
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  // Streams of long agent turns may last many minutes.
  server.requestTimeout = 0
  return server
}

async function route(req: IncomingMessage, res: ServerResponse, deps: ServerDeps, readBody: BodyReader): Promise<void> {
  const startedAt = performance.now()
  const receivedAt = Date.now()
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  const method = req.method ?? 'GET'
  // Errors are rendered in the format of the API the caller speaks.
  let dialect: CallerDialectId = 'openai'
  try {
    if (path.startsWith('/admin/')) {
      const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req, res)
      return await deps.admin({ method, path, headers: req.headers, body, receivedAt, startedAt }, res)
    }
    if (path === '/ui' || path.startsWith('/ui/')) return serveStatic(deps.uiDir, path, req, res)
    if (path === '/health' || path === '/v1/health') {
      return sendJson(res, 200, { status: 'ok', version: deps.version })
    }
    const endpoint = gatewayEndpoints[path]
    if (endpoint) {
      dialect = dialectOf[endpoint]
      if (method !== 'POST') throw new GatewayError('method_not_allowed', `${path} accepts POST`)
      if (hopsOf(req.headers) >= MAX_HOPS) throw new GatewayError('loop_detected', `this request has already passed through ${MAX_HOPS} gateways; refusing a loop`)
      // Nothing expensive before the caller is known: the key is checked from the headers alone.
      const table = deps.routes.current()
      const client = authenticate(req, table)
      const body = await readBody(req, res)
      // A plain flag, not an AbortController: this runs on every request.
      const abort: Abort = { aborted: false, onAbort: null }
      res.once('close', () => {
        if (res.writableFinished) return
        abort.aborted = true
        abort.onAbort?.()
      })
      const query = q < 0 ? {} : { query: url.slice(q + 1) }
      return await handle({ method, path, headers: req.headers, body, receivedAt, startedAt, authenticated: { table, client }, ...query }, res, endpoint, abort, deps)
    }
    if (path === '/v1/models' && method === 'GET') {
      // Anthropic clients (Claude Code's model picker) send anthropic-version and get Anthropic's list shape.
      if (req.headers['anthropic-version']) dialect = 'anthropic'
      const table = deps.routes.current()
      const client = authenticate(req, table)
      const list = namesProviderKind(req) ? await listUpstreamModels(req, client, table, deps.resolveHost) : listModels(req, client, table)
      return sendJson(res, 200, dialect === 'anthropic' ? anthropicModelList(list) : list)
    }
    if ((method === 'HEAD' || method === 'GET') && probes.has(path)) return void res.writeHead(200).end()
    throw new GatewayError('not_found', `no route for ${method} ${path}`)
  } catch (err) {
    renderError(err, req, res, dialect)
  }
}

function renderError(err: unknown, req: IncomingMessage, res: ServerResponse, dialect: CallerDialectId): void {
  const e = err instanceof GatewayError ? err : new GatewayError('internal_error', 'internal error', { cause: err })
  if (e.code === 'internal_error') log.error('unhandled error', { error: e.cause ?? e })
  if (res.destroyed) return
  if (res.headersSent) {
    // After the first byte the status is gone: report in-band, as the dialect's SSE error event.
    if (!res.writableEnded) res.end(sse.write(renderers[dialect].stream(e)))
    return
  }
  const { status, body } = renderers[dialect].body(e)
  // A refused request whose body was never read: close rather than read the rest to keep the connection.
  if (!req.complete) res.shouldKeepAlive = false
  sendJson(res, status, body, e.headers)
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers })
  res.end(payload)
}

export type BodyReader = (req: IncomingMessage, res: ServerResponse) => Promise<Buffer>

/**
 * Reads request bodies within the limits. A body that is refused (too large, too slow, no memory
 * left) gets its error answer at once with `Connection: close`; what the client still sends is read
 * and dropped, so it sees the status rather than a reset.
 */
export function createBodyReader(limits: BodyLimits): BodyReader {
  let inFlight = 0
  return (req, res) =>
    new Promise((resolve, reject) => {
      const max = limits.maxBytes
      const declared = Number(req.headers['content-length'] ?? 0)
      const refuse = (e: GatewayError) => {
        release()
        timer.clear()
        req.removeAllListeners('data')
        req.on('data', () => {}) // drain and drop
        res.shouldKeepAlive = false
        reject(e)
      }
      let held = 0
      const hold = (n: number): boolean => {
        if (inFlight + n > limits.maxInFlightBytes) return false
        inFlight += n
        held += n
        return true
      }
      const release = () => {
        inFlight -= held
        held = 0
      }
      const tooLarge = () => new GatewayError('payload_too_large', `request body is larger than ${max} bytes`)
      const busy = () => new GatewayError('overloaded', 'the gateway is reading too many request bodies at once; retry shortly', { headers: { 'retry-after': '1' } })
      const timer = watchTimeout(limits.timeoutMs, () => refuse(new GatewayError('request_timeout', `the request body did not arrive within ${limits.timeoutMs} ms`)))
      if (declared > max) return refuse(tooLarge())
      // A declared length is held up front: a body that cannot fit is refused before a byte is read.
      if (declared > 0 && !hold(declared)) return refuse(busy())
      const chunks: Buffer[] = []
      let size = 0
      req.on('data', (c: Buffer) => {
        size += c.length
        if (size > max) return refuse(tooLarge())
        if (size > held && !hold(size - held)) return refuse(busy())
        chunks.push(c)
      })
      req.on('end', () => {
        timer.clear()
        release()
        if (size >= LAZY_BODY_BYTES) noteLargeBody(size)
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks))
      })
      req.on('error', (err) => {
        timer.clear()
        release()
        reject(err)
      })
    })
}

const adminBodyReader = createBodyReader(defaultBodyLimits)

/** Reads a body with the default limits (admin API). */
export function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer> {
  return adminBodyReader(req, res)
}

/** Binds and resolves with the URL; a taken port becomes a clear message, not a stack trace. */
export function listen(server: http.Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new Error(`port ${port} on ${host} is already in use; choose another with --port`))
      else if (err.code === 'EACCES') reject(new Error(`not allowed to listen on ${host}:${port}`))
      else reject(err)
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      const addr = server.address()
      const actual = typeof addr === 'object' && addr ? addr.port : port
      // The gateway must never call itself (hops.ts).
      addListeningAddress(host, actual)
      server.once('close', () => removeListeningAddress(host, actual))
      const shown = host.includes(':') ? `[${host}]` : host
      resolve(`http://${shown}:${actual}`)
    })
  })
}
