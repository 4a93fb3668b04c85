/**
 * Bedrock errors ⇄ canonical ChatError. HTTP errors arrive as `{"message"}` with the exception name in
 * the `x-amzn-ErrorType` header, which the Bedrock transport moves into the body as `__type`; ConverseStream
 * sends in-band exceptions as event-stream messages (`throttlingException`, `modelStreamErrorException`
 * with the model's `originalStatusCode`…), which reach the stream converter as events named after them.
 * Type names are matched case-insensitively (`ThrottlingException` over HTTP, `throttlingException` in
 * streams). Pure.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors and
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html#API_runtime_ConverseStream_Errors
 */
import type { ChatError, ChatErrorKind } from '../canonical.ts'
import { kindOfStatus, statusOfKind } from '../chatError.ts'
import { asNumber, asString, isObject } from '../json.ts'
import type { ConverseErrorBody } from './types.ts'

const kindOfType: Record<string, ChatErrorKind> = {
  validationexception: 'invalid_request',
  accessdeniedexception: 'permission',
  unrecognizedclientexception: 'authentication',
  invalidsignatureexception: 'authentication',
  incompletesignatureexception: 'authentication',
  missingauthenticationtokenexception: 'authentication',
  expiredtokenexception: 'authentication',
  resourcenotfoundexception: 'not_found',
  throttlingexception: 'rate_limit',
  servicequotaexceededexception: 'rate_limit',
  serviceunavailableexception: 'overloaded',
  modelnotreadyexception: 'overloaded',
  modeltimeoutexception: 'timeout',
  modelerrorexception: 'api_error',
  modelstreamerrorexception: 'api_error',
  internalserverexception: 'api_error',
}

const typeOfKind: Record<ChatErrorKind, string> = {
  invalid_request: 'ValidationException',
  authentication: 'UnrecognizedClientException',
  permission: 'AccessDeniedException',
  not_found: 'ResourceNotFoundException',
  request_too_large: 'ValidationException',
  rate_limit: 'ThrottlingException',
  api_error: 'InternalServerException',
  timeout: 'ModelTimeoutException',
  overloaded: 'ServiceUnavailableException',
}

/** Bedrock's status for each kind (no 529 on AWS's side: overloaded is 503). */
const httpOfKind: Record<ChatErrorKind, number> = { ...statusOfKind, overloaded: 503, timeout: 408 }

/** `ValidationException:http://internal.amazon.com/coral/…` → `ValidationException`; a stream's `throttlingException` → `ThrottlingException`. */
export function exceptionName(type: string): string {
  const name = type.split(':')[0]?.split('#').at(-1) ?? type
  return name.charAt(0).toUpperCase() + name.slice(1)
}

/** `status` is 0 for an exception inside a stream: the kind then comes from its type (or the model's status). */
function toCanonical(status: number, body: unknown): ChatError {
  const b = isObject(body) ? body : {}
  const type = asString(b.__type) ?? asString(b.type)
  const name = type ? exceptionName(type) : undefined
  const original = asNumber(b.originalStatusCode)
  const code = status > 0 ? status : (original ?? 0)
  const kind = (original !== undefined ? kindOfStatus(original) : undefined) ?? (name ? kindOfType[name.toLowerCase()] : undefined) ?? (code > 0 ? kindOfStatus(code) : 'api_error')
  const text = asString(b.message) ?? asString(b.Message) ?? (typeof body === 'string' && body ? body : `upstream error${status ? ` (HTTP ${status})` : ''}`)
  const error: ChatError = { kind, message: name && !text.startsWith(`Bedrock ${name}`) ? `Bedrock ${name}: ${text}` : text, status: code > 0 ? code : statusOfKind[kind] }
  if (name) error.code = name
  return error
}

function fromCanonical(e: ChatError): { status: number; body: ConverseErrorBody } {
  const status = e.status === 529 ? 503 : e.status || httpOfKind[e.kind]
  return { status, body: { __type: typeOfKind[e.kind], message: e.message } }
}

export const converseError = { toCanonical, fromCanonical }
