/**
 * The Responses API over a WebSocket, as OpenAI serves it and Codex's built-in provider asks for it
 * first (`GET /v1/responses` with `Upgrade: websocket`). The handshake is authenticated like any
 * request (the same key headers) before it is accepted; browsers (any `Origin`) are refused. Then each
 * text message `{"type":"response.create", …Responses request…}` goes through the same pipeline as
 * `POST /v1/responses` with `stream: true` (governance, routing, translation, one usage row per
 * response) and every event of that stream comes back as one text message. Requests on one socket run
 * one at a time, in order. `previous_response_id` names a response finished earlier on the same socket;
 * its input and output are expanded into the request (socketHistory.ts). `generate: false` (Codex's
 * warm-up) answers with an empty response at once, without calling an upstream. Errors are
 * `{"type":"error","status":…,"error":{…}}` messages; the socket stays open. Other paths get 404.
 */
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { randomUUID } from 'node:crypto'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { renderResponsesError } from '../dialects/responses/renderError.ts'
import { log } from '../log.ts'
import { authenticate } from './authenticate.ts'
import { GatewayError } from './GatewayError.ts'
import { handle, type GatewayDeps } from './pipeline.ts'
import { createSocketHistory, inputItems, PreviousResponseNotFound } from './socketHistory.ts'
import { socketResponse, type SocketEvent } from './socketResponse.ts'
import type { Abort } from './types.ts'

/** Per connection: the last responses remembered for `previous_response_id`, and their size. */
export const SOCKET_HISTORY_LIMITS = { maxResponses: 64, maxBytes: 32 * 1024 * 1024 }

/** Requests one socket may have waiting (Codex sends one at a time). */
const MAX_QUEUED = 16

export function attachResponsesWebSocket(server: Server, deps: GatewayDeps, maxMessageBytes: number): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes, perMessageDeflate: false })
  const shutdowns = new Set<() => void>()
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const path = (req.url ?? '/').split('?')[0]
    if (path !== '/v1/responses' && path !== '/responses') return refuse(socket, new GatewayError('not_found', `no WebSocket endpoint at ${path}`))
    // A page in a browser may open a socket to localhost; no CLI or SDK sends an Origin.
    if (req.headers.origin) return refuse(socket, new GatewayError('invalid_request', 'WebSocket connections from web pages are not accepted', { status: 403 }))
    try {
      authenticate(req, deps.routes.current())
    } catch (err) {
      return refuse(socket, err instanceof GatewayError ? err : new GatewayError('internal_error', 'internal error', { cause: err }))
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const shutdown = serve(ws, req, deps)
      shutdowns.add(shutdown)
      ws.once('close', () => shutdowns.delete(shutdown))
    })
  })
  // An upgraded socket no longer belongs to the HTTP server, whose close() would wait for it forever:
  // on close each socket ends (1001) once its response in flight is done; closeAllConnections cuts them.
  const close = server.close.bind(server)
  server.close = ((done?: (err?: Error) => void) => {
    for (const shutdown of shutdowns) shutdown()
    return close(done)
  }) as typeof server.close
  const closeAll = server.closeAllConnections.bind(server)
  server.closeAllConnections = () => {
    for (const ws of wss.clients) ws.terminate()
    closeAll()
  }
}

function refuse(socket: Duplex, e: GatewayError): void {
  const { status, body } = renderResponsesError(e)
  const text = JSON.stringify(body)
  const reason = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Error'
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`)
}

/** Serves one socket; returns what ends it when the gateway stops. */
function serve(ws: WebSocket, upgrade: IncomingMessage, deps: GatewayDeps): () => void {
  const history = createSocketHistory(SOCKET_HISTORY_LIMITS)
  let queue: Promise<void> = Promise.resolve()
  let pending = 0
  let stopping = false
  let current: Abort | null = null
  const send = (event: SocketEvent) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event))
  }
  const goAway = () => ws.close(1001, 'Switchyard is stopping')
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const receivedAt = Date.now()
    const startedAt = performance.now()
    // Requests run one at a time. A client that floods the socket is cut off (1008) rather than buffered
    // without end; an error event here would land in the middle of the response being streamed.
    if (pending >= MAX_QUEUED) return ws.close(1008, `more than ${MAX_QUEUED} requests waiting`)
    pending++
    queue = queue.then(async () => {
      if (ws.readyState !== ws.OPEN) return
      try {
        if (isBinary) throw new GatewayError('invalid_request', 'send JSON text messages, not binary ones')
        const abort: Abort = { aborted: false, onAbort: null }
        current = abort
        await respond(rawText(data), { upgrade, deps, history, send, abort, receivedAt, startedAt })
      } catch (err) {
        send(errorEvent(err))
      } finally {
        current = null
        if (--pending === 0 && stopping) goAway()
      }
    })
  })
  ws.on('close', () => {
    history.clear()
    if (current && !current.aborted) {
      current.aborted = true
      current.onAbort?.()
    }
  })
  ws.on('error', (err) => log.info('responses websocket error', { error: err.message }))
  return () => {
    stopping = true
    if (pending === 0) goAway()
  }
}

type Turn = {
  upgrade: IncomingMessage
  deps: GatewayDeps
  history: ReturnType<typeof createSocketHistory>
  send: (event: SocketEvent) => void
  abort: Abort
  receivedAt: number
  startedAt: number
}

async function respond(text: string, t: Turn): Promise<void> {
  const message = parseMessage(text)
  if (message.type === 'response.processed') return // Codex's receipt for a finished response: nothing to answer
  if (message.type !== 'response.create') {
    throw new GatewayError('invalid_request', `unsupported message type ${JSON.stringify(message.type)}: send "response.create"`, { param: 'type' })
  }
  const { type: _type, generate, client_metadata: _metadata, ...request } = message
  const expanded = t.history.expand(request)
  const input = inputItems(expanded.input)
  if (generate === false) return warmUp(expanded, input, t)

  let finished: { id: string; output: unknown[] } | null = null
  const res = socketResponse((event) => {
    if (event.type === 'response.completed') {
      const r = event.response as { id?: unknown; output?: unknown } | undefined
      if (r && typeof r.id === 'string') finished = { id: r.id, output: Array.isArray(r.output) ? r.output : [] }
    }
    t.send(event)
  })
  const closed = new Promise<void>((resolve) => res.once('close', resolve))
  const body = Buffer.from(JSON.stringify({ ...expanded, stream: true }))
  const headers = { ...requestHeaders(t.upgrade), 'content-type': 'application/json', 'content-length': String(body.length) }
  try {
    await handle({ method: 'POST', path: '/v1/responses', headers, body, receivedAt: t.receivedAt, startedAt: t.startedAt }, res, 'responses', t.abort, t.deps)
  } catch (err) {
    // After events went out the error is reported in-band like the HTTP stream's `error` event.
    if (res.headersSent) t.send({ type: 'error', code: err instanceof GatewayError ? err.code : 'internal_error', message: err instanceof Error ? err.message : 'internal error' })
    else throw err
  } finally {
    if (!res.writableEnded) res.end()
  }
  await closed
  const done = finished as { id: string; output: unknown[] } | null
  if (done) t.history.remember(done.id, input, done.output)
}

/** `generate: false`: a response id to continue from, with nothing generated and nothing spent. */
function warmUp(request: Record<string, unknown>, input: unknown[], t: Turn): void {
  const id = `resp_${randomUUID().replace(/-/g, '')}`
  const response = {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model: request.model ?? null,
    output: [],
    usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
  }
  t.send({ type: 'response.created', sequence_number: 0, response: { ...response, status: 'in_progress' } })
  t.send({ type: 'response.completed', sequence_number: 1, response })
  t.history.remember(id, input, [])
}

/** The handshake's headers minus those of the upgrade itself, as each request's own headers. */
function requestHeaders(upgrade: IncomingMessage): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {}
  for (const [k, v] of Object.entries(upgrade.headers)) {
    if (k === 'connection' || k === 'upgrade' || k === 'openai-beta' || k.startsWith('sec-websocket-')) continue
    out[k] = v
  }
  return out
}

function parseMessage(text: string): Record<string, unknown> {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    throw new GatewayError('invalid_json', 'the message is not valid JSON')
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new GatewayError('invalid_request', 'the message must be a JSON object')
  return v as Record<string, unknown>
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data as ArrayBuffer).toString('utf8')
}

/** Codex reads `status` as the HTTP status it would have had and `error` as OpenAI's error body. */
function errorEvent(err: unknown): SocketEvent {
  const e = err instanceof GatewayError ? err : new GatewayError('internal_error', 'internal error', { cause: err })
  if (e.code === 'internal_error') log.error('unhandled error', { error: e.cause ?? e })
  const { status, body } = renderResponsesError(e)
  const error = (body as { error: Record<string, unknown> }).error
  return { type: 'error', status, error: e instanceof PreviousResponseNotFound ? { ...error, code: e.wireCode } : error }
}
