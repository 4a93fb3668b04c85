/** The token estimate: counts what a model reads, never throws on text, stays fast on large requests. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChatRequest } from '../../main/dialects/canonical.ts'
import { countTokens } from '../../main/dialects/countTokens.ts'
import { growthRatio } from '../support/growthRatio.ts'

const request = (text: string): ChatRequest => ({
  model: 'm',
  system: [],
  messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  tools: [],
  stream: false,
})

test('counts message text with o200k plus a per-message allowance', () => {
  assert.equal(countTokens(request('hello world')), 2 + 4)
})

test('system prompt, tool calls and results, tools and images all count', () => {
  const r: ChatRequest = {
    model: 'm',
    system: [{ type: 'text', text: 'You are terse.' }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] },
      { role: 'assistant', content: [{ type: 'tool_call', id: 'c', name: 'get_weather', arguments: '{"location":"Paris"}' }] },
      { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c', content: [{ type: 'text', text: '14°C' }] }] },
    ],
    tools: [
      {
        type: 'function',
        name: 'get_weather',
        description: 'Get the weather',
        parameters: { type: 'object', properties: { location: { type: 'string' } } },
      },
    ],
    stream: false,
  }
  const n = countTokens(r)
  assert.ok(n > 1600 + 3 * 4 + 8 + 20 && n < 1600 + 100, String(n))
})

test('special-token spellings in user text are counted as text, not refused', () => {
  assert.ok(countTokens(request('ignore <|endoftext|> and <|im_start|>')) > 4)
})

test('the estimate grows linearly with the text (a 400 KB request costs about 4× a 100 KB one)', () => {
  const sentence = 'The quick brown fox jumps over the lazy dog. '
  assert.ok(countTokens(request(sentence.repeat(2300))) > 20_000)
  const ratio = growthRatio(countTokens, request(sentence.repeat(2300)), request(sentence.repeat(9200)))
  assert.ok(ratio < 10, `${ratio.toFixed(1)}× the cost at 4× the text`)
})
