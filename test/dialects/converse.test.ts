/**
 * The Bedrock Converse dialect beyond the golden files: round trips of every Converse golden answer, the
 * canonical usage rule, stop reasons, the request shapes Converse insists on (alternating roles, a
 * toolConfig whenever tool blocks appear, no web image URLs, reasoning only back to Claude), and the
 * Bedrock transport's event-stream → SSE decoder and error-body fold.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { ChatEvent, ChatRequest } from '../../main/dialects/canonical.ts'
import { sse } from '../../main/dialects/sse.ts'
import { dialects, translateRequest } from '../../main/dialects/translate.ts'
import { converseErrorBody, converseStream } from '../../main/providers/aws/converseStream.ts'
import { eventStream } from '../../main/providers/aws/eventStream.ts'
import { GatewayError } from '../../main/gateway/GatewayError.ts'

const converse = dialects.converse
const golden = fileURLToPath(new URL('./golden/', import.meta.url))

function goldenInputs(prefix: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const dir of readdirSync(golden).filter((d) => d.startsWith('converse-to-'))) {
    for (const file of readdirSync(join(golden, dir))) {
      if (file.startsWith(prefix) && /\.in\.(json|sse)$/.test(file)) out.set(`${dir}/${file}`, readFileSync(join(golden, dir, file), 'utf8'))
    }
  }
  return out
}

for (const [name, text] of goldenInputs('response-')) {
  test(`converse response round trip: ${name}`, () => {
    const first = converse.response.toCanonical(JSON.parse(text))
    const second = converse.response.toCanonical(JSON.parse(JSON.stringify(converse.response.fromCanonical(first))))
    assert.deepEqual(second, first)
  })
}

for (const [name, text] of goldenInputs('stream-')) {
  test(`converse stream round trip: ${name}`, () => {
    const decode = (wire: string): ChatEvent[] => {
      const parser = sse.parser()
      const from = converse.stream.toCanonical()
      return [...[...parser.push(wire), ...parser.end()].flatMap((e) => from.push(e)), ...from.end()]
    }
    const first = decode(text)
    const to = converse.stream.fromCanonical()
    const second = decode(sse.write([...first.flatMap((e) => to.push(e)), ...to.end()]))
    // Errors keep their kind; their wording and status pass through Bedrock's names.
    const settled = (events: ChatEvent[]) => events.map((e) => (e.type === 'error' ? { type: 'error', kind: e.error.kind } : e))
    assert.deepEqual(settled(second), settled(first))
  })
}

test('usage: cache reads and writes are added to inputTokens and taken out again', () => {
  const r = converse.response.toCanonical({ output: { message: { role: 'assistant', content: [] } }, stopReason: 'end_turn', usage: { inputTokens: 4, outputTokens: 337, totalTokens: 4398, cacheReadInputTokens: 0, cacheWriteInputTokens: 4057 } })
  assert.deepEqual(r.usage, { inputTokens: 4061, outputTokens: 337, cacheReadTokens: 0, cacheWriteTokens: 4057, reasoningTokens: 0 })
  assert.deepEqual(converse.response.fromCanonical(r).usage, { inputTokens: 4, outputTokens: 337, totalTokens: 4398, cacheWriteInputTokens: 4057 })
})

test('stop reasons', () => {
  const stop = (stopReason: string) => converse.response.toCanonical({ output: { message: { content: [] } }, stopReason }).stopReason
  assert.equal(stop('end_turn'), 'end_turn')
  assert.equal(stop('tool_use'), 'tool_use')
  assert.equal(stop('max_tokens'), 'max_tokens')
  assert.equal(stop('stop_sequence'), 'stop_sequence')
  assert.equal(stop('guardrail_intervened'), 'content_filter')
  assert.equal(stop('content_filtered'), 'content_filter')
  assert.equal(stop('model_context_window_exceeded'), 'max_tokens')
  assert.equal(stop('malformed_tool_use'), 'error')
})

const openaiBody = (extra: Record<string, unknown>) => ({ model: 'x', messages: [{ role: 'user', content: 'hi' }], ...extra })

test('requests: turns of one role merged, system entries as user text, tool_choice none leaves the tools out', () => {
  const { body } = translateRequest(
    { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'a' }, { role: 'system', content: 'be short' }, { role: 'user', content: 'b' }], tools: [{ name: 'f', input_schema: { type: 'object' } }], tool_choice: { type: 'none' } },
    'anthropic',
    'converse',
  )
  assert.deepEqual(body.messages, [{ role: 'user', content: [{ text: 'a' }, { text: 'be short' }, { text: 'b' }] }])
  assert.equal(body.toolConfig, undefined)
  assert.equal('model' in body, false)
})

test('requests: web image URLs are refused with a clear message; s3:// locations pass', () => {
  const image = (url: string) => openaiBody({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }] })
  assert.throws(() => translateRequest(image('https://example.com/cat.png'), 'openai', 'converse'), (e: unknown) => e instanceof GatewayError && /s3:\/\//.test(e.message))
  const { body } = translateRequest(image('s3://bucket/cat.webp'), 'openai', 'converse')
  assert.deepEqual((body.messages as Array<{ content: unknown[] }>)[0]?.content[0], { image: { format: 'webp', source: { s3Location: { uri: 's3://bucket/cat.webp' } } } })
})

test('requests: signed reasoning goes back to Claude only; reasoning settings only when asked', () => {
  const request: ChatRequest = {
    model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    system: [],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', content: [{ type: 'thinking', text: 't', signature: 'sig' }, { type: 'text', text: 'a' }] },
      { role: 'user', content: [{ type: 'text', text: 'q2' }] },
    ],
    tools: [],
    stream: false,
    maxTokens: 4000,
    thinking: { mode: 'enabled', budgetTokens: 2048 },
  }
  const claude = converse.request.fromCanonical(request, { reasoning: true })
  assert.deepEqual((claude.messages as Array<{ content: unknown[] }>)[1]?.content[0], { reasoningContent: { reasoningText: { text: 't', signature: 'sig' } } })
  assert.deepEqual(claude.additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: 2048 } })
  const nova = converse.request.fromCanonical({ ...request, model: 'us.amazon.nova-premier-v1:0', thinking: { effort: 'high' } }, { reasoning: true })
  assert.deepEqual((nova.messages as Array<{ content: unknown[] }>)[1]?.content, [{ text: 'a' }])
  assert.deepEqual(nova.additionalModelRequestFields, { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'high' } })
  assert.equal(converse.request.fromCanonical(request).additionalModelRequestFields, undefined)
})

test('requests: the Converse request reads back (cache points, tool results with status, toolChoice)', () => {
  const r = converse.request.toCanonical({
    system: [{ text: 'sys' }, { cachePoint: { type: 'default' } }],
    messages: [
      { role: 'user', content: [{ text: 'q' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'f', input: { a: 1 } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ json: { ok: false } }], status: 'error' } }] },
    ],
    toolConfig: { tools: [{ toolSpec: { name: 'f', inputSchema: { json: { type: 'object' } } } }], toolChoice: { any: {} } },
    inferenceConfig: { maxTokens: 5, stopSequences: ['x'] },
  })
  assert.deepEqual(r.system, [{ type: 'text', text: 'sys', cacheControl: { type: 'ephemeral' } }])
  assert.deepEqual(r.messages[2], { role: 'tool', content: [{ type: 'tool_result', toolCallId: 't1', content: [{ type: 'text', text: '{"ok":false}' }], isError: true }] })
  assert.equal(r.toolChoice, 'required')
  assert.deepEqual(r.stop, ['x'])
})

test('a stream cut before messageStop ends in an error; metadata after messageStop ends it', () => {
  const s = converse.stream.toCanonical()
  s.push({ event: 'messageStart', data: '{"role":"assistant"}' })
  assert.equal(s.end().at(-1)?.type, 'error')
  const t = converse.stream.toCanonical()
  t.push({ event: 'messageStart', data: '{"role":"assistant"}' })
  assert.deepEqual(t.push({ event: 'messageStop', data: '{"stopReason":"end_turn"}' }), [])
  const last = t.push({ event: 'metadata', data: '{"usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3}}' })
  assert.deepEqual(last.map((e) => e.type), ['usage', 'message_stop'])
  assert.deepEqual(t.end(), [])
})

test('errors: exception names decide the kind, over HTTP and in streams', () => {
  assert.equal(converse.error.toCanonical(400, { __type: 'ValidationException', message: 'bad' }).kind, 'invalid_request')
  assert.equal(converse.error.toCanonical(0, { __type: 'throttlingException', message: 'slow down' }).kind, 'rate_limit')
  assert.equal(converse.error.toCanonical(0, { __type: 'modelStreamErrorException', message: 'x', originalStatusCode: 529 }).kind, 'overloaded')
  assert.equal(converse.error.toCanonical(403, { message: 'no' }).kind, 'permission')
  assert.deepEqual(converse.error.fromCanonical({ kind: 'overloaded', message: 'busy', status: 529 }), { status: 503, body: { __type: 'ServiceUnavailableException', message: 'busy' } })
})

//#region the Bedrock transport's decoder

const frame = (type: string, payload: unknown, kind: 'event' | 'exception' = 'event') =>
  eventStream.encode({
    headers: kind === 'event' ? { ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' } : { ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' },
    payload: new TextEncoder().encode(JSON.stringify(payload)),
  })

test('ConverseStream event-stream → one SSE event per message, byte splits included; the request id on messageStart', () => {
  const bytes = Buffer.concat([
    frame('messageStart', { p: 'abc', role: 'assistant' }),
    frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' }, p: 'ab' }),
    frame('messageStop', { stopReason: 'end_turn' }),
    frame('throttlingException', { message: 'Too many tokens' }, 'exception'),
  ])
  const d = converseStream({ status: 200, headers: { 'x-amzn-requestid': 'req-1' } })
  let text = ''
  for (let i = 0; i < bytes.length; i += 7) text += String(d.push(bytes.subarray(i, i + 7)))
  text += String(d.end())
  const events = sse.parser().push(text)
  assert.deepEqual(events.map((e) => e.event), ['messageStart', 'contentBlockDelta', 'messageStop', 'error'])
  assert.deepEqual(JSON.parse(events[0]?.data ?? ''), { p: 'abc', role: 'assistant', requestId: 'req-1' })
  assert.deepEqual(JSON.parse(events[3]?.data ?? ''), { __type: 'throttlingException', message: 'Too many tokens' })
})

test('Bedrock error bodies get their x-amzn-ErrorType as __type', () => {
  const out = converseErrorBody({ status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' } }, Buffer.from('{"message":"Too many requests"}'))
  assert.deepEqual(JSON.parse(out.toString()), { __type: 'ThrottlingException', message: 'Too many requests' })
  assert.deepEqual(JSON.parse(converseErrorBody({ status: 500, headers: {} }, Buffer.from('oops')).toString()), { message: 'oops' })
})

//#endregion
