/**
 * Canonical errors: kinds, their HTTP statuses, and the bridge from the gateway's own GatewayError.
 * Every dialect renders a ChatError its own way (`<dialect>/error.ts`). Pure.
 */
import type { GatewayError } from '../errors/GatewayError.ts'
import type { ChatError, ChatErrorKind } from './canonical.ts'

export const statusOfKind: Record<ChatErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  request_too_large: 413,
  rate_limit: 429,
  api_error: 500,
  timeout: 504,
  overloaded: 529,
}

export const endedEarly = 'The upstream stream ended before the response was complete.'

export function kindOfStatus(status: number): ChatErrorKind {
  if (status === 401) return 'authentication'
  if (status === 402 || status === 403) return 'permission'
  if (status === 404) return 'not_found'
  if (status === 408 || status === 504) return 'timeout'
  if (status === 413) return 'request_too_large'
  if (status === 429) return 'rate_limit'
  if (status === 503 || status === 529) return 'overloaded'
  if (status >= 500) return 'api_error'
  return 'invalid_request'
}

export function chatError(kind: ChatErrorKind, message: string, status = statusOfKind[kind]): ChatError {
  return { kind, message, status }
}

export function chatErrorFromGateway(e: GatewayError): ChatError {
  const error: ChatError = { kind: kindOfStatus(e.status), message: e.message, status: e.status, code: e.code }
  if (e.param !== null) error.param = e.param
  return error
}
