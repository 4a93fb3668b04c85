/**
 * The pure parts of the cloud providers, table-tested: Bedrock and Vertex model ids, beta filtering,
 * Bedrock's event-stream → Anthropic SSE decoder (any byte split, in-band exceptions, broken framing) and
 * error bodies, and the Gemini API's model list reader.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { anthropicBetas, betaFilter } from '../../main/providers/anthropicBetas.ts'
import { bedrockError } from '../../main/providers/aws/bedrockError.ts'
import { bedrockModelId, profilePrefix } from '../../main/providers/aws/bedrockModelId.ts'
import { bedrockStream } from '../../main/providers/aws/bedrockStream.ts'
import { eventStream } from '../../main/providers/aws/eventStream.ts'
import { bedrockBetas } from '../../main/providers/bedrock.ts'
import { gemini } from '../../main/providers/gemini.ts'
import { isClaudeOnVertex, vertexModelId } from '../../main/providers/google/vertexModelId.ts'
import { GatewayError } from '../../main/gateway/GatewayError.ts'

test('Bedrock model ids: aliases, dated names, profiles by geography, ids and ARNs as given, the user map first', () => {
  const cases: Array<[string, string, Record<string, string> | undefined, string, string]> = [
    ['claude-sonnet-4-5', 'us-east-1', undefined, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['claude-sonnet-4-5-20250929', 'eu-west-1', undefined, 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['claude-haiku-4-5', 'ap-northeast-1', undefined, 'apac.anthropic.claude-haiku-4-5-20251001-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0'],
    ['claude-3-5-haiku-20241022', 'us-west-2', undefined, 'anthropic.claude-3-5-haiku-20241022-v1:0', 'anthropic.claude-3-5-haiku-20241022-v1:0'],
    ['claude-3-5-sonnet-20241022', 'us-east-1', undefined, 'anthropic.claude-3-5-sonnet-20241022-v2:0', 'anthropic.claude-3-5-sonnet-20241022-v2:0'],
    ['claude-future-9-20300101', 'us-east-1', undefined, 'us.anthropic.claude-future-9-20300101-v1:0', 'anthropic.claude-future-9-20300101-v1:0'],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'us-east-1', undefined, 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['sonnet', 'us-east-1', { sonnet: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123' }, 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123', 'abc123'],
    ['claude-sonnet-4-5', 'us-east-1', { 'claude-sonnet-4-5': 'global.anthropic.claude-sonnet-4-5-20250929-v1:0' }, 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0'],
  ]
  for (const [name, region, map, id, foundation] of cases) assert.deepEqual(bedrockModelId(name, region, map), { id, foundation }, name)
  assert.equal(profilePrefix('us-gov-west-1'), 'us-gov')
  assert.throws(() => bedrockModelId('claude-sonnet', 'us-east-1'), (e: unknown) => e instanceof GatewayError && e.code === 'model_not_found')
})

test('Vertex model ids: `@` versions for Claude, Gemini names as they are', () => {
  assert.equal(vertexModelId('claude-sonnet-4-5'), 'claude-sonnet-4-5@20250929')
  assert.equal(vertexModelId('claude-sonnet-4-20250514'), 'claude-sonnet-4@20250514')
  assert.equal(vertexModelId('claude-3-5-sonnet-20241022'), 'claude-3-5-sonnet-v2@20241022')
  assert.equal(vertexModelId('claude-opus-4-1@20250805'), 'claude-opus-4-1@20250805')
  assert.equal(vertexModelId('gemini-2.5-flash'), 'gemini-2.5-flash')
  assert.equal(vertexModelId('fast', { fast: 'gemini-2.5-flash-lite' }), 'gemini-2.5-flash-lite')
  assert.equal(isClaudeOnVertex('smart', { smart: 'claude-opus-4-1@20250805' }), true)
  assert.equal(isClaudeOnVertex('gemini-2.5-pro'), false)
})

test('betas: header and body merged, refused ones dropped, an integration list replaces the default', () => {
  const bedrock = betaFilter(undefined, (b) => bedrockBetas.includes(b))
  assert.deepEqual(anthropicBetas('claude-code-20250219, interleaved-thinking-2025-05-14', ['context-1m-2025-08-07', 'interleaved-thinking-2025-05-14'], bedrock), {
    kept: ['interleaved-thinking-2025-05-14', 'context-1m-2025-08-07'],
    dropped: ['claude-code-20250219'],
  })
  assert.deepEqual(anthropicBetas('claude-code-20250219', undefined, betaFilter(['claude-code-20250219'], bedrock)).kept, ['claude-code-20250219'])
  assert.deepEqual(anthropicBetas(undefined, undefined, bedrock), { kept: [], dropped: [] })
})

const chunk = (event: Record<string, unknown>, i: number) =>
  eventStream.encode({
    headers: { ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' },
    payload: new TextEncoder().encode(JSON.stringify({ bytes: Buffer.from(JSON.stringify(event)).toString('base64'), p: 'abcdefgh'.slice(0, i + 1) })),
  })

test('Bedrock stream: chunks become Anthropic SSE however the bytes are cut; exceptions become error events', () => {
  const events = [
    { type: 'message_start', message: { id: 'msg_bdrk_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], usage: { input_tokens: 5, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi\nthere' } },
  ]
  const bytes = Buffer.concat([
    ...events.map((e, i) => chunk(e, i)),
    eventStream.encode({
      headers: { ':exception-type': 'modelStreamErrorException', ':content-type': 'application/json', ':message-type': 'exception' },
      payload: new TextEncoder().encode(JSON.stringify({ message: 'Model stream error: Overloaded', originalStatusCode: 529 })),
    }),
  ])
  const expected =
    events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('') +
    `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Bedrock modelStreamErrorException: Model stream error: Overloaded' } })}\n\n`
  for (const size of [bytes.length, 1, 7, 64]) {
    const d = bedrockStream()
    let out = ''
    for (let i = 0; i < bytes.length; i += size) out += String(d.push(bytes.subarray(i, i + size)))
    out += String(d.end())
    assert.equal(out, expected, `cut every ${size} bytes`)
  }
  const throttled = bedrockStream().push(
    Buffer.from(eventStream.encode({ headers: { ':exception-type': 'throttlingException', ':message-type': 'exception' }, payload: new TextEncoder().encode('{"message":"Too many tokens"}') })),
  )
  assert.match(String(throttled), /"type":"rate_limit_error"/)
})

test('Bedrock stream: broken framing and a cut-off message throw', () => {
  const good = Buffer.from(chunk({ type: 'ping' }, 0))
  const bad = Buffer.from(good)
  bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff
  assert.throws(() => bedrockStream().push(bad), /CRC/)
  const d = bedrockStream()
  d.push(good.subarray(0, 20))
  assert.throws(() => d.end(), /ended inside a message/)
})

test('Bedrock errors: x-amzn-ErrorType picks the Anthropic type, the status is the caller’s to keep', () => {
  const body = (type: string | undefined, status: number, text: string) =>
    JSON.parse(bedrockError({ status, headers: type ? { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` } : {} }, Buffer.from(text)).toString()) as {
      type: string
      error: { type: string; message: string }
    }
  assert.deepEqual(body('ValidationException', 400, '{"message":"invalid beta flag"}'), {
    type: 'error',
    error: { type: 'invalid_request_error', message: 'Bedrock ValidationException: invalid beta flag' },
  })
  assert.equal(body('ThrottlingException', 429, '{"message":"Too many requests"}').error.type, 'rate_limit_error')
  assert.equal(body('UnrecognizedClientException', 403, '{"Message":"The security token included in the request is invalid."}').error.type, 'authentication_error')
  assert.equal(body('ServiceUnavailableException', 503, '{"message":"busy"}').error.type, 'overloaded_error')
  assert.equal(body(undefined, 502, '<html>Bad Gateway</html>').error.message, '<html>Bad Gateway</html>')
})

test('Gemini API model list: pages followed, only models that generate content, `models/` dropped', async () => {
  const pages: Record<string, unknown> = {
    '/models?pageSize=1000': { models: [{ name: 'models/gemini-2.5-flash', supportedGenerationMethods: ['generateContent', 'countTokens'] }, { name: 'models/text-embedding-004', supportedGenerationMethods: ['embedContent'] }], nextPageToken: 'p2' },
    '/models?pageSize=1000&pageToken=p2': { models: [{ name: 'models/gemini-2.5-pro', supportedGenerationMethods: ['generateContent'] }] },
  }
  const ids = await gemini.listModels?.(async (path) => pages[path])
  assert.deepEqual(ids, ['gemini-2.5-flash', 'gemini-2.5-pro'])
})
