/**
 * The Control API over HTTP, for the headless server and scripts: `POST /admin/api/<command>` with
 * the command's input as JSON, answered with a `Result`. Every call needs the admin token; Host must
 * be this server's loopback name (DNS-rebinding defence) and a browser Origin must be this server's own.
 * `GET /admin/openapi.json` documents it.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { Result } from '../../preload/contract.ts'
import { sendJson } from '../gateway/server.ts'
import type { GatewayRequest } from '../gateway/types.ts'
import { log } from '../log.ts'
import { ControlError } from './ControlError.ts'
import type { ControlService } from './createControlService.ts'
import { createEventStream } from './createEventStream.ts'
import { openApiDocument } from './openApiDocument.ts'

export type AdminHttpOptions = {
  token: string
  /** Host header values accepted, e.g. `127.0.0.1:8787`; null accepts any (non-loopback binding, opt-in). */
  allowedHosts: () => ReadonlySet<string> | null
  version: string
}

const digest = (s: string) => createHash('sha256').update(s).digest()
const noToken = () => new ControlError('unauthorized', 'admin token missing or wrong: send "Authorization: Bearer <admin token>"')

export function createAdminHttp(control: ControlService, opts: AdminHttpOptions) {
  const tokenDigest = digest(opts.token)
  const events = createEventStream(control)
  const authorized = (req: GatewayRequest) =>
    timingSafeEqual(digest(String(req.headers.authorization ?? '').match(/^Bearer\s+(.+)$/i)?.[1] ?? ''), tokenDigest)

  function fail(res: ServerResponse, e: ControlError): void {
    const body: Result<never> = { ok: false, error: { code: e.code, message: e.message, ...(e.path ? { path: e.path } : {}) } }
    sendJson(res, e.status, body, { 'cache-control': 'no-store' })
  }

  async function admin(req: GatewayRequest, res: ServerResponse): Promise<void> {
    const host = String(req.headers.host ?? '')
    const allowed = opts.allowedHosts()
    if (allowed && !allowed.has(host.toLowerCase())) {
      return fail(res, new ControlError('forbidden', `Host '${host}' is not allowed for the admin API`))
    }
    const origin = req.headers.origin
    if (origin !== undefined && origin !== `http://${host}`) {
      return fail(res, new ControlError('forbidden', `Origin '${origin}' is not allowed for the admin API`))
    }
    if (req.path === '/admin/openapi.json' && req.method === 'GET') {
      return sendJson(res, 200, openApiDocument(opts.version))
    }
    if (req.path === '/admin/events' && req.method === 'GET') {
      if (!authorized(req)) return fail(res, noToken())
      return events.handle(res)
    }
    const prefix = '/admin/api/'
    if (!req.path.startsWith(prefix)) return fail(res, new ControlError('not_found', `no admin route ${req.path}`))
    if (!authorized(req)) return fail(res, noToken())
    const name = decodeURIComponent(req.path.slice(prefix.length))
    if (!control.has(name)) return fail(res, new ControlError('not_found', `no command '${name}'`))
    if (req.method !== 'POST') return fail(res, new ControlError('invalid_input', `use POST ${req.path}`))
    let input: unknown = {}
    if (req.body.length > 0) {
      try {
        input = JSON.parse(req.body.toString('utf8'))
      } catch {
        return fail(res, new ControlError('invalid_input', 'body is not valid JSON'))
      }
    }
    try {
      const value = await control.invoke(name, input)
      sendJson(res, 200, { ok: true, value } satisfies Result<unknown>, { 'cache-control': 'no-store' })
    } catch (err) {
      if (err instanceof ControlError) return fail(res, err)
      log.error('control command failed', { command: name, error: err })
      fail(res, new ControlError('internal_error', `${name} failed unexpectedly; see the server log`))
    }
  }
  // closeStreams: the server's stop ends the event streams, which would otherwise hold it open.
  return Object.assign(admin, { closeStreams: events.close })
}
