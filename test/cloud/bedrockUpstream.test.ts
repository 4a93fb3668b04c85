/**
 * The fake Bedrock Runtime, driven by a small hand-written client that signs with our SigV4 signer
 * and decodes with our event-stream decoder: InvokeModel, InvokeModelWithResponseStream, Converse,
 * ConverseStream, the signature checks and the errors, in Bedrock's wire format.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { EventStreamError } from '../../main/providers/aws/EventStreamError.ts'
import { eventStream } from '../../main/providers/aws/eventStream.ts'
import type { EventStreamMessage } from '../../main/providers/aws/eventStream.ts'
import { sigv4 } from '../../main/providers/aws/sigv4.ts'
import type { AwsCredentials } from '../../main/providers/aws/sigv4.ts'
import { startBedrockUpstream } from '../support/upstreams/bedrockUpstream.ts'
import type { BedrockUpstream } from '../support/upstreams/bedrockUpstream.ts'

const KEYS: AwsCredentials = { accessKeyId: 'AKIAFAKEBEDROCK01', secretAccessKey: 'fakeSecretKey/0123456789abcdefghij' }
const TEMP: AwsCredentials = { accessKeyId: 'ASIAFAKETEMP0001', secretAccessKey: 'tempSecret', sessionToken: 'FwoGZXIvYXdzEFAKE' }
const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'
let bedrock: BedrockUpstream

before(async () => {
  bedrock = await startBedrockUpstream({ region: 'us-west-2', credentials: [KEYS, TEMP] })
})
after(() => bedrock.close())

type CallOptions = { credentials?: AwsCredentials; region?: string; date?: Date; encode?: boolean; tamper?: (body: string) => string; headers?: Record<string, string> }

/** What an AWS SDK does: JSON body, model id URL-encoded into the path, SigV4 over all of it. */
async function call(modelId: string, operation: string, body: unknown, o: CallOptions = {}): Promise<Response> {
  const id = o.encode === false ? modelId : encodeURIComponent(modelId)
  const url = `${bedrock.url}/model/${id}/${operation}`
  const text = JSON.stringify(body)
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...o.headers }
  const signed = await sigv4.sign({ method: 'POST', url, headers, body: text }, { region: o.region ?? 'us-west-2', service: 'bedrock', credentials: o.credentials ?? KEYS, date: o.date ?? new Date() })
  return fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body: o.tamper ? o.tamper(text) : text })
}

const claude = (text: string, extra: Record<string, unknown> = {}) => ({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: text }], ...extra })

async function messages(res: Response): Promise<EventStreamMessage[]> {
  assert.ok(res.body)
  const out: EventStreamMessage[] = []
  const reader = res.body.pipeThrough(eventStream.transform()).getReader()
  for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value)
  return out
}

const errorOf = async (res: Response) => ({ status: res.status, type: res.headers.get('x-amzn-errortype')?.split(':')[0], message: ((await res.json()) as { message: string }).message })

describe('InvokeModel', () => {
  test('Claude through an inference profile: Anthropic Message body, Bedrock headers', async () => {
    const res = await call(SONNET, 'invoke', claude('hi there'))
    assert.equal(res.status, 200)
    const body = (await res.json()) as { id: string; model: string; content: unknown; usage: { input_tokens: number; output_tokens: number } }
    assert.equal(body.model, 'claude-sonnet-4-5-20250929')
    assert.match(body.id, /^msg_bdrk_01/)
    assert.deepEqual(body.content, [{ type: 'text', text: 'Hello from claude-sonnet-4-5-20250929: hi there' }])
    assert.equal(res.headers.get('x-amzn-bedrock-input-token-count'), String(body.usage.input_tokens))
    assert.equal(res.headers.get('x-amzn-bedrock-output-token-count'), String(body.usage.output_tokens))
    assert.ok(res.headers.get('x-amzn-requestid'))
  })

  test('the model id may travel raw (":") or encoded ("%3A"), or as a profile ARN', async () => {
    assert.equal((await call(SONNET, 'invoke', claude('x'), { encode: false })).status, 200)
    assert.equal((await call('arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0', 'invoke', claude('x'))).status, 200)
    assert.equal((await call('anthropic.claude-3-5-haiku-20241022-v1:0', 'invoke', claude('x'))).status, 200)
  })

  const refusals: Array<[string, string, unknown, number, string, RegExp]> = [
    ['on-demand call to a profile-only model', 'anthropic.claude-sonnet-4-5-20250929-v1:0', claude('x'), 400, 'ValidationException', /with on-demand throughput isn’t supported/],
    ['unknown model', 'anthropic.claude-nope-v1:0', claude('x'), 400, 'ValidationException', /^The provided model identifier is invalid\.$/],
    ['a `model` field', SONNET, { ...claude('x'), model: 'x' }, 400, 'ValidationException', /^Malformed input request: #: extraneous key \[model\] is not permitted/],
    ['a `stream` field', SONNET, { ...claude('x'), stream: true }, 400, 'ValidationException', /extraneous key \[stream\]/],
    ['no anthropic_version', SONNET, { max_tokens: 5, messages: [] }, 400, 'ValidationException', /required key \[anthropic_version\] not found/],
    ['a beta Bedrock does not know', SONNET, claude('x', { anthropic_beta: ['claude-code-20250219'] }), 400, 'ValidationException', /^invalid beta flag$/],
    ['scripted throttling', 'anthropic.claude-error-429-v1:0', claude('x'), 429, 'ThrottlingException', /Too many requests/],
    ['scripted overload', 'anthropic.claude-error-529-v1:0', claude('x'), 503, 'ServiceUnavailableException', /unable to process/],
  ]
  for (const [name, model, body, status, type, message] of refusals) {
    test(`refuses ${name}: ${status} ${type}`, async () => {
      const e = await errorOf(await call(model, 'invoke', body))
      assert.deepEqual([e.status, e.type], [status, type])
      assert.match(e.message, message)
    })
  }

  test('documented betas pass', async () => {
    assert.equal((await call(SONNET, 'invoke', claude('x', { anthropic_beta: ['interleaved-thinking-2025-05-14'] }))).status, 200)
  })
})

describe('InvokeModelWithResponseStream', () => {
  test('chunk events carry base64 Anthropic events; message_stop carries invocation metrics', async () => {
    const res = await call(SONNET, 'invoke-with-response-stream', claude('hi there'))
    assert.equal(res.headers.get('content-type'), 'application/vnd.amazon.eventstream')
    const all = await messages(res)
    for (const m of all) {
      assert.deepEqual([m.headers[':event-type'], m.headers[':message-type'], m.headers[':content-type']], ['chunk', 'event', 'application/json'])
      assert.match(JSON.parse(Buffer.from(m.payload).toString()).p as string, /^[a-zA-Z0-9]+$/)
    }
    const events = all.map((m) => eventStream.unwrapChunk(m).event as { type: string; delta?: { text?: string }; [k: string]: unknown })
    assert.deepEqual(events.map((e) => e.type).slice(0, 2), ['message_start', 'content_block_start'])
    assert.ok(!events.some((e) => e.type === 'ping'))
    assert.equal(events.flatMap((e) => (e.type === 'content_block_delta' ? [e.delta?.text ?? ''] : [])).join(''), 'Hello from claude-sonnet-4-5-20250929: hi there')
    const stop = events.at(-1)
    assert.equal(stop?.type, 'message_stop')
    const metrics = stop?.['amazon-bedrock-invocationMetrics'] as Record<string, number>
    assert.deepEqual(Object.keys(metrics), ['inputTokenCount', 'outputTokenCount', 'invocationLatency', 'firstByteLatency'])
    assert.equal(metrics['outputTokenCount'], 5)
    assert.deepEqual(events.find((e) => e.type === 'message_delta')?.['usage'], { output_tokens: 5 })
  })

  test('tools: tool_use streamed as input_json_delta pieces', async () => {
    const res = await call('anthropic.claude-tools-v1:0', 'invoke-with-response-stream', claude('weather in Oslo', { tools: [{ name: 'get_weather', input_schema: { type: 'object' } }] }))
    const events = (await messages(res)).map((m) => eventStream.unwrapChunk(m).event as { type: string; delta?: { partial_json?: string }; content_block?: { name?: string } })
    assert.equal(events.find((e) => e.type === 'content_block_start')?.content_block?.name, 'get_weather')
    const json = events.flatMap((e) => (e.delta?.partial_json !== undefined ? [e.delta.partial_json] : [])).join('')
    assert.deepEqual(JSON.parse(json), { input: 'weather in Oslo' })
  })

  test('stream-error: an exception message, which the decoder turns into an error', async () => {
    const all = await messages(await call('anthropic.claude-stream-error-v1:0', 'invoke-with-response-stream', claude('x')))
    const last = all.at(-1)
    assert.equal(last?.headers[':message-type'], 'exception')
    assert.throws(() => eventStream.unwrapChunk(last ?? all[0]!), (e: unknown) => e instanceof EventStreamError && e.exceptionType === 'modelStreamErrorException' && /Overloaded/.test(e.message))
  })

  test('stream-drop: the connection is cut mid-stream', async () => {
    const res = await call('anthropic.claude-stream-drop-v1:0', 'invoke-with-response-stream', claude('x'))
    await assert.rejects(messages(res))
  })
})

describe('SigV4 checks', () => {
  test('temporary credentials: the session token is signed and required', async () => {
    assert.equal((await call(SONNET, 'invoke', claude('x'), { credentials: TEMP })).status, 200)
    const sent = bedrock.requests.at(-1)
    assert.equal(sent?.headers['x-amz-security-token'], TEMP.sessionToken)
    assert.match(sent?.headers['authorization'] ?? '', /SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/)
    const { sessionToken: _, ...withoutToken } = TEMP
    const e = await errorOf(await call(SONNET, 'invoke', claude('x'), { credentials: withoutToken }))
    assert.deepEqual([e.status, e.type], [403, 'UnrecognizedClientException'])
  })

  const cases: Array<[string, () => Promise<Response>, string, RegExp]> = [
    ['no Authorization header', () => fetch(`${bedrock.url}/model/${SONNET}/invoke`, { method: 'POST', body: '{}' }), 'MissingAuthenticationTokenException', /^Missing Authentication Token$/],
    ['a wrong secret', () => call(SONNET, 'invoke', claude('x'), { credentials: { ...KEYS, secretAccessKey: 'wrong' } }), 'InvalidSignatureException', /does not match the signature you provided[\s\S]*Canonical String[\s\S]*\/model\/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0\/invoke/],
    ['an unknown access key', () => call(SONNET, 'invoke', claude('x'), { credentials: { ...KEYS, accessKeyId: 'AKIAUNKNOWN' } }), 'UnrecognizedClientException', /security token included in the request is invalid/],
    ['another region in the scope', () => call(SONNET, 'invoke', claude('x'), { region: 'eu-west-1' }), 'InvalidSignatureException', /Credential should be scoped to a valid region/],
    ['a signature older than 15 minutes', () => call(SONNET, 'invoke', claude('x'), { date: new Date(Date.now() - 20 * 60_000) }), 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than/],
    ['a body changed after signing', () => call(SONNET, 'invoke', claude('x'), { tamper: (b) => b.replace('"x"', '"y"') }), 'InvalidSignatureException', /does not match/],
  ]
  for (const [name, send, type, message] of cases) {
    test(`403 ${type} for ${name}`, async () => {
      const e = await errorOf(await send())
      assert.deepEqual([e.status, e.type], [403, type])
      assert.match(e.message, message)
    })
  }
})

describe('Converse', () => {
  const converse = (text: string, extra: Record<string, unknown> = {}) => ({ messages: [{ role: 'user', content: [{ text }] }], inferenceConfig: { maxTokens: 100 }, ...extra })

  test('a text reply with usage and metrics, keys as AWS orders them', async () => {
    const res = await call('amazon.nova-lite-v1:0', 'converse', converse('hi there', { system: [{ text: 'be nice' }] }))
    const body = (await res.json()) as Record<string, unknown>
    assert.deepEqual(Object.keys(body), ['metrics', 'output', 'stopReason', 'usage'])
    assert.deepEqual(body['output'], { message: { content: [{ text: 'Hello from amazon.nova-lite: hi there' }], role: 'assistant' } })
    assert.equal(body['stopReason'], 'end_turn')
    assert.deepEqual(body['usage'], { cacheReadInputTokens: 0, cacheWriteInputTokens: 0, inputTokens: 7, outputTokens: 5, totalTokens: 12 })
  })

  test('tool use, then a text answer to the toolResult', async () => {
    const toolConfig = { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object' } } } }], toolChoice: { any: {} } }
    const first = (await (await call(SONNET, 'converse', converse('weather?', { toolConfig }))).json()) as { stopReason: string; output: { message: { content: Array<{ toolUse: { toolUseId: string; name: string; input: unknown } }> } } }
    assert.equal(first.stopReason, 'tool_use')
    const toolUse = first.output.message.content[0]?.toolUse
    assert.deepEqual([toolUse?.name, toolUse?.input], ['get_weather', { input: 'weather?' }])
    assert.match(toolUse?.toolUseId ?? '', /^tooluse_/)
    const messages = [
      { role: 'user', content: [{ text: 'weather?' }] },
      { role: 'assistant', content: [{ toolUse }] },
      { role: 'user', content: [{ toolResult: { toolUseId: toolUse?.toolUseId, content: [{ text: 'rain' }] } }] },
    ]
    const second = (await (await call(SONNET, 'converse', { messages, toolConfig })).json()) as { output: { message: { content: unknown } } }
    assert.deepEqual(second.output.message.content, [{ text: 'Hello from claude-sonnet-4-5-20250929: rain' }])
  })

  test('ConverseStream: messageStart, deltas, stops, metadata; reasoning with its signature', async () => {
    const res = await call(SONNET, 'converse-stream', converse('hi', { additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } } }))
    const events = (await messages(res)).map((m) => ({ type: eventStream.eventOf(m).type, payload: JSON.parse(Buffer.from(m.payload).toString()) as Record<string, unknown> }))
    const types = events.map((e) => e.type)
    assert.equal(types[0], 'messageStart')
    assert.deepEqual(types.slice(-2), ['messageStop', 'metadata'])
    assert.ok(!types.includes('contentBlockStart'), 'text and reasoning blocks start with their first delta')
    const deltas = events.filter((e) => e.type === 'contentBlockDelta').map((e) => e.payload['delta'] as Record<string, Record<string, string>>)
    assert.ok(deltas.some((d) => typeof d['reasoningContent']?.['signature'] === 'string'))
    assert.equal(deltas.flatMap((d) => (typeof d['text'] === 'string' ? [d['text']] : [])).join(''), 'Hello from claude-sonnet-4-5-20250929: hi')
    assert.deepEqual(Object.keys(events[1]?.payload ?? {}), ['contentBlockIndex', 'delta', 'p'])
    assert.deepEqual(Object.keys(events.at(-1)?.payload ?? {}), ['metrics', 'p', 'usage'])
  })

  test('Converse validation speaks AWS constraint messages', async () => {
    const e = await errorOf(await call(SONNET, 'converse', { inferenceConfig: {} }))
    assert.deepEqual([e.status, e.type], [400, 'ValidationException'])
    assert.match(e.message, /Value null at 'messages' failed to satisfy constraint/)
  })
})
