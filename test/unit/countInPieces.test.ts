import assert from 'node:assert/strict'
import { test } from 'node:test'
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base'
import { countInPieces } from '../../main/dialects/countInPieces.ts'

const count = (s: string) => countTokens(s, { disallowedSpecial: new Set() })

test('countInPieces: short text is counted whole; long prose within 1 % of a whole count', () => {
  assert.equal(countInPieces('hello world', count), count('hello world'))
  const prose = Array.from({ length: 3000 }, (_, i) => `word${i % 97} and some more text, number ${i}.`).join(' ')
  const whole = count(prose)
  const pieces = countInPieces(prose, count)
  assert.ok(Math.abs(pieces - whole) / whole < 0.01, `${pieces} vs ${whole}`)
})

test('countInPieces: a long run with no boundaries is cut into bounded pieces (BPE is quadratic in a piece)', () => {
  const lengths: number[] = []
  const total = countInPieces('x'.repeat(80_000), (piece) => (lengths.push(piece.length), count(piece)))
  assert.ok(lengths.length >= 40, `${lengths.length} pieces`)
  assert.ok(Math.max(...lengths) <= 2048)
  assert.ok(total > 0)
})
