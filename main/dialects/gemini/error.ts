/**
 * Google API errors (`{"error":{"code","message","status"}}`, the google.rpc.Status JSON mapping) ⇄
 * canonical ChatError. Streams without `alt=sse` wrap the error in an array; both are read. Pure.
 * https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes and
 * https://cloud.google.com/apis/design/errors#http_mapping
 */
import type { ChatError, ChatErrorKind } from '../canonical.ts'
import { kindOfStatus, statusOfKind } from '../chatError.ts'
import { asNumber, asString, isObject } from '../json.ts'
import type { GeminiErrorBody } from './types.ts'

const kindOfStatusName: Record<string, ChatErrorKind> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  INTERNAL: 'api_error',
  UNKNOWN: 'api_error',
  CANCELLED: 'api_error',
}

const statusNameOfKind: Record<ChatErrorKind, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  request_too_large: 'INVALID_ARGUMENT',
  rate_limit: 'RESOURCE_EXHAUSTED',
  api_error: 'INTERNAL',
  timeout: 'DEADLINE_EXCEEDED',
  overloaded: 'UNAVAILABLE',
}

/** Google's HTTP code for each canonical kind (no 529 on Google's side: overloaded is 503). */
const httpOfKind: Record<ChatErrorKind, number> = { ...statusOfKind, overloaded: 503 }

/** `status` is 0 for an error inside a stream: the kind then comes from the error's own code or status. */
function toCanonical(status: number, body: unknown): ChatError {
  const wrapped = Array.isArray(body) ? body[0] : body
  const e = isObject(wrapped) && isObject(wrapped.error) ? wrapped.error : {}
  const name = asString(e.status)
  const code = status > 0 ? status : (asNumber(e.code) ?? 0)
  const kind = (name ? kindOfStatusName[name] : undefined) ?? (code > 0 ? kindOfStatus(code) : 'api_error')
  const message = asString(e.message) ?? (typeof body === 'string' && body ? body : `upstream error${status ? ` (HTTP ${status})` : ''}`)
  const error: ChatError = { kind, message, status: code > 0 ? code : statusOfKind[kind] }
  if (name) error.code = name
  return error
}

function fromCanonical(e: ChatError): { status: number; body: GeminiErrorBody } {
  const status = e.status === 529 ? 503 : e.status || httpOfKind[e.kind]
  return { status, body: { error: { code: status, message: e.message, status: statusNameOfKind[e.kind] } } }
}

export const geminiError = { toCanonical, fromCanonical }
