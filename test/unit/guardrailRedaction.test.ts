/** Guardrail runs on whole bodies: where findings are, consistent placeholders, untouched fields, blocks that never echo the secret. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compileGuardrails, createRedactor, inspectRequest, inspectResponse } from '../../main/guardrails/guardrails.ts'
import { claudeCodeRequest } from '../../bench/guardrails.ts'

const key = `sk-proj-${'Ab3dEf7hIj9kLm1nOp5qRs'.repeat(4)}`
const other = `sk-proj-${'Zz9yXw8vUt7sRq6pOn5mLk'.repeat(4)}`
const redactSecrets = compileGuardrails({ input: [{ type: 'secrets', action: 'redact' }, { type: 'pii', action: 'redact', detectors: ['email'] }] })

test('OpenAI chat: message text, tool-call arguments and tool results are redacted, the same value with the same placeholder', () => {
  const body = {
    model: 'gpt-4o',
    temperature: 0.2,
    top_k: 5,
    messages: [
      { role: 'system', content: `deploy with ${key}` },
      { role: 'user', content: [{ type: 'text', text: `my key is ${key}, the other ${other}` }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'shell', arguments: JSON.stringify({ cmd: `export OPENAI_API_KEY=${key}` }) } }] },
      { role: 'tool', tool_call_id: 'call_1', content: `printed ${key} and mailed ops@example.com` },
    ],
    tools: [{ type: 'function', function: { name: 'shell', description: `never print ${key}`, parameters: { type: 'object' } } }],
  }
  const v = inspectRequest(redactSecrets, 'chat', body, createRedactor())
  assert.equal(v.blocked, null)
  const out = v.body as typeof body
  const p1 = '[REDACTED_OPENAI_KEY_1]'
  assert.equal(out.messages[0]?.content, `deploy with ${p1}`)
  assert.deepEqual((out.messages[1]?.content as Array<{ text?: string }>)[0], { type: 'text', text: `my key is ${p1}, the other [REDACTED_OPENAI_KEY_2]` })
  assert.deepEqual(JSON.parse(out.messages[2]?.tool_calls?.[0]?.function.arguments ?? ''), { cmd: `export OPENAI_API_KEY=${p1}` }, 'arguments stay valid JSON')
  assert.equal(out.messages[3]?.content, `printed ${p1} and mailed [REDACTED_EMAIL_1]`)
  // Unrelated fields and images are untouched; tool definitions are read by the model, so they are scanned too.
  assert.equal(out.temperature, 0.2)
  assert.equal(out.top_k, 5)
  assert.equal(out.tools[0]?.function.description, `never print ${p1}`)
  assert.deepEqual(out.tools[0]?.function.parameters, { type: 'object' })
  assert.equal((out.messages[1]?.content as unknown[])[1], (body.messages[1]?.content as unknown[])[1])
  assert.ok(JSON.stringify(body).includes(key), 'the input body is not modified in place')
  assert.ok(!JSON.stringify(out.messages).includes(key))
  const secrets = v.results.find((r) => r.check === 'secrets')
  assert.deepEqual(secrets, { check: 'secrets', stage: 'input', action: 'redact', count: 6, where: ['system', 'message', 'tool_call', 'tool_result', 'tool_definition'], detectors: ['openai_key'] })
  assert.ok(!JSON.stringify(v.results).includes(key), 'results never hold the text')
})

test('every text an LLM reads is scanned, by where it sits: names, prediction, plain-text documents, tool inputs of any field name, tool definitions', () => {
  const block = compileGuardrails({ input: [{ type: 'secrets', action: 'redact' }] })
  const chat = {
    model: 'gpt-4o',
    messages: [{ role: 'user', name: key, content: 'hi' }],
    prediction: { type: 'content', content: `expect ${key}` },
  }
  const c = inspectRequest(block, 'chat', chat, createRedactor())
  assert.ok(!JSON.stringify(c.body).includes(key), JSON.stringify(c.body))
  const anthropic = {
    model: 'claude-sonnet-4-5',
    max_tokens: 10,
    tools: [{ name: 'fetch', description: `token ${key}`, input_schema: { type: 'object', properties: { url: { type: 'string', description: `like ${key}` } } } }],
    messages: [
      { role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: `doc ${key}` } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'fetch', input: { data: `d ${key}`, url: `https://x/?k=${key}`, nested: { data: [key] } } }] },
      { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] },
    ],
  }
  const a = inspectRequest(block, 'messages', anthropic, createRedactor())
  const text = JSON.stringify(a.body)
  assert.ok(!text.includes(key), text)
  assert.equal(text.split('[REDACTED_OPENAI_KEY_1]').length - 1, 6)
  assert.equal((a.body as typeof anthropic).messages[2], anthropic.messages[2], 'images are not text: untouched')
  assert.deepEqual(a.results[0]?.where, ['message', 'tool_call', 'tool_definition'])
})

test('Anthropic messages: system, tool_use input objects and tool_result blocks; thinking signatures are left alone', () => {
  const body = {
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    system: [{ type: 'text', text: `ops: ops@example.com`, cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'user', content: `here ${key}` },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'sig' + key }, { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: `curl -H "Authorization: Bearer ${key}"` } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: `ok ${key}` }] }] },
    ],
  }
  const v = inspectRequest(redactSecrets, 'messages', body, createRedactor())
  const out = JSON.stringify(v.body)
  assert.equal(out.split('[REDACTED_OPENAI_KEY_1]').length - 1, 3)
  assert.ok(out.includes('"signature":"sig' + key), 'signatures are not content')
  assert.ok(out.includes('"cache_control":{"type":"ephemeral"}'))
  assert.deepEqual(v.results.map((r) => [r.check, r.where]), [['secrets', ['message', 'tool_call', 'tool_result']], ['pii', ['system']]])
})

test('Responses: instructions, input items, function_call arguments and outputs', () => {
  const body = {
    model: 'gpt-5',
    instructions: `key ${key}`,
    input: [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: `and ${key}` }] },
      { type: 'function_call', call_id: 'c1', name: 'exec', arguments: `{"cmd":"echo ${key}"}` },
      { type: 'function_call_output', call_id: 'c1', output: key },
    ],
    store: false,
  }
  const v = inspectRequest(redactSecrets, 'responses', body, createRedactor())
  assert.ok(!JSON.stringify(v.body).includes(key))
  assert.deepEqual(v.results[0]?.where, ['system', 'message', 'tool_call', 'tool_result'])
  assert.equal((v.body as typeof body).store, false)
})

test('block: the error names the check and what kind of thing was found, never the value', () => {
  const g = compileGuardrails({ input: [{ id: 'no-keys', type: 'secrets', action: 'block' }] })
  const v = inspectRequest(g, 'chat', { model: 'm', messages: [{ role: 'user', content: `x ${key}` }] }, createRedactor())
  assert.ok(v.blocked)
  assert.equal(v.blocked.check, 'no-keys')
  assert.match(v.blocked.message, /guardrail 'no-keys' blocked the request: it contains an OpenAI API key \(in message\)/)
  assert.ok(!v.blocked.message.includes(key))
})

test('log: results only, the body is the same object', () => {
  const g = compileGuardrails({ input: [{ type: 'pii', action: 'log' }] })
  const body = { model: 'm', messages: [{ role: 'user', content: 'call 415-555-2671' }] }
  const v = inspectRequest(g, 'chat', body, createRedactor())
  assert.equal(v.body, body)
  assert.deepEqual(v.results, [{ check: 'pii', stage: 'input', action: 'log', count: 1, where: ['message'], detectors: ['phone'] }])
})

test('regex and contains on the request can redact with their own placeholder', () => {
  const g = compileGuardrails({ input: [{ id: 'codename', type: 'contains', operator: 'none', words: ['Project Falcon'], action: 'redact' }, { id: 'ticket', type: 'regex', pattern: 'INC-\\d{6}', action: 'log' }] })
  const v = inspectRequest(g, 'chat', { model: 'm', messages: [{ role: 'user', content: 'project falcon ships; see INC-123456' }] }, createRedactor())
  assert.equal((v.body as { messages: Array<{ content: string }> }).messages[0]?.content, '[REDACTED_CODENAME_1] ships; see INC-123456')
  assert.deepEqual(v.results.map((r) => [r.check, r.action, r.count]), [['codename', 'redact', 1], ['ticket', 'log', 1]])
})

test('output checks: regex, contains, length and JSON schema on the answer text; tool calls are not the answer', () => {
  const g = compileGuardrails({
    output: [
      { id: 'json', type: 'json_schema', action: 'block', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } },
      { id: 'short', type: 'length', max: 5, unit: 'words', action: 'log' },
      { id: 'polite', type: 'contains', operator: 'any', words: ['please'], action: 'log' },
      { id: 'no-keys', type: 'secrets', action: 'redact' },
    ],
  })
  const good = { id: 'x', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '{"ok": true}' } }] }
  const v1 = inspectResponse(g, 'chat', good, createRedactor())
  assert.equal(v1.blocked, null)
  assert.deepEqual(v1.results.map((r) => r.check), ['polite'])
  const bad = { id: 'x', content: [{ type: 'text', text: `not json, and here is ${key} for you` }] }
  const v2 = inspectResponse(g, 'messages', bad, createRedactor())
  assert.equal(v2.blocked?.check, 'json')
  assert.match(v2.blocked?.message ?? '', /blocked the response: the response is not JSON/)
  const wrong = { id: 'x', content: [{ type: 'text', text: '{"ok": "yes"}' }] }
  assert.match(inspectResponse(g, 'messages', wrong, createRedactor()).blocked?.message ?? '', /does not match the schema at ok/)
})

test('the Claude Code request at 100 KB: nothing is lost, only what was found changes', () => {
  const body = claudeCodeRequest()
  const v = inspectRequest(redactSecrets, 'messages', body, createRedactor())
  const before = JSON.stringify(body)
  const after = JSON.stringify(v.body)
  assert.equal(after, before.replaceAll('noreply@anthropic.com', '[REDACTED_EMAIL_1]'))
  assert.equal((v.body as { tools: unknown }).tools, body.tools)
})
