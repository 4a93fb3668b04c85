/** The one scrubber: whole texts, buffers, and streams with a secret split at every possible point. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { GatewayError } from '../../main/gateway/GatewayError.ts'
import { renderError } from '../../main/dialects/renderError.ts'
import { sse } from '../../main/dialects/sse.ts'
import type { LimitDenial } from '../../main/limits/LimitDenial.ts'
import { createChunkScrubber, credentialsIn, redact, redactRecent, scrub, scrubberFor } from '../../main/scrubber.ts'

const VAULT = 'sk-vault-secret-0123456789'
const BYO = 'sk-byo-secret-9876543210'
redact(VAULT)

test('texts: vault secrets and a route\'s own credentials are masked; short values are never registered', () => {
  redact('short')
  assert.equal(scrub(`key ${VAULT} and short`), 'key [redacted] and short')
  const s = scrubberFor({ authorization: `Bearer ${BYO}`, 'content-type': 'application/json' })
  assert.equal(s.text(`a ${BYO} b ${VAULT}`), 'a [redacted] b [redacted]')
  assert.equal(scrub(`log ${BYO}`), 'log [redacted]', 'a bring-your-own key also reaches the log scrubber')
  assert.deepEqual(credentialsIn({ 'x-api-key': 'k-0123456789', 'api-key': 'short' }), ['k-0123456789'])
})

test('streams: a secret split at any point across chunks never goes out, and every other byte does', () => {
  const text = `data: {"error":"bad key ${BYO} and ${VAULT}"}\n\ndata: [DONE]\n\n`
  const expected = 'data: {"error":"bad key [redacted] and [redacted]"}\n\ndata: [DONE]\n\n'
  const secrets = [Buffer.from(VAULT), Buffer.from(BYO)]
  const bytes = Buffer.from(text)
  for (let cut = 1; cut < bytes.length; cut++) {
    for (const second of [cut, Math.min(bytes.length, cut + 7)]) {
      const s = createChunkScrubber(secrets)
      const parts = [bytes.subarray(0, cut), bytes.subarray(cut, second), bytes.subarray(second)]
      const out = Buffer.concat([...parts.map((p) => s.push(p)), s.end()]).toString()
      assert.equal(out, expected, `cut at ${cut}/${second}`)
    }
  }
})

test('streams: nothing is held back when a chunk cannot begin a secret (events go out at once)', () => {
  const s = createChunkScrubber([Buffer.from(VAULT)])
  const event = Buffer.from('data: {"x":1}\n\n')
  assert.equal(s.push(event), event, 'the same buffer, no copy')
  assert.equal(s.push(Buffer.from('data: sk-va')).toString(), 'data: ', 'a possible start is held')
  assert.equal(s.push(Buffer.from('lue\n\n')).toString(), 'sk-value\n\n', 'and released when it is not a secret')
})

test('one exit for errors: body and stream renderings agree, a budget refusal is insufficient_quota with its limit, messages are scrubbed', () => {
  const limit: LimitDenial = { kind: 'budget', scope: { kind: 'apiKey', id: 'k', label: 'k' }, unit: 'usd', limit: 1, used: 1, reserved: 0, requested: 1, period: 'monthly', resetAt: null, retryAfterMs: null }
  const e = new GatewayError('budget_exceeded', `over budget, key ${VAULT}`, { limit })
  const body = renderError.openai.body(e).body as { error: { type: string; message: string; limit?: unknown } }
  const [event] = sse.parser().push(sse.write(renderError.openai.stream(e)))
  const streamed = JSON.parse(event?.data ?? '') as typeof body
  assert.equal(body.error.type, 'insufficient_quota')
  assert.deepEqual(streamed, body)
  assert.ok(body.error.limit)
  assert.ok(!JSON.stringify(body).includes(VAULT))
  for (const d of ['anthropic', 'responses'] as const) {
    assert.ok(!JSON.stringify(renderError[d].body(e)).includes(VAULT), d)
    assert.ok(!sse.write(renderError[d].stream(e)).includes(VAULT), d)
  }
})

test('the recent keys keep the most recently used few hundred: a key used again outlives those used once since', () => {
  const key = (i: number) => `sk-recent-lru-${String(i).padStart(6, '0')}-abcdef`
  for (let i = 0; i < 300; i++) redactRecent(key(i)) // only these are left
  redactRecent(key(50)) // used again: the newest
  redactRecent(key(50)) // and again: still the newest
  for (let i = 300; i < 300 + 250; i++) redactRecent(key(i)) // 250 newer keys push out the oldest of the rest
  assert.equal(scrub(key(50)), '[redacted]', 'used again, kept')
  assert.equal(scrub(key(51)), key(51), 'used once before, pushed out')
  assert.equal(scrub(key(549)), '[redacted]')
})
