/**
 * OpenAI-shaped errors (`{"error":{"message","type","param","code"}}`) ⇄ canonical ChatError. The same shape
 * serves chat completions and the Responses API. Pure.
 * https://platform.openai.com/docs/guides/error-codes
 */
import type { ChatError, ChatErrorKind } from '../canonical.ts'
import { kindOfStatus, statusOfKind } from '../chatError.ts'
import { asString, isObject } from '../json.ts'
import type { OpenAIChatErrorBody } from './types.ts'

const kindOfName: Record<string, ChatErrorKind> = {
  invalid_request_error: 'invalid_request',
  context_length_exceeded: 'invalid_request',
  authentication_error: 'authentication',
  invalid_api_key: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  model_not_found: 'not_found',
  rate_limit_error: 'rate_limit',
  rate_limit_exceeded: 'rate_limit',
  insufficient_quota: 'rate_limit',
  requests: 'rate_limit',
  tokens: 'rate_limit',
  server_error: 'api_error',
  api_error: 'api_error',
  overloaded_error: 'overloaded',
  timeout: 'timeout',
}

const typeOfKind: Record<ChatErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  rate_limit: 'rate_limit_error',
  api_error: 'api_error',
  overloaded: 'api_error',
  timeout: 'api_error',
}

/** `status` is 0 for an error that arrived inside a stream: the kind then comes from `type` or `code`. */
function toCanonical(status: number, body: unknown): ChatError {
  const e = isObject(body) && isObject(body.error) ? body.error : isObject(body) ? body : {}
  const type = asString(e.type)
  const code = asString(e.code) ?? (typeof e.code === 'number' ? String(e.code) : undefined)
  const fallback = `upstream error${status ? ` (HTTP ${status})` : ''}`
  const message = asString(e.message) ?? (isObject(body) ? asString(body.error) : undefined) ?? fallback
  // vLLM puts the HTTP status in a numeric `code` inside stream errors.
  if (status === 0 && typeof e.code === 'number' && e.code >= 400 && e.code < 600) status = e.code
  const named = (type ? kindOfName[type] : undefined) ?? (code ? kindOfName[code] : undefined)
  const kind = status > 0 ? kindOfStatus(status) : (named ?? 'api_error')
  const error: ChatError = { kind, message, status: status > 0 ? status : statusOfKind[kind] }
  if (code) error.code = code
  const param = asString(e.param)
  if (param) error.param = param
  return error
}

function fromCanonical(e: ChatError): { status: number; body: OpenAIChatErrorBody } {
  const error = { message: e.message, type: typeOfKind[e.kind], param: e.param ?? null, code: e.code ?? null }
  return { status: e.status, body: { error } }
}

export const openAIError = { toCanonical, fromCanonical }
