/** Every governance error's shape: status, OpenAI body (with the limit as data) and headers. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderOpenAIError } from '../../main/dialects/openai/renderError.ts'
import { limitError } from '../../main/gateway/enforceLimits.ts'
import { GatewayError, type GatewayErrorCode } from '../../main/gateway/GatewayError.ts'
import type { LimitDenial } from '../../main/limits/LimitDenial.ts'

const NOW = Date.parse('2026-11-23T10:00:00Z')
const base: LimitDenial = {
  kind: 'budget', scope: { kind: 'workspace', id: 'ws_1', label: "workspace 'ide'" }, unit: 'usd', limit: 5_000_000, used: 5_000_120,
  reserved: 0, requested: 900, period: 'monthly', resetAt: Date.parse('2026-12-01T00:00:00Z'), retryAfterMs: null,
}

test('budget exhausted: 412 insufficient_quota, the limit, the spend and the reset; no retry', () => {
  const e = limitError(base, [], NOW)
  const { status, body } = renderOpenAIError(e)
  assert.equal(status, 412)
  assert.equal(body.error.code, 'budget_exceeded')
  assert.equal(body.error.type, 'insufficient_quota')
  assert.equal(body.error.message, "monthly USD budget of workspace 'ide' is exhausted: spent $5.00012 of $5.00; resets at 2026-12-01T00:00:00.000Z (in 8 days)")
  assert.deepEqual(body.error.limit, {
    kind: 'budget', scope: 'workspace', scope_id: 'ws_1', scope_label: "workspace 'ide'", unit: 'usd', limit: 5_000_000, used: 5_000_120,
    reserved: 0, requested: 900, period: 'monthly', resets_at: '2026-12-01T00:00:00.000Z', retry_after_ms: null,
  })
  assert.deepEqual(e.headers, { 'x-should-retry': 'false' })
})

test('budget short for this call: what is left and what the call may need', () => {
  const e = limitError({ ...base, used: 4_999_000, reserved: 500, unit: 'usd' }, [], NOW)
  assert.equal(e.message, "monthly USD budget of workspace 'ide' cannot cover this call: spent $4.999 of $5.00, $0.0005 held by calls in flight, $0.0005 left, this call may need up to $0.0009; resets at 2026-12-01T00:00:00.000Z (in 8 days)")
})

test('rate limited: 429 with Retry-After (seconds, rounded up) and retry-after-ms; the slowest of several refusals', () => {
  const d: LimitDenial = { ...base, kind: 'rate', unit: 'requests', limit: 60, used: 60, requested: 1, period: 'minute', resetAt: NOW + 1500, retryAfterMs: 1500 }
  const other: LimitDenial = { ...d, scope: { kind: 'apiKey', id: 'k', label: "API key 'ci'" }, retryAfterMs: 4200 }
  const e = limitError(d, [other], NOW)
  const { status, body } = renderOpenAIError(e)
  assert.equal(status, 429)
  assert.equal(body.error.type, 'rate_limit_error')
  assert.equal(body.error.code, 'rate_limited')
  assert.deepEqual(e.headers, { 'retry-after': '5', 'retry-after-ms': '4200' })
  assert.match(e.message, /^rate limit of workspace 'ide' reached: 60 requests of 60 requests per minute used; retry in 2 s$/)
})

test('rate limit a call can never meet, and long waits: SDKs are told not to retry', () => {
  const never = limitError({ ...base, kind: 'rate', unit: 'tokens', limit: 1000, used: 0, requested: 5000, period: 'minute', resetAt: null, retryAfterMs: null }, [], NOW)
  assert.deepEqual(never.headers, { 'x-should-retry': 'false' })
  const day = limitError({ ...base, kind: 'rate', unit: 'requests', limit: 1, used: 1, requested: 1, period: 'day', resetAt: NOW + 3_600_000, retryAfterMs: 3_600_000 }, [], NOW)
  assert.equal(day.headers['retry-after'], '3600')
  assert.equal(day.headers['x-should-retry'], 'false')
})

test('concurrency and unknown price', () => {
  const c = limitError({ ...base, kind: 'concurrency', unit: 'calls', limit: 2, used: 2, requested: 1, period: 'now', resetAt: null, retryAfterMs: 1000 }, [], NOW)
  assert.equal(c.status, 429)
  assert.equal(c.headers['retry-after'], '1')
  const p = limitError({ ...base, kind: 'price_unknown' }, [], NOW)
  assert.equal(p.status, 412)
  assert.equal(p.code, 'price_unknown')
})

const statuses: Array<[GatewayErrorCode, number, string]> = [
  ['budget_exceeded', 412, 'insufficient_quota'],
  ['price_unknown', 412, 'insufficient_quota'],
  ['rate_limited', 429, 'rate_limit_error'],
  ['model_not_provisioned', 403, 'permission_error'],
  ['key_scope_denied', 403, 'permission_error'],
  ['api_key_expired', 401, 'authentication_error'],
]
for (const [code, status, type] of statuses) {
  test(`${code}: ${status} ${type}`, () => {
    const { status: s, body } = renderOpenAIError(new GatewayError(code, 'm'))
    assert.deepEqual([s, body.error.type, body.error.code, body.error.limit], [status, type, code, undefined])
  })
}

test('the same refusals in Anthropic format keep their status, message and kind', async () => {
  const { renderAnthropicError } = await import('../../main/dialects/anthropic/renderError.ts')
  const budget = renderAnthropicError(limitError(base, [], NOW))
  assert.equal(budget.status, 412)
  assert.equal(budget.body.type, 'error')
  assert.match(budget.body.error.message, /monthly USD budget of workspace 'ide' is exhausted/)
  const rate = renderAnthropicError(limitError({ ...base, kind: 'rate', unit: 'requests', limit: 1, used: 1, requested: 1, period: 'minute', resetAt: NOW + 2000, retryAfterMs: 2000 }, [], NOW))
  assert.equal(rate.status, 429)
  assert.equal(rate.body.error.type, 'rate_limit_error')
  const denied = renderAnthropicError(new GatewayError('model_not_provisioned', 'no'))
  assert.deepEqual([denied.status, denied.body.error.type], [403, 'permission_error'])
})
