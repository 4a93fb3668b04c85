/**
 * WebSocket upgrades. Codex with its built-in OpenAI provider first asks for the Responses API over a
 * WebSocket (`GET /v1/responses`, `Upgrade: websocket`) and falls back to HTTP streaming only when
 * told so: a 405 makes it retry the upgrade for seconds, a 426 makes it fall back at once. Switchyard
 * serves the Responses API over HTTP only, so every upgrade is answered 426 on the spot (an
 * OpenAI-shaped error body), before any body is read or any credential is looked at.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

export function refuseUpgrade(req: IncomingMessage, socket: Duplex): void {
  const path = (req.url ?? '/').split('?')[0]
  const responses = path === '/v1/responses' || path === '/responses'
  const status = responses ? '426 Upgrade Required' : '404 Not Found'
  const message = responses
    ? 'The Responses API is served over HTTP here (POST /v1/responses with stream: true), not over a WebSocket.'
    : `no WebSocket endpoint at ${path}`
  const body = JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: responses ? 'websocket_not_supported' : 'not_found' } })
  socket.on('error', () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  )
}
