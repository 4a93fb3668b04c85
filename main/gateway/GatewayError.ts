/**
 * The one error type of the request path. Stages throw it; `server.ts` renders it once, in the
 * caller's dialect. Codes are stable strings a program can act on; messages are for people and
 * never contain a secret.
 */
export type GatewayErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'payload_too_large'
  | 'missing_api_key'
  | 'invalid_api_key'
  | 'provider_not_found'
  | 'provider_not_allowed'
  | 'model_not_found'
  | 'model_required'
  | 'unsupported_endpoint'
  | 'provider_unreachable'
  | 'upstream_timeout'
  | 'upstream_error'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal_error'

const statusOf: Record<GatewayErrorCode, number> = {
  invalid_request: 400,
  invalid_json: 400,
  payload_too_large: 413,
  missing_api_key: 401,
  invalid_api_key: 401,
  provider_not_found: 404,
  provider_not_allowed: 403,
  model_not_found: 404,
  model_required: 400,
  unsupported_endpoint: 400,
  provider_unreachable: 502,
  upstream_timeout: 504,
  upstream_error: 502,
  not_found: 404,
  method_not_allowed: 405,
  internal_error: 500,
}

export class GatewayError extends Error {
  readonly code: GatewayErrorCode
  readonly status: number
  /** The request field at fault, when there is one (OpenAI's `param`). */
  readonly param: string | null

  constructor(code: GatewayErrorCode, message: string, opts: { cause?: unknown; param?: string; status?: number } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'GatewayError'
    this.code = code
    this.status = opts.status ?? statusOf[code]
    this.param = opts.param ?? null
  }
}
