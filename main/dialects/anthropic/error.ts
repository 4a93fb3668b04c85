/**
 * Anthropic errors (`{"type":"error","error":{"type","message"}}`) ⇄ canonical ChatError, with Anthropic's
 * error type names and statuses. Pure.
 * https://docs.claude.com/en/api/errors
 */
import type { ChatError, ChatErrorKind } from '../canonical.ts'
import { kindOfStatus, statusOfKind } from '../chatError.ts'
import { asString, isObject } from '../json.ts'
import type { AnthropicErrorBody } from './types.ts'

const typeOfKind: Record<ChatErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  api_error: 'api_error',
  timeout: 'api_error',
  overloaded: 'overloaded_error',
}

const kindOfType: Record<string, ChatErrorKind> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  billing_error: 'permission',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limit',
  api_error: 'api_error',
  timeout_error: 'timeout',
  overloaded_error: 'overloaded',
}

/** `status` is 0 for an `error` event inside a stream: the kind then comes from the error type. */
function toCanonical(status: number, body: unknown): ChatError {
  const e = isObject(body) && isObject(body.error) ? body.error : {}
  const type = asString(e.type)
  const kind = (type ? kindOfType[type] : undefined) ?? (status > 0 ? kindOfStatus(status) : 'api_error')
  const message = asString(e.message) ?? `upstream error${status ? ` (HTTP ${status})` : ''}`
  return { kind, message, status: status > 0 ? status : statusOfKind[kind] }
}

function fromCanonical(e: ChatError): { status: number; body: AnthropicErrorBody } {
  return { status: e.status, body: { type: 'error', error: { type: typeOfKind[e.kind], message: e.message } } }
}

export const anthropicError = { toCanonical, fromCanonical }
