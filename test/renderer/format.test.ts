// Display formatting: integer micro-USD to dollars, tokens, latency, hints.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { format } from '../../renderer/lib/format.ts'

test('usd formats integer micro-USD with as many decimals as the amount needs', () => {
  const cases: Array<[number | null, string]> = [
    [null, '—'],
    [0, '$0.00'],
    [1, '$0.000001'],
    [1_234, '$0.001234'],
    [9_999, '$0.009999'],
    [10_000, '$0.01'],
    [75_000, '$0.075'],
    [400_000, '$0.40'],
    [123_456, '$0.1235'],
    [1_000_000, '$1.00'],
    [1_234_567, '$1.23'],
    [1_235_000, '$1.24'],
    [1_234_567_890, '$1,234.57'],
    [-2_500_000, '-$2.50'],
    [2_000_000, '$2.00'],
    [100_000_000_000, '$100,000.00'],
  ]
  for (const [micros, expected] of cases) assert.equal(format.usd(micros), expected, String(micros))
})

test('tokens, compact tokens, latency', () => {
  assert.equal(format.tokens(null), '—')
  assert.equal(format.tokens(1234567), '1,234,567')
  assert.equal(format.tokensCompact(999), '999')
  assert.equal(format.tokensCompact(1_000), '1k')
  assert.equal(format.tokensCompact(1_250), '1.3k')
  assert.equal(format.tokensCompact(3_400_000), '3.4M')
  assert.equal(format.latency(42.4), '42 ms')
  assert.equal(format.latency(1_500), '1.50 s')
})

test('dateTime is zero-padded 24h in the given zone', () => {
  assert.equal(format.dateTime(Date.UTC(2026, 0, 2, 3, 4, 5), 'UTC'), '2026-01-02 03:04:05')
})

test('ago and credentialHint', () => {
  assert.equal(format.ago(null, 0), 'never')
  assert.equal(format.ago(0, 10_000), 'just now')
  assert.equal(format.ago(0, 5 * 60_000), '5 min ago')
  assert.equal(format.ago(0, 3 * 3_600_000), '3 h ago')
  assert.equal(format.ago(0, 72 * 3_600_000), '3 d ago')
  assert.equal(format.credentialHint('abcd'), '••••abcd')
  assert.equal(format.credentialHint(null), 'no key')
})
