/**
 * Bedrock's HTTP errors (`x-amzn-ErrorType: ValidationException:…` and `{"message": …}`) as Anthropic
 * error bodies, so Anthropic callers get the shape their SDK reads and the gateway can translate them
 * for the others. The status is kept. Pure.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html#API_runtime_InvokeModel_Errors
 */
import type { ResponseHead } from '../provider.ts'

const typeOf: Record<string, string> = {
  ValidationException: 'invalid_request_error',
  AccessDeniedException: 'permission_error',
  UnrecognizedClientException: 'authentication_error',
  InvalidSignatureException: 'authentication_error',
  IncompleteSignatureException: 'authentication_error',
  MissingAuthenticationTokenException: 'authentication_error',
  ExpiredTokenException: 'authentication_error',
  ResourceNotFoundException: 'not_found_error',
  ThrottlingException: 'rate_limit_error',
  ServiceQuotaExceededException: 'rate_limit_error',
  ServiceUnavailableException: 'overloaded_error',
  ModelNotReadyException: 'overloaded_error',
  ModelTimeoutException: 'api_error',
  ModelErrorException: 'api_error',
  InternalServerException: 'api_error',
}

function typeOfStatus(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 403) return 'permission_error'
  if (status === 404) return 'not_found_error'
  if (status === 429) return 'rate_limit_error'
  if (status === 503) return 'overloaded_error'
  return status >= 500 ? 'api_error' : 'invalid_request_error'
}

export function bedrockError(head: ResponseHead, body: Buffer): Buffer {
  const header = head.headers['x-amzn-errortype']
  const errorType = (Array.isArray(header) ? header[0] : header)?.split(':')[0] || undefined
  const text = body.toString('utf8')
  let message = text.trim()
  try {
    const parsed = JSON.parse(text) as { message?: unknown; Message?: unknown }
    const m = parsed.message ?? parsed.Message
    if (typeof m === 'string') message = m
  } catch {
    // not JSON: the raw text is the message
  }
  const type = (errorType && typeOf[errorType]) ?? typeOfStatus(head.status)
  const full = errorType ? `Bedrock ${errorType}: ${message || `HTTP ${head.status}`}` : message || `Bedrock answered HTTP ${head.status}`
  return Buffer.from(JSON.stringify({ type: 'error', error: { type, message: full } }))
}
