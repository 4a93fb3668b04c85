/**
 * Portkey's `strict_open_ai_compliance: false` on Anthropic → OpenAI chat translation: content blocks
 * (tool calls left in `tool_calls`) and Anthropic's stop reason, whole and streamed; strict stays the default.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sse, type SseEvent } from '../../main/dialects/sse.ts'
import { createStreamTranslator, translateResponse } from '../../main/dialects/translate.ts'

const message = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [
    { type: 'thinking', thinking: 'Weather first.', signature: 'sig' },
    { type: 'text', text: 'Let me look.' },
    { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 5 },
}

type Choice = { finish_reason: string; message: { content: string; content_blocks?: unknown[]; tool_calls?: unknown[] } }

test('whole answer, not strict: content_blocks without tool_use, raw stop reason', () => {
  const { body } = translateResponse(message, 'anthropic', 'openai', { strictOpenAiCompliance: false })
  const choice = (body as { choices: Choice[] }).choices[0] as Choice
  assert.equal(choice.finish_reason, 'tool_use')
  assert.deepEqual(choice.message.content_blocks, [message.content[0], message.content[1]])
  assert.equal(choice.message.tool_calls?.length, 1)
})

test('whole answer, strict (the default): OpenAI only', () => {
  for (const o of [undefined, { strictOpenAiCompliance: true }]) {
    const choice = (translateResponse(message, 'anthropic', 'openai', o).body as { choices: Choice[] }).choices[0] as Choice
    assert.equal(choice.finish_reason, 'tool_calls')
    assert.equal(choice.message.content_blocks, undefined)
  }
})

test('a Responses caller is never loosened', () => {
  const body = translateResponse(message, 'anthropic', 'responses', { strictOpenAiCompliance: false }).body
  assert.ok(!JSON.stringify(body).includes('content_blocks'))
})

const events: SseEvent[] = [
  { event: 'message_start', data: JSON.stringify({ type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 0 } } }) },
  { event: 'content_block_start', data: JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }) },
  { event: 'content_block_delta', data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } }) },
  { event: 'content_block_delta', data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } }) },
  { event: 'content_block_stop', data: JSON.stringify({ type: 'content_block_stop', index: 0 }) },
  { event: 'content_block_start', data: JSON.stringify({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }) },
  { event: 'content_block_delta', data: JSON.stringify({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hi' } }) },
  { event: 'content_block_stop', data: JSON.stringify({ type: 'content_block_stop', index: 1 }) },
  { event: 'message_delta', data: JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } }) },
  { event: 'message_stop', data: JSON.stringify({ type: 'message_stop' }) },
]

type Chunk = { choices: Array<{ delta: { content?: string; content_blocks?: Array<{ index: number; delta: Record<string, string> }> }; finish_reason: string | null }> }

function run(strict: boolean | undefined): Chunk[] {
  const t = createStreamTranslator('anthropic', 'openai', strict === undefined ? {} : { strictOpenAiCompliance: strict })
  const out = [...events.flatMap((e) => t.push(e)), ...t.end()]
  return sse.parser().push(sse.write(out)).filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as Chunk)
}

test('stream, not strict: every non-tool block start and delta as content_blocks, in order, and the raw stop reason', () => {
  const chunks = run(false)
  const blocks = chunks.flatMap((c) => c.choices[0]?.delta.content_blocks ?? [])
  assert.deepEqual(blocks, [
    { index: 0, delta: { thinking: '', signature: '' } },
    { index: 0, delta: { thinking: 'Hmm.' } },
    { index: 0, delta: { signature: 'sig' } },
    { index: 1, delta: { text: '' } },
    { index: 1, delta: { text: 'Hi' } },
  ])
  assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'Hi')
  assert.deepEqual(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean), ['end_turn'])
})

test('stream, strict: the same chunks as before, none with content_blocks', () => {
  for (const strict of [undefined, true]) {
    const chunks = run(strict)
    assert.ok(chunks.every((c) => c.choices[0]?.delta.content_blocks === undefined))
    assert.deepEqual(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean), ['stop'])
  }
})
