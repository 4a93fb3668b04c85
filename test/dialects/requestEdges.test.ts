/** Request rules that golden files show only in passing: what is dropped, capped, kept or refused. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChatRequest } from '../../main/dialects/canonical.ts'
import { GatewayError } from '../../main/gateway/GatewayError.ts'
import { dialects, translateRequest, translateResponse } from '../../main/dialects/translate.ts'

const base: ChatRequest = {
  model: 'm',
  system: [],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  tools: [],
  stream: false,
}
const tool = { type: 'function' as const, name: 'f', parameters: { type: 'object' } }

test('bodies that are not requests of the dialect are refused with invalid_request', () => {
  for (const d of ['openai', 'anthropic'] as const) {
    assert.throws(
      () => dialects[d].request.toCanonical({ model: 'm' }),
      (e: unknown) => e instanceof GatewayError && e.code === 'invalid_request' && e.param === 'messages',
    )
  }
  assert.deepEqual(dialects.responses.request.toCanonical({ model: 'm' }).messages, [])
})

test('thinking goes back only to its own kind of upstream', () => {
  const history: ChatRequest = {
    ...base,
    messages: [
      ...base.messages,
      {
        role: 'assistant',
        content: [
          { type: 'thinking', text: 'signed', signature: 'sig' },
          { type: 'thinking', text: '', redactedData: 'opaque' },
          { type: 'thinking', text: 'from a Responses upstream', reasoningId: 'rs_1', encryptedContent: 'enc' },
          { type: 'thinking', text: 'from a chat upstream' },
          { type: 'text', text: 'answer' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'more' }] },
    ],
  }
  const anthropic = JSON.stringify(dialects.anthropic.request.fromCanonical(history))
  assert.match(anthropic, /"signature":"sig"/)
  assert.match(anthropic, /"redacted_thinking","data":"opaque"/)
  assert.doesNotMatch(anthropic, /from a (Responses|chat) upstream/)
  const responses = JSON.stringify(dialects.responses.request.fromCanonical(history))
  assert.match(responses, /"id":"rs_1","summary":\[\{"type":"summary_text","text":"from a Responses upstream"\}\],"encrypted_content":"enc"/)
  assert.doesNotMatch(responses, /signed|opaque|from a chat upstream/)
  // Without its encrypted content a reasoning item is only valid for an upstream that stored it.
  const bare = structuredClone(history)
  const thinking = bare.messages[1]?.content[2]
  if (thinking?.type === 'thinking') delete thinking.encryptedContent
  assert.doesNotMatch(JSON.stringify(dialects.responses.request.fromCanonical(bare)), /"reasoning"/)
  bare.extra = { responses: { store: true } }
  assert.match(JSON.stringify(dialects.responses.request.fromCanonical(bare)), /"type":"reasoning","id":"rs_1"/)
  const chat = JSON.stringify(dialects.openai.request.fromCanonical(history))
  assert.doesNotMatch(chat, /reasoning_content/)
  const echoed = dialects.openai.request.fromCanonical(history, { echoReasoning: true })
  assert.match(JSON.stringify(echoed), /"reasoning_content":"signed\\n\\nfrom a Responses upstream\\n\\nfrom a chat upstream"/)
})

test('with thinking on, Anthropic gets no thinking config when the open tool loop has no signed thinking', () => {
  const loop: ChatRequest = {
    ...base,
    thinking: { effort: 'high' },
    tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} } }],
    messages: [
      ...base.messages,
      { role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: '{}' }] },
      { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: 'ok' }] }] },
    ],
  }
  assert.equal(dialects.anthropic.request.fromCanonical(loop, { reasoning: true }).thinking, undefined)
  const signed = structuredClone(loop)
  signed.messages[1]?.content.unshift({ type: 'thinking', text: 't', signature: 's' })
  assert.deepEqual(dialects.anthropic.request.fromCanonical(signed, { reasoning: true }).thinking, { type: 'enabled', budget_tokens: 4095 })
})

test('Anthropic thinking is left out when the request has what thinking forbids (forced tool, temperature, top_k)', () => {
  const r: ChatRequest = { ...base, thinking: { effort: 'medium' }, tools: [tool] }
  assert.ok(dialects.anthropic.request.fromCanonical(r, { reasoning: true }).thinking)
  const conflicts: Partial<ChatRequest>[] = [
    { toolChoice: 'required' },
    { toolChoice: { name: 'f' } },
    { temperature: 0.2 },
    { topK: 40 },
    { topP: 0.5 },
  ]
  for (const conflict of conflicts) {
    const body = dialects.anthropic.request.fromCanonical({ ...r, ...conflict }, { reasoning: true })
    assert.equal(body.thinking, undefined, JSON.stringify(conflict))
  }
})

test('reasoning settings are forwarded only when the upstream is said to take them', () => {
  const r: ChatRequest = { ...base, thinking: { mode: 'enabled', budgetTokens: 20000 }, maxTokens: 30000 }
  assert.equal(dialects.openai.request.fromCanonical(r).reasoning_effort, undefined)
  assert.equal(dialects.openai.request.fromCanonical(r, { reasoning: true }).reasoning_effort, 'high')
  assert.equal(dialects.responses.request.fromCanonical(r).reasoning, undefined)
  assert.deepEqual(dialects.responses.request.fromCanonical(r, { reasoning: true }).reasoning, { effort: 'high', summary: 'auto' })
  assert.equal(dialects.anthropic.request.fromCanonical(r).thinking, undefined)
})

test('max tokens: capped to the upstream limit, defaulted for Anthropic, in the chosen chat field', () => {
  const r: ChatRequest = { ...base, maxTokens: 128000 }
  assert.equal(dialects.anthropic.request.fromCanonical(r, { maxOutputTokens: 64000 }).max_tokens, 64000)
  assert.equal(dialects.anthropic.request.fromCanonical(base).max_tokens, 4096)
  assert.equal(dialects.anthropic.request.fromCanonical(base, { defaultMaxTokens: 1000 }).max_tokens, 1000)
  const chat = dialects.openai.request.fromCanonical(r, { maxOutputTokens: 16384, maxTokensField: 'max_completion_tokens' })
  assert.equal(chat.max_completion_tokens, 16384)
  assert.equal(chat.max_tokens, undefined)
  assert.equal(dialects.responses.request.fromCanonical({ ...base, maxTokens: 5 }).max_output_tokens, 16)
})

test('Anthropic: temperature clamped to 0–1, parallel_tool_calls false becomes disable_parallel_tool_use', () => {
  const r: ChatRequest = { ...base, temperature: 1.7, parallelToolCalls: false, tools: [tool] }
  const body = dialects.anthropic.request.fromCanonical(r)
  assert.equal(body.temperature, 1)
  assert.deepEqual(body.tool_choice, { type: 'auto', disable_parallel_tool_use: true })
})

test('chat: stream usage is always asked of a chat upstream, shown to the caller only if it asked', () => {
  const body = translateRequest({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }, 'anthropic', 'openai').body
  assert.deepEqual(body.stream_options, { include_usage: true })
})

test('Codex namespace tools: a chat upstream sees flat names, the Codex caller gets the namespace back', () => {
  const codex = {
    model: 'm',
    input: 'close a1',
    tools: [{ type: 'namespace', name: 'multi_agent_v1', tools: [{ type: 'function', name: 'close_agent', parameters: {}, strict: false }] }],
  }
  const { request, body } = translateRequest(codex, 'responses', 'openai')
  assert.equal((body.tools as { function: { name: string } }[])[0]?.function.name, 'multi_agent_v1__close_agent')
  const upstream = {
    id: 'c',
    model: 'm',
    created: 1,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'k', type: 'function', function: { name: 'multi_agent_v1__close_agent', arguments: '{}' } }],
        },
        finish_reason: 'tool_calls',
      },
    ],
  }
  const { body: reply } = translateResponse(upstream, 'openai', 'responses', { request })
  assert.deepEqual((reply as { output: unknown[] }).output[0], {
    id: 'fc_c_0',
    type: 'function_call',
    status: 'completed',
    arguments: '{}',
    call_id: 'k',
    name: 'close_agent',
    namespace: 'multi_agent_v1',
  })
})

test('tool ids other dialects allow but Anthropic refuses are mapped the same way on both sides', () => {
  const body = translateRequest(
    {
      model: 'm',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'functions.f:0', type: 'function', function: { name: 'f', arguments: '' } }] },
        { role: 'tool', tool_call_id: 'functions.f:0', content: 'ok' },
      ],
    },
    'openai',
    'anthropic',
  ).body
  assert.match(JSON.stringify(body), /"tool_use","id":"functions_f_0".*"tool_use_id":"functions_f_0"/)
})

test('the route\'s model replaces the caller\'s, translated or passed through', () => {
  const body = { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }
  assert.equal(translateRequest(body, 'anthropic', 'openai', { model: 'qwen3:32b' }).body.model, 'qwen3:32b')
  const same = translateRequest(body, 'anthropic', 'anthropic', { model: 'claude-sonnet-4-5-20250929' })
  assert.equal(same.body.model, 'claude-sonnet-4-5-20250929')
  assert.equal(same.request.model, 'claude-sonnet-4-5')
  assert.equal(body.model, 'claude-sonnet-4-5')
})
