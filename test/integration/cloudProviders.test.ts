/**
 * AWS Bedrock, Google Vertex AI (Claude and Gemini) and the Gemini API through the gateway over real
 * HTTP, with the real `@anthropic-ai/sdk` on /v1/messages and `openai` on /v1/chat/completions, against
 * the cloud test upstreams: SigV4 verified by the fake Bedrock (keys with a session token, and a named
 * profile from a temp AWS config), event-stream decoding, betas Bedrock refuses filtered out, OAuth
 * tokens minted from a service account (once, then cached) or application-default credentials, and
 * usage rows with tokens and, where the pricing catalog knows the model, cost.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startBedrockUpstream, type BedrockUpstream } from '../support/upstreams/bedrockUpstream.ts'
import { startGeminiUpstream, type GeminiUpstream } from '../support/upstreams/geminiUpstream.ts'
import { startVertexUpstream, type VertexUpstream } from '../support/upstreams/vertexUpstream.ts'
import { usageFor } from '../support/usageFor.ts'

const KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN0123456789' }
const PROFILE_KEYS = { accessKeyId: 'AKIAPROFILE0EXAMPLE1', secretAccessKey: 'profileSecretKey0123456789abcdefEXAMPLEKEY' }
const GEMINI_KEY = 'AIzaSyD-switchyard-test-key-0123456789'

let gw: TestGateway
let bedrockUp: BedrockUpstream
let vertexUp: VertexUpstream
let geminiUp: GeminiUpstream
let key: string
let claude: Anthropic
let openai: OpenAI
let awsDir: string
const saved: Record<string, string | undefined> = {}

/** The gateway runs in this process: the AWS and Google environment it reads is set here. */
function setEnv(name: string, value: string | undefined): void {
  if (!(name in saved)) saved[name] = process.env[name]
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

const trace = () => {
  const id = randomUUID()
  return { id, headers: { 'x-portkey-trace-id': id } }
}

before(async () => {
  bedrockUp = await startBedrockUpstream({ credentials: [KEYS, PROFILE_KEYS] })
  vertexUp = await startVertexUpstream()
  geminiUp = await startGeminiUpstream({ apiKey: GEMINI_KEY })

  awsDir = mkdtempSync(join(tmpdir(), 'switchyard-aws-'))
  writeFileSync(join(awsDir, 'credentials'), `[sy-test]\naws_access_key_id = ${PROFILE_KEYS.accessKeyId}\naws_secret_access_key = ${PROFILE_KEYS.secretAccessKey}\n`)
  writeFileSync(join(awsDir, 'config'), '[profile sy-test]\nregion = us-east-1\noutput = json\n')
  writeFileSync(join(awsDir, 'adc.json'), JSON.stringify(vertexUp.authorizedUser('billing-project-1')))
  setEnv('AWS_SHARED_CREDENTIALS_FILE', join(awsDir, 'credentials'))
  setEnv('AWS_CONFIG_FILE', join(awsDir, 'config'))
  setEnv('AWS_PROFILE', undefined)
  setEnv('AWS_REGION', undefined)
  setEnv('AWS_DEFAULT_REGION', undefined)
  setEnv('GOOGLE_APPLICATION_CREDENTIALS', join(awsDir, 'adc.json'))

  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'bedrock', kind: 'bedrock', credentials: KEYS, settings: { awsRegion: 'us-east-1', baseUrl: bedrockUp.url } })
  await gw.admin('integrations:create', { slug: 'bedrock-profile', kind: 'bedrock', settings: { awsProfile: 'sy-test', baseUrl: bedrockUp.url } })
  await gw.admin('integrations:create', { slug: 'bedrock-wrong', kind: 'bedrock', credentials: { accessKeyId: 'AKIAWRONG0000EXAMPLE', secretAccessKey: 'not-the-right-secret-0123456789' }, settings: { awsRegion: 'us-east-1', baseUrl: bedrockUp.url } })
  await gw.admin('integrations:create', { slug: 'vertex', kind: 'vertex', credentials: vertexUp.serviceAccount(), settings: { baseUrl: `${vertexUp.url}/v1`, gcpLocation: 'us-east5' } })
  await gw.admin('integrations:create', { slug: 'vertex-adc', kind: 'vertex', settings: { baseUrl: `${vertexUp.url}/v1`, gcpProject: vertexUp.projectId } })
  await gw.admin('integrations:create', { slug: 'gemini', kind: 'gemini', apiKey: GEMINI_KEY, settings: { baseUrl: `${geminiUp.url}/v1beta` } })
  key = await gw.newKey()
  claude = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 })
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
})

after(async () => {
  await gw.stop()
  await Promise.all([bedrockUp.close(), vertexUp.close(), geminiUp.close()])
  rmSync(awsDir, { recursive: true, force: true })
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

const lastBody = (up: { requests: Array<{ body: unknown }> }) => up.requests.at(-1)?.body as Record<string, unknown>

describe('AWS Bedrock', () => {
  test('Anthropic SDK: Claude name → inference profile, SigV4 with the session token, Bedrock body; priced', async () => {
    const t = trace()
    const msg = await claude.messages.create({ model: '@bedrock/claude-sonnet-4-5', max_tokens: 200, messages: [{ role: 'user', content: 'hello bedrock' }] }, { headers: t.headers })
    assert.equal(msg.content[0]?.type === 'text' && msg.content[0].text, 'Hello from claude-sonnet-4-5-20250929: hello bedrock')
    const sent = bedrockUp.requests.at(-1)
    assert.equal(sent?.path, '/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke')
    assert.equal(sent?.headers['x-amz-security-token'], KEYS.sessionToken)
    assert.match(sent?.headers.authorization ?? '', new RegExp(`Credential=${KEYS.accessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request`))
    const body = lastBody(bedrockUp)
    assert.equal(body.anthropic_version, 'bedrock-2023-05-31')
    assert.equal('model' in body, false)
    assert.equal('stream' in body, false)
    const row = await usageFor(gw, t.id)
    assert.equal(row.status, 200)
    assert.equal(row.model, 'anthropic.claude-sonnet-4-5-20250929-v1:0')
    assert.ok((row.inputTokens ?? 0) > 0 && (row.outputTokens ?? 0) > 0)
    assert.ok(row.costMicros !== null && row.costMicros > 0)
  })

  test('streaming: the event-stream is decoded into Anthropic SSE; betas Bedrock refuses are dropped, the rest go in the body', async () => {
    const t = trace()
    const stream = claude.messages.stream(
      { model: '@bedrock/claude-haiku-4-5-20251001', max_tokens: 200, messages: [{ role: 'user', content: 'stream please' }] },
      { headers: { ...t.headers, 'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14' } },
    )
    let text = ''
    for await (const e of stream) if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text
    const final = await stream.finalMessage()
    assert.equal(text, 'Hello from claude-haiku-4-5-20251001: stream please')
    assert.equal(final.stop_reason, 'end_turn')
    assert.equal(bedrockUp.requests.at(-1)?.path, '/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke-with-response-stream')
    assert.deepEqual(lastBody(bedrockUp).anthropic_beta, ['interleaved-thinking-2025-05-14'])
    const row = await usageFor(gw, t.id)
    assert.equal(row.stream, true)
    assert.equal(row.outputTokens, final.usage.output_tokens)
    assert.ok((row.inputTokens ?? 0) > 0)
    assert.ok(row.costMicros !== null && row.costMicros > 0)
  })

  test('only refused betas: no anthropic_beta at all', async () => {
    await claude.messages.create(
      { model: '@bedrock/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] },
      { headers: { 'anthropic-beta': 'claude-code-20250219,oauth-2025-04-20' } },
    )
    assert.equal('anthropic_beta' in lastBody(bedrockUp), false)
  })

  test('OpenAI SDK: translated both ways, streaming and not, tool calls included', async () => {
    const res = await openai.chat.completions.create({ model: '@bedrock/claude-3-5-haiku-20241022', messages: [{ role: 'user', content: 'hi from openai' }] })
    assert.equal(res.choices[0]?.message.content, 'Hello from claude-3-5-haiku-20241022: hi from openai')
    // Not a profile-only model: the foundation id itself.
    assert.equal(bedrockUp.requests.at(-1)?.path, '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke')
    const t = trace()
    const stream = await openai.chat.completions.create(
      {
        model: '@bedrock/claude-sonnet-4-5',
        stream: true,
        stream_options: { include_usage: true },
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
        tool_choice: 'required',
        messages: [{ role: 'user', content: 'weather in Paris' }],
      },
      { headers: t.headers },
    )
    let args = ''
    let name = ''
    let finish: string | null = null
    let usage: OpenAI.CompletionUsage | undefined
    for await (const c of stream) {
      const call = c.choices[0]?.delta.tool_calls?.[0]
      if (call?.function?.name) name = call.function.name
      args += call?.function?.arguments ?? ''
      finish = c.choices[0]?.finish_reason ?? finish
      usage = c.usage ?? usage
    }
    assert.equal(name, 'get_weather')
    assert.deepEqual(JSON.parse(args), { input: 'weather in Paris' })
    assert.equal(finish, 'tool_calls')
    assert.ok(usage && usage.prompt_tokens > 0)
    const row = await usageFor(gw, t.id)
    assert.equal(row.inputTokens, usage?.prompt_tokens)
  })

  test('a named profile from the AWS config signs, with the profile’s region', async () => {
    const msg = await claude.messages.create({ model: '@bedrock-profile/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'via profile' }] })
    assert.equal(msg.content[0]?.type === 'text' && msg.content[0].text, 'Hello from claude-sonnet-4-5-20250929: via profile')
    const sent = bedrockUp.requests.at(-1)
    assert.match(sent?.headers.authorization ?? '', new RegExp(`Credential=${PROFILE_KEYS.accessKeyId}/\\d{8}/us-east-1/`))
    assert.equal(sent?.headers['x-amz-security-token'], undefined)
  })

  test('errors: Bedrock’s throttling and refused signatures arrive in Anthropic’s and OpenAI’s shapes, without secrets', async () => {
    const throttled = await claude.messages.create({ model: '@bedrock/anthropic.claude-error-429-v1:0', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(throttled instanceof Anthropic.RateLimitError)
    assert.match(throttled.message, /ThrottlingException/)
    const viaOpenAI = await openai.chat.completions.create({ model: '@bedrock/anthropic.claude-error-429-v1:0', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(viaOpenAI instanceof OpenAI.RateLimitError)
    const denied = await claude.messages.create({ model: '@bedrock-wrong/claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(denied instanceof Anthropic.PermissionDeniedError)
    assert.match(denied.message, /UnrecognizedClientException/)
    assert.doesNotMatch(denied.message, /not-the-right-secret/)
  })

  test('a model stream error mid-stream becomes Anthropic’s error event', async () => {
    const t = trace()
    const stream = await claude.messages.create(
      { model: '@bedrock/anthropic.claude-stream-error-v1:0', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'x' }] },
      { headers: t.headers },
    )
    const err = await (async () => {
      for await (const _ of stream) {
        // drain until the error event
      }
    })().catch((e: unknown) => e)
    assert.ok(err instanceof Anthropic.APIError)
    assert.match(String(err.message), /Overloaded|overloaded/)
    const row = await usageFor(gw, t.id)
    assert.equal(row.status, 502)
  })

  test('count_tokens has no Bedrock endpoint: answered with a labelled estimate', async () => {
    const res = await claude.messages.countTokens({ model: '@bedrock/claude-sonnet-4-5', messages: [{ role: 'user', content: 'count these tokens please' }] })
    assert.ok(res.input_tokens > 0)
  })
})

describe('AWS Bedrock, other models through Converse', () => {
  const converseBody = () => lastBody(bedrockUp) as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }>; [k: string]: unknown }

  test('OpenAI SDK: a Nova inference profile goes to /converse, the body in Converse shape; usage recorded', async () => {
    const t = trace()
    const res = await openai.chat.completions.create(
      { model: '@bedrock/us.amazon.nova-lite-v1:0', max_tokens: 200, temperature: 0.2, stop: ['END'], messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello nova' }] },
      { headers: t.headers },
    )
    assert.match(res.choices[0]?.message.content ?? '', /hello nova$/)
    assert.equal(res.choices[0]?.finish_reason, 'stop')
    const sent = bedrockUp.requests.at(-1)
    assert.equal(sent?.path, '/model/us.amazon.nova-lite-v1%3A0/converse')
    assert.match(sent?.headers.authorization ?? '', new RegExp(`Credential=${KEYS.accessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request`))
    const body = converseBody()
    assert.deepEqual(body.system, [{ text: 'Be brief.' }])
    assert.deepEqual(body.messages, [{ role: 'user', content: [{ text: 'hello nova' }] }])
    assert.deepEqual(body.inferenceConfig, { maxTokens: 200, temperature: 0.2, stopSequences: ['END'] })
    assert.equal('model' in body, false)
    assert.equal('stream' in body, false)
    assert.ok((res.usage?.prompt_tokens ?? 0) > 0 && (res.usage?.completion_tokens ?? 0) > 0)
    const row = await usageFor(gw, t.id)
    assert.equal(row.status, 200)
    assert.equal(row.model, 'amazon.nova-lite-v1:0')
    assert.equal(row.inputTokens, res.usage?.prompt_tokens)
    assert.equal(row.outputTokens, res.usage?.completion_tokens)
  })

  test('OpenAI SDK streaming: /converse-stream decoded from the event-stream, usage from metadata', async () => {
    const t = trace()
    const stream = await openai.chat.completions.create(
      { model: '@bedrock/amazon.nova-lite-v1:0', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream nova' }] },
      { headers: t.headers },
    )
    let text = ''
    let finish: string | null = null
    let usage: OpenAI.CompletionUsage | undefined
    let id = ''
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? ''
      finish = c.choices[0]?.finish_reason ?? finish
      usage = c.usage ?? usage
      id ||= c.id
    }
    assert.match(text, /stream nova$/)
    assert.equal(finish, 'stop')
    assert.ok(id, 'the request id stands in for the response id')
    assert.equal(bedrockUp.requests.at(-1)?.path, '/model/amazon.nova-lite-v1%3A0/converse-stream')
    assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0)
    const row = await usageFor(gw, t.id)
    assert.equal(row.stream, true)
    assert.equal(row.inputTokens, usage?.prompt_tokens)
    assert.equal(row.outputTokens, usage?.completion_tokens)
  })

  test('OpenAI SDK tools: toolSpec and toolChoice out, toolUse back streamed and not, the tool result answered', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }]
    const stream = await openai.chat.completions.create({ model: '@bedrock/amazon.nova-tools-v1:0', stream: true, tools, tool_choice: 'required', messages: [{ role: 'user', content: 'weather in Paris' }] })
    let args = ''
    let name = ''
    let finish: string | null = null
    for await (const c of stream) {
      const call = c.choices[0]?.delta.tool_calls?.[0]
      if (call?.function?.name) name = call.function.name
      args += call?.function?.arguments ?? ''
      finish = c.choices[0]?.finish_reason ?? finish
    }
    assert.equal(name, 'get_weather')
    assert.deepEqual(JSON.parse(args), { input: 'weather in Paris' })
    assert.equal(finish, 'tool_calls')
    const toolConfig = converseBody().toolConfig as Record<string, unknown>
    assert.deepEqual(toolConfig, { tools: [{ toolSpec: { name: 'get_weather', description: 'Weather by city', inputSchema: { json: tools[0]?.type === 'function' ? tools[0].function.parameters : {} } } }], toolChoice: { any: {} } })

    const first = await openai.chat.completions.create({ model: '@bedrock/amazon.nova-tools-v1:0', tools, messages: [{ role: 'user', content: 'weather in Rome' }] })
    const call = first.choices[0]?.message.tool_calls?.[0]
    assert.ok(call && call.type === 'function')
    assert.equal(first.choices[0]?.finish_reason, 'tool_calls')
    assert.match(call.id, /^tooluse_/)
    const t = trace()
    const second = await openai.chat.completions.create(
      { model: '@bedrock/amazon.nova-tools-v1:0', tools, messages: [{ role: 'user', content: 'weather in Rome' }, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 24C' }] },
      { headers: t.headers },
    )
    assert.equal(second.choices[0]?.finish_reason, 'stop')
    assert.ok(second.choices[0]?.message.content)
    const body = converseBody()
    assert.deepEqual(body.messages.map((m) => m.role), ['user', 'assistant', 'user'])
    assert.deepEqual(body.messages[1]?.content[0], { toolUse: { toolUseId: call.id, name: 'get_weather', input: JSON.parse(call.function.arguments) } })
    assert.deepEqual(body.messages[2]?.content[0], { toolResult: { toolUseId: call.id, content: [{ text: 'sunny, 24C' }] } })
    const row = await usageFor(gw, t.id)
    assert.ok((row.inputTokens ?? 0) > 0)
  })

  test('Anthropic SDK on /v1/messages: translated to Converse, streaming and not, tool use included', async () => {
    const t = trace()
    const msg = await claude.messages.create({ model: '@bedrock/amazon.nova-lite-v1:0', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'hello from anthropic' }] }, { headers: t.headers })
    assert.equal(msg.type, 'message')
    assert.match(msg.content[0]?.type === 'text' ? msg.content[0].text : '', /hello from anthropic$/)
    assert.equal(msg.stop_reason, 'end_turn')
    assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0)
    assert.equal(bedrockUp.requests.at(-1)?.path, '/model/amazon.nova-lite-v1%3A0/converse')
    assert.equal('anthropic_version' in converseBody(), false)
    const row = await usageFor(gw, t.id)
    assert.equal(row.inputTokens, msg.usage.input_tokens)
    assert.equal(row.outputTokens, msg.usage.output_tokens)

    const t2 = trace()
    const stream = claude.messages.stream(
      {
        model: '@bedrock/amazon.nova-tools-v1:0',
        max_tokens: 200,
        tools: [{ name: 'lookup', description: 'Look a word up', input_schema: { type: 'object', properties: { input: { type: 'string' } } } }],
        tool_choice: { type: 'tool', name: 'lookup' },
        messages: [{ role: 'user', content: 'define gateway' }],
      },
      { headers: t2.headers },
    )
    const final = await stream.finalMessage()
    const use = final.content.find((b) => b.type === 'tool_use')
    assert.ok(use && use.type === 'tool_use')
    assert.equal(use.name, 'lookup')
    assert.deepEqual(use.input, { input: 'define gateway' })
    assert.equal(final.stop_reason, 'tool_use')
    assert.equal(bedrockUp.requests.at(-1)?.path, '/model/amazon.nova-tools-v1%3A0/converse-stream')
    assert.deepEqual((converseBody().toolConfig as Record<string, unknown>).toolChoice, { tool: { name: 'lookup' } })
    const row2 = await usageFor(gw, t2.id)
    assert.equal(row2.stream, true)
    assert.ok((row2.inputTokens ?? 0) > 0)
    assert.equal(row2.outputTokens, final.usage.output_tokens)
  })

  test('errors: Bedrock exceptions over HTTP and in the stream arrive in the caller’s shape', async () => {
    const viaOpenAI = await openai.chat.completions.create({ model: '@bedrock/amazon.nova-error-429-v1:0', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(viaOpenAI instanceof OpenAI.RateLimitError)
    assert.match(viaOpenAI.message, /ThrottlingException/)
    const viaAnthropic = await claude.messages.create({ model: '@bedrock/amazon.nova-error-400-v1:0', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(viaAnthropic instanceof Anthropic.BadRequestError)
    assert.match(viaAnthropic.message, /ValidationException/)

    const t = trace()
    const stream = await claude.messages.create(
      { model: '@bedrock/amazon.nova-stream-error-v1:0', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'x' }] },
      { headers: t.headers },
    )
    const err = await (async () => {
      for await (const _ of stream) {
        // drain until the error event
      }
    })().catch((e: unknown) => e)
    assert.ok(err instanceof Anthropic.APIError)
    assert.match(String(err.message), /Overloaded/)
    const row = await usageFor(gw, t.id)
    assert.equal(row.status, 502)
    assert.match(row.error ?? '', /Overloaded/)
  })

  test('Claude names still go through InvokeModel', async () => {
    await openai.chat.completions.create({ model: '@bedrock/claude-3-5-haiku-20241022', messages: [{ role: 'user', content: 'still invoke' }] })
    assert.equal(bedrockUp.requests.at(-1)?.path, '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke')
  })
})

describe('Google Vertex AI', () => {
  test('Claude through rawPredict: Vertex version, no model, a token minted once from the service account', async () => {
    const tokensBefore = vertexUp.requests.filter((r) => r.path === '/token').length
    const t = trace()
    const msg = await claude.messages.create({ model: '@vertex/claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hello vertex' }] }, { headers: t.headers })
    assert.equal(msg.content[0]?.type === 'text' && msg.content[0].text, 'Hello from claude-sonnet-4-5-20250929: hello vertex')
    const sent = vertexUp.requests.at(-1)
    assert.equal(sent?.path, `/v1/projects/${vertexUp.projectId}/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`)
    assert.match(sent?.headers.authorization ?? '', /^Bearer ya29\./)
    const body = lastBody(vertexUp)
    assert.equal(body.anthropic_version, 'vertex-2023-10-16')
    assert.equal('model' in body, false)
    await claude.messages.create({ model: '@vertex/claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'again' }] })
    assert.equal(vertexUp.requests.filter((r) => r.path === '/token').length - tokensBefore, 1, 'one token for both calls')
    const row = await usageFor(gw, t.id)
    assert.equal(row.model, 'claude-sonnet-4-5@20250929')
    assert.ok((row.inputTokens ?? 0) > 0 && row.costMicros !== null && row.costMicros > 0)
  })

  test('Claude streaming through streamRawPredict, betas Vertex refuses dropped from the header', async () => {
    const stream = claude.messages.stream(
      { model: '@vertex/claude-opus-4-1', max_tokens: 100, messages: [{ role: 'user', content: 'stream vertex' }] },
      { headers: { 'anthropic-beta': 'oauth-2025-04-20,interleaved-thinking-2025-05-14' } },
    )
    const final = await stream.finalMessage()
    assert.equal(final.content[0]?.type === 'text' && final.content[0].text, 'Hello from claude-opus-4-1-20250805: stream vertex')
    const sent = vertexUp.requests.at(-1)
    assert.match(sent?.path ?? '', /claude-opus-4-1@20250805:streamRawPredict$/)
    assert.equal(sent?.headers['anthropic-beta'], 'interleaved-thinking-2025-05-14')
  })

  test('Gemini through generateContent with the OpenAI SDK, streaming and not; usage priced', async () => {
    const t = trace()
    const res = await openai.chat.completions.create({ model: '@vertex/gemini-2.5-flash', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello gemini' }] }, { headers: t.headers })
    assert.equal(res.choices[0]?.message.content, 'Hello from gemini-2.5-flash: hello gemini')
    const sent = vertexUp.requests.at(-1)
    assert.equal(sent?.path, `/v1/projects/${vertexUp.projectId}/locations/us-east5/publishers/google/models/gemini-2.5-flash:generateContent`)
    const body = lastBody(vertexUp)
    assert.deepEqual(body.systemInstruction, { parts: [{ text: 'Be brief.' }] })
    assert.equal('model' in body, false)
    const row = await usageFor(gw, t.id)
    assert.equal(row.inputTokens, res.usage?.prompt_tokens)
    assert.ok(row.costMicros !== null && row.costMicros > 0)

    const stream = await openai.chat.completions.create({ model: '@vertex/gemini-2.5-pro', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream gemini' }] })
    let text = ''
    let usage: OpenAI.CompletionUsage | undefined
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? ''
      usage = c.usage ?? usage
    }
    assert.equal(text, 'Hello from gemini-2.5-pro: stream gemini')
    assert.ok(usage && usage.completion_tokens > 0)
    assert.match(vertexUp.requests.at(-1)?.path ?? '', /gemini-2\.5-pro:streamGenerateContent\?alt=sse$/)
  })

  test('Gemini for an Anthropic caller: thinking and a tool call come back as Anthropic blocks', async () => {
    const stream = claude.messages.stream({
      model: '@vertex/gemini-2.5-flash',
      max_tokens: 1000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [{ name: 'lookup', description: 'Look a word up', input_schema: { type: 'object', properties: { input: { type: 'string' } } } }],
      tool_choice: { type: 'tool', name: 'lookup' },
      messages: [{ role: 'user', content: 'define gateway' }],
    })
    const final = await stream.finalMessage()
    const call = final.content.find((b) => b.type === 'tool_use')
    assert.ok(call && call.type === 'tool_use')
    assert.equal(call.name, 'lookup')
    assert.deepEqual(call.input, { input: 'define gateway' })
    assert.equal(final.stop_reason, 'tool_use')
    assert.ok(final.usage.input_tokens > 0)
  })

  test('application-default credentials (authorized_user) when no key is stored, with the quota project', async () => {
    const res = await openai.chat.completions.create({ model: '@vertex-adc/gemini-2.0-flash-001', messages: [{ role: 'user', content: 'adc' }] })
    assert.equal(res.choices[0]?.message.content, 'Hello from gemini-2.0-flash-001: adc')
    const sent = vertexUp.requests.at(-1)
    assert.equal(sent?.path, `/v1/projects/${vertexUp.projectId}/locations/global/publishers/google/models/gemini-2.0-flash-001:generateContent`)
    assert.equal(sent?.headers['x-goog-user-project'], 'billing-project-1')
  })

  test('Vertex’s own errors on the Claude path arrive in Anthropic’s shape', async () => {
    const err = await claude.messages.create({ model: '@vertex/claude-error-429', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(err instanceof Anthropic.RateLimitError)
    assert.match(err.message, /Quota exceeded/)
    assert.equal((err.error as { type?: string }).type, 'error')
  })
})

describe('Gemini API', () => {
  test('OpenAI SDK: x-goog-api-key, the model in the URL, not the body', async () => {
    const t = trace()
    const res = await openai.chat.completions.create({ model: '@gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'hello studio' }] }, { headers: t.headers })
    assert.equal(res.choices[0]?.message.content, 'Hello from gemini-2.5-flash: hello studio')
    const sent = geminiUp.requests.at(-1)
    assert.equal(sent?.path, '/v1beta/models/gemini-2.5-flash:generateContent')
    assert.equal(sent?.headers['x-goog-api-key'], GEMINI_KEY)
    assert.equal('model' in lastBody(geminiUp), false)
    const row = await usageFor(gw, t.id)
    assert.equal(row.model, 'gemini-2.5-flash')
    assert.ok((row.inputTokens ?? 0) > 0 && row.costMicros !== null && row.costMicros > 0)
  })

  test('streaming, with thoughts as reasoning and thought tokens as reasoning tokens', async () => {
    const t = trace()
    const stream = await openai.chat.completions.create(
      { model: '@gemini/gemini-2.5-flash-thinking', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'think' }] },
      { headers: t.headers },
    )
    let text = ''
    let reasoning = ''
    let usage: OpenAI.CompletionUsage | undefined
    for await (const c of stream) {
      const delta = c.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined
      text += delta?.content ?? ''
      reasoning += delta?.reasoning_content ?? ''
      usage = c.usage ?? usage
    }
    assert.equal(text, 'Hello from gemini-2.5-flash-thinking: think')
    assert.match(reasoning, /The user wrote: think/)
    assert.equal(geminiUp.requests.at(-1)?.path, '/v1beta/models/gemini-2.5-flash-thinking:streamGenerateContent?alt=sse')
    const row = await usageFor(gw, t.id)
    assert.ok((row.reasoningTokens ?? 0) > 0)
    assert.equal(row.outputTokens, usage?.completion_tokens)
  })

  test('a tool loop from the Anthropic SDK: functionCall out, functionResponse named after the call back in', async () => {
    const tools: Anthropic.Tool[] = [{ name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object', properties: { input: { type: 'string' } } } }]
    const first = await claude.messages.create({ model: '@gemini/gemini-2.5-flash', max_tokens: 500, tools, tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'weather in Oslo' }] })
    const call = first.content.find((b) => b.type === 'tool_use')
    assert.ok(call && call.type === 'tool_use')
    assert.equal(first.stop_reason, 'tool_use')
    const second = await claude.messages.create({
      model: '@gemini/gemini-2.5-flash',
      max_tokens: 500,
      tools,
      messages: [
        { role: 'user', content: 'weather in Oslo' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny' }] },
      ],
    })
    assert.equal(second.content[0]?.type === 'text' && second.content[0].text, 'Hello from gemini-2.5-flash: sunny')
    const contents = lastBody(geminiUp).contents as Array<{ role: string; parts: Array<Record<string, unknown>> }>
    assert.deepEqual(contents.at(-1)?.parts, [{ functionResponse: { name: 'get_weather', response: { output: 'sunny' } } }])
  })

  test('models:refresh discovers what /v1beta/models lists', async () => {
    const models = await gw.admin('models:refresh', { providerSlug: 'gemini' })
    assert.ok(models.some((m) => m.model === 'gemini-2.5-flash-lite' && m.source === 'discovered'), JSON.stringify(models))
    assert.ok(geminiUp.requests.some((r) => r.path.startsWith('/v1beta/models?pageSize=1000') && r.headers['x-goog-api-key'] === GEMINI_KEY))
  })

  test('Gemini errors in the caller’s shape', async () => {
    const err = await openai.chat.completions.create({ model: '@gemini/gemini-error-429', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(err instanceof OpenAI.RateLimitError)
    assert.match(err.message, /exceeded your current quota/)
    const missing = await claude.messages.create({ model: '@gemini/gemini-9', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    assert.ok(missing instanceof Anthropic.NotFoundError)
  })
})

describe('Control API', () => {
  test('credentials are write-only: the integration shows a hint, never the keys', async () => {
    const list = await gw.admin('integrations:list', {})
    const bedrock = list.find((i) => i.slug === 'bedrock')
    const vertex = list.find((i) => i.slug === 'vertex')
    assert.equal(bedrock?.hasCredential, true)
    assert.equal(bedrock?.credentialHint, 'AKIA…MPLE')
    assert.match(vertex?.credentialHint ?? '', /@switchyard-test\.iam\.gserviceaccount\.com$/)
    const text = JSON.stringify(list)
    for (const secret of [KEYS.secretAccessKey, KEYS.sessionToken, 'PRIVATE KEY']) assert.ok(!text.includes(secret))
  })

  test('settings each kind needs are asked for by name', async () => {
    const cases: Array<[unknown, string]> = [
      [{ slug: 'b1', kind: 'bedrock', credentials: KEYS }, 'settings.awsRegion'],
      [{ slug: 'b2', kind: 'bedrock', settings: { awsRegion: 'us-east-1' } }, 'credentials'],
      [{ slug: 'b3', kind: 'bedrock', apiKey: 'not json at all', settings: { awsRegion: 'us-east-1' } }, 'apiKey'],
      [{ slug: 'b4', kind: 'bedrock', credentials: KEYS, settings: { awsRegion: 'Mars' } }, 'settings.awsRegion'],
      [{ slug: 'v1', kind: 'vertex', credentials: { type: 'service_account', client_email: 'a@b.c' } }, 'credentials'],
      [{ slug: 'v2', kind: 'vertex' }, 'settings.gcpProject'],
      [{ slug: 'g1', kind: 'gemini' }, 'apiKey'],
      [{ slug: 'g2', kind: 'gemini', credentials: KEYS }, 'credentials'],
    ]
    for (const [input, path] of cases) {
      const res = await gw.adminRaw('integrations:create', input)
      const body = (await res.json()) as { ok: boolean; error?: { path?: string; message: string } }
      assert.equal(res.status, 400, JSON.stringify(input))
      assert.equal(body.error?.path, path, body.error?.message)
    }
  })

  test('the provider kinds are listed', async () => {
    const kinds = await gw.admin('providerKinds:list', {})
    for (const id of ['bedrock', 'vertex', 'gemini']) assert.ok(kinds.some((k) => k.id === id), id)
  })
})
