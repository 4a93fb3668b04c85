/**
 * The HTTP edge. A request enters here: it is routed by method and path, its body read (with a size
 * limit), and handed to the pipeline, the admin API or the static UI. This is the single place where
 * a GatewayError becomes a response, in the caller's format.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { CallerDialectId } from '../dialects/canonical.ts'
import { renderAnthropicError, renderAnthropicStreamError } from '../dialects/anthropic/renderError.ts'
import { renderOpenAIError, renderOpenAIStreamError } from '../dialects/openai/renderError.ts'
import { renderResponsesError, renderResponsesStreamError } from '../dialects/responses/renderError.ts'
import { dialectOf } from './parse.ts'
import { log } from '../log.ts'
import type { Endpoint } from '../providers/provider.ts'
import { authenticate } from './authenticate.ts'
import { GatewayError } from './GatewayError.ts'
import { anthropicModelList, listModels } from './listModels.ts'
import { handle, type GatewayDeps } from './pipeline.ts'
import { attachResponsesWebSocket } from './responsesWebSocket.ts'
import { serveStatic } from './serveStatic.ts'
import type { Abort, GatewayRequest } from './types.ts'

export const MAX_BODY_BYTES = 32 * 1024 * 1024

export type AdminHandler = (req: GatewayRequest, res: ServerResponse) => Promise<void> | void

export type ServerDeps = GatewayDeps & {
  admin: AdminHandler
  uiDir: string | null
  version: string
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
  const server = http.createServer((req, res) => {
    void route(req, res, deps)
  })
  // The Responses API over WebSocket (Codex's built-in provider asks for it first).
  attachResponsesWebSocket(server, deps, MAX_BODY_BYTES)
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  // Streams of long agent turns may last many minutes.
  server.requestTimeout = 0
  return server
}

async function route(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
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
      const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req)
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
      const body = await readBody(req)
      // A plain flag, not an AbortController: this runs on every request.
      const abort: Abort = { aborted: false, onAbort: null }
      res.once('close', () => {
        if (res.writableFinished) return
        abort.aborted = true
        abort.onAbort?.()
      })
      const query = q < 0 ? {} : { query: url.slice(q + 1) }
      return await handle({ method, path, headers: req.headers, body, receivedAt, startedAt, ...query }, res, endpoint, abort, deps)
    }
    if (path === '/v1/models' && method === 'GET') {
      // Anthropic clients (Claude Code's model picker) send anthropic-version and get Anthropic's list shape.
      if (req.headers['anthropic-version']) dialect = 'anthropic'
      const table = deps.routes.current()
      const client = authenticate(req, table)
      const list = listModels(req, client, table)
      return sendJson(res, 200, dialect === 'anthropic' ? anthropicModelList(list) : list)
    }
    if ((method === 'HEAD' || method === 'GET') && probes.has(path)) return void res.writeHead(200).end()
    throw new GatewayError('not_found', `no route for ${method} ${path}`)
  } catch (err) {
    renderError(err, res, dialect)
  }
}

const renderers: Record<CallerDialectId, { body(e: GatewayError): { status: number; body: unknown }; stream(e: GatewayError): string }> = {
  openai: { body: renderOpenAIError, stream: renderOpenAIStreamError },
  anthropic: { body: renderAnthropicError, stream: renderAnthropicStreamError },
  responses: { body: renderResponsesError, stream: (e) => renderResponsesStreamError(e) },
}

function renderError(err: unknown, res: ServerResponse, dialect: CallerDialectId): void {
  const e = err instanceof GatewayError ? err : new GatewayError('internal_error', 'internal error', { cause: err })
  if (e.code === 'internal_error') log.error('unhandled error', { error: e.cause ?? e })
  if (res.destroyed) return
  if (res.headersSent) {
    // After the first byte the status is gone: report in-band, as the dialect's SSE error event.
    if (!res.writableEnded) res.end(renderers[dialect].stream(e))
    return
  }
  const { status, body } = renderers[dialect].body(e)
  sendJson(res, status, body, e.headers)
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers })
  res.end(payload)
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > limit) {
      req.resume()
      return reject(new GatewayError('payload_too_large', `request body is larger than ${limit} bytes`))
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) {
        req.destroy()
        reject(new GatewayError('payload_too_large', `request body is larger than ${limit} bytes`))
      } else chunks.push(c)
    })
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)))
    req.on('error', reject)
  })
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
      const shown = host.includes(':') ? `[${host}]` : host
      resolve(`http://${shown}:${actual}`)
    })
  })
}
