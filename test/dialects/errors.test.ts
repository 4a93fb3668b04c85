/** Errors in each caller's own shape: Anthropic's type names and statuses, OpenAI's body, Responses' stream event. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderAnthropicError, renderAnthropicStreamError } from '../../main/dialects/anthropic/renderError.ts'
import { renderResponsesStreamError } from '../../main/dialects/responses/renderError.ts'
import { sse } from '../../main/dialects/sse.ts'
import { translateError } from '../../main/dialects/translate.ts'
import { GatewayError } from '../../main/gateway/GatewayError.ts'
import type { GatewayErrorCode } from '../../main/gateway/GatewayError.ts'

// https://docs.claude.com/en/api/errors
const anthropicTypes: [GatewayErrorCode, number, string][] = [
  ['invalid_request', 400, 'invalid_request_error'],
  ['invalid_api_key', 401, 'authentication_error'],
  ['provider_not_allowed', 403, 'permission_error'],
  ['model_not_found', 404, 'not_found_error'],
  ['payload_too_large', 413, 'request_too_large'],
  ['internal_error', 500, 'api_error'],
  ['upstream_error', 502, 'api_error'],
  ['upstream_timeout', 408, 'api_error'],
]

for (const [code, status, type] of anthropicTypes) {
  test(`GatewayError ${code} renders as Anthropic ${status} ${type}`, () => {
    assert.deepEqual(renderAnthropicError(new GatewayError(code, 'Something went wrong')), {
      status,
      body: { type: 'error', error: { type, message: 'Something went wrong' } },
    })
  })
}

test('after the first byte, Anthropic callers get an SSE error event', () => {
  const text = sse.write(renderAnthropicStreamError(new GatewayError('upstream_timeout', 'Upstream timed out')))
  const data = '{"type":"error","error":{"type":"api_error","message":"Upstream timed out"}}'
  assert.deepEqual(sse.parser().push(text), [{ event: 'error', data }])
})

test('after the first byte, Responses callers get an `error` event, then `response.failed`, numbered on', () => {
  const text = sse.write(renderResponsesStreamError(new GatewayError('upstream_error', 'Upstream failed'), { events: 12, created: null }))
  const [event, failed] = sse.parser().push(text)
  assert.equal(event?.event, 'error')
  assert.equal(failed?.event, 'response.failed')
  assert.equal((JSON.parse(failed?.data ?? '') as { sequence_number: number }).sequence_number, 13)
  assert.deepEqual(JSON.parse(event?.data ?? ''), {
    type: 'error',
    sequence_number: 12,
    code: 'upstream_error',
    message: 'Upstream failed',
    param: null,
  })
})

test('upstream errors keep their meaning across dialects', () => {
  const overloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }
  assert.deepEqual(translateError(529, overloaded, 'anthropic', 'openai'), {
    status: 529,
    body: { error: { message: 'Overloaded', type: 'api_error', param: null, code: null } },
  })
  const message = 'You exceeded your current quota'
  const quota = { error: { message, type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }
  assert.deepEqual(translateError(429, quota, 'openai', 'anthropic'), {
    status: 429,
    body: { type: 'error', error: { type: 'rate_limit_error', message } },
  })
  const notJson = translateError(502, '<html>Bad gateway</html>', 'openai', 'anthropic')
  assert.deepEqual(notJson, { status: 502, body: { type: 'error', error: { type: 'api_error', message: 'upstream error (HTTP 502)' } } })
  assert.deepEqual(translateError(400, overloaded, 'anthropic', 'anthropic'), { status: 400, body: overloaded })
})
