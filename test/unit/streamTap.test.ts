/** The SSE usage tap: passthrough is byte-exact; hiding injected usage is event-exact; chunk splits anywhere are fine. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createOpenAIStreamTap } from '../../main/dialects/openai/streamTap.ts'

const chunk = (content: string, extra = '') => `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"${content}"}}]${extra}}\n\n`
const usage = '{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12,"prompt_tokens_details":{"cached_tokens":4}}'
const withUsage = [chunk('Hé', ',"usage":null'), chunk('llo', ',"usage":null'), `data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":${usage}}\n\n`, 'data: [DONE]\n\n'].join('')

function run(input: string, hideUsage: boolean, splitEvery: number) {
  const tap = createOpenAIStreamTap({ hideUsage })
  const bytes = Buffer.from(input)
  const parts: Buffer[] = []
  for (let i = 0; i < bytes.length; i += splitEvery) parts.push(Buffer.from(tap.push(bytes.subarray(i, i + splitEvery))))
  parts.push(Buffer.from(tap.end()))
  // Bytes are compared after joining: a split may fall inside a multi-byte character.
  return { out: Buffer.concat(parts).toString('utf8'), usage: tap.usage() }
}

for (const split of [1, 3, 7, 64, 100_000]) {
  test(`passthrough is byte-for-byte and reads usage (split every ${split} bytes)`, () => {
    const { out, usage: u } = run(withUsage, false, split)
    assert.equal(out, withUsage)
    assert.deepEqual(u, { inputTokens: 9, outputTokens: 3, cachedTokens: 4 })
  })

  test(`hiding injected usage removes the usage chunk and null fields only (split every ${split})`, () => {
    const { out, usage: u } = run(withUsage, true, split)
    assert.equal(out, [chunk('Hé'), chunk('llo'), 'data: [DONE]\n\n'].join(''))
    assert.deepEqual(u, { inputTokens: 9, outputTokens: 3, cachedTokens: 4 })
  })
}

test('usage on the last content chunk (vLLM, Mistral style) is read, and kept for the client in passthrough', () => {
  const input = chunk('x', `,"usage":${usage}`) + 'data: [DONE]\n\n'
  assert.equal(run(input, false, 5).out, input)
  const hidden = run(input, true, 5)
  assert.equal(hidden.out, chunk('x') + 'data: [DONE]\n\n')
  assert.equal(hidden.usage?.outputTokens, 3)
})

test('CRLF line endings are understood', () => {
  const input = withUsage.replaceAll('\n', '\r\n')
  assert.equal(run(input, false, 10).usage?.inputTokens, 9)
})

test('an error event in the stream is noticed', () => {
  const tap = createOpenAIStreamTap({ hideUsage: false })
  tap.push(Buffer.from('data: {"error":{"message":"overloaded","type":"server_error"}}\n\n'))
  assert.equal(tap.error(), 'overloaded')
})

test('no usage at all: null', () => {
  assert.equal(run(chunk('a') + 'data: [DONE]\n\n', false, 4).usage, null)
})
