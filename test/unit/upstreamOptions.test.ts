/** Which upstreams get reasoning settings and which max-tokens field: by dialect, provider kind and model family. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { takesReasoning, upstreamOptions } from '../../main/gateway/upstreamOptions.ts'
import { openai } from '../../main/providers/openai.ts'
import { openaiCompatible } from '../../main/providers/openaiCompatible.ts'

test('models that take reasoning', () => {
  const cases: Array<[Parameters<typeof takesReasoning>[0]['dialect'], string, boolean]> = [
    ['anthropic', 'claude-sonnet-4-5-20250929', true],
    ['anthropic', 'claude-3-7-sonnet-20250219', true],
    ['anthropic', 'claude-opus-4-1', true],
    ['anthropic', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', true],
    ['anthropic', 'claude-3-5-haiku-20241022', false],
    ['openai', 'o3', true],
    ['openai', 'gpt-5-mini', true],
    ['openai', 'openai/o4-mini', true],
    ['openai', 'gpt-4o', false],
    ['openai', 'llama3.2', false],
    ['responses', 'gpt-5', true],
    ['gemini', 'gemini-2.5-flash', true],
    ['gemini', 'gemini-2.0-flash', false],
    ['converse', 'amazon.nova-lite-v1:0', true],
  ]
  for (const [dialect, model, want] of cases) assert.equal(takesReasoning({ dialect, model }), want, `${dialect} ${model}`)
})

test('max_completion_tokens for OpenAI itself and for reasoning models anywhere; max_tokens elsewhere', () => {
  assert.equal(upstreamOptions({ dialect: 'openai', model: 'gpt-4o', spec: openai }).maxTokensField, 'max_completion_tokens')
  assert.equal(upstreamOptions({ dialect: 'openai', model: 'o3-mini', spec: openaiCompatible }).maxTokensField, 'max_completion_tokens')
  assert.equal(upstreamOptions({ dialect: 'openai', model: 'qwen3', spec: openaiCompatible }).maxTokensField, undefined)
  assert.deepEqual(upstreamOptions({ dialect: 'anthropic', model: 'claude-3-5-haiku-20241022', spec: openaiCompatible }), { model: 'claude-3-5-haiku-20241022' })
})
