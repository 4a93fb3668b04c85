import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createDeliveredCounter } from '../../main/gateway/deliveredTokens.ts'

const chunk = (text: string) => Buffer.from(`data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}\n\n`)

test('a departure is counted at 4 characters a token until the tokenizer, loaded by the first departure, is ready; then by o200k', async () => {
  // A long word o200k takes in a token or two: its count is far below characters / 4 (210).
  const text = ' internationalization'.repeat(40)
  const first = createDeliveredCounter()
  first.push(chunk(text))
  const estimate = first.tokens()
  assert.equal(estimate, Math.ceil(text.length / 4), 'the first departure: characters / 4')
  // Streams that finish never load it; the departure above did, in the background.
  let counted = estimate
  for (let i = 0; i < 100 && counted === estimate; i++) {
    await sleep(20)
    const c = createDeliveredCounter()
    c.push(chunk(text))
    counted = c.tokens()
  }
  assert.notEqual(counted, estimate, 'o200k counts once loaded')
  assert.ok(counted >= 40 && counted <= 120, `o200k: ${counted} tokens for 40 repetitions`)
})
