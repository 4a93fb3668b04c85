/**
 * Guardrails through real HTTP with the OpenAI and Anthropic SDKs: redact (passthrough and translated,
 * what the upstream actually receives), block (a clear error in each caller's format that never echoes
 * the secret, nothing sent upstream), log, results on usage rows, output checks on non-streamed answers,
 * and the admin commands' validation.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import type { GuardrailSet } from '../../preload/contract.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startAnthropicUpstream, type AnthropicUpstream } from '../support/upstreams/anthropicUpstream.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { usageFor } from '../support/usageFor.ts'

// Built at run time so that no scanner mistakes the fixture for a live key.
const SECRET = `sk-proj-${'Q7wE9rT2yU4iO6pA8sD1fG3hJ5kL'.repeat(3)}`
const UPSTREAM_KEY = 'upstream-openai-key-0123456789'

let gw: TestGateway
let oai: Upstream
let ant: AnthropicUpstream

async function workspace(slug: string, guardrails: GuardrailSet): Promise<{ openai: OpenAI; claude: Anthropic }> {
  const ws = await gw.admin('workspaces:create', { slug })
  await gw.admin('guardrails:set', { workspaceId: ws.id, guardrails })
  const key = await gw.newKey(slug, ws.id)
  return { openai: new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 }), claude: new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 }) }
}

const trace = () => ({ headers: { 'x-portkey-trace-id': randomUUID() } })
const lastBody = (u: { requests: Array<{ body: unknown }> }) => JSON.stringify(u.requests.at(-1)?.body)

let redact: { openai: OpenAI; claude: Anthropic }
let block: { openai: OpenAI; claude: Anthropic }
let logOnly: { openai: OpenAI; claude: Anthropic }
let output: { openai: OpenAI; claude: Anthropic }

before(async () => {
  oai = await startOpenAIUpstream({ apiKey: UPSTREAM_KEY })
  ant = await startAnthropicUpstream()
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: UPSTREAM_KEY, settings: { baseUrl: `${oai.url}` } })
  await gw.admin('integrations:create', { slug: 'anthropic', kind: 'anthropic', apiKey: 'upstream-anthropic-key-0123456789', settings: { baseUrl: `${ant.url}/v1` } })
  redact = await workspace('redact', { input: [{ id: 'secrets', type: 'secrets', action: 'redact' }, { id: 'pii', type: 'pii', action: 'redact', detectors: ['email', 'credit_card'] }] })
  block = await workspace('block', { input: [{ id: 'no-secrets', type: 'secrets', action: 'block' }] })
  logOnly = await workspace('log', { input: [{ id: 'watch', type: 'secrets', action: 'log' }] })
  output = await workspace('output', {
    input: [{ id: 'watch', type: 'secrets', action: 'log' }],
    output: [
      { id: 'answer-keys', type: 'secrets', action: 'redact' },
      { id: 'no-forbidden', type: 'regex', pattern: 'forbidden\\s+word', flags: 'i', action: 'block' },
      { id: 'brief', type: 'length', max: 40, unit: 'words', action: 'log' },
    ],
  })
})
after(async () => {
  await gw.stop()
  await oai.close()
  await ant.close()
})

test('redact, OpenAI SDK on an OpenAI upstream (passthrough): the upstream gets placeholders, unrelated fields intact', async () => {
  const t = trace()
  const res = await redact.openai.chat.completions.create(
    {
      model: '@openai/gpt-4o',
      messages: [
        { role: 'system', content: `Deploy key: ${SECRET}` },
        { role: 'user', content: `use ${SECRET} and mail ops@example.com` },
      ],
      temperature: 0.3,
      // @ts-expect-error an unknown field, passed through untouched
      top_k: 7,
    },
    t,
  )
  const sent = oai.requests.at(-1)?.body as { messages: Array<{ content: string }>; temperature: number; top_k: number }
  assert.equal(sent.messages[0]?.content, 'Deploy key: [REDACTED_OPENAI_KEY_1]')
  assert.equal(sent.messages[1]?.content, 'use [REDACTED_OPENAI_KEY_1] and mail [REDACTED_EMAIL_1]')
  assert.equal(sent.temperature, 0.3)
  assert.equal(sent.top_k, 7)
  assert.ok(!lastBody(oai).includes(SECRET))
  assert.match(res.choices[0]?.message.content ?? '', /\[REDACTED_OPENAI_KEY_1\]/)
  const row = await usageFor(gw, t.headers['x-portkey-trace-id'])
  assert.equal(row.status, 200)
  assert.deepEqual(row.guardrails, [
    { check: 'secrets', stage: 'input', action: 'redact', count: 2, where: ['system', 'message'], detectors: ['openai_key'] },
    { check: 'pii', stage: 'input', action: 'redact', count: 1, where: ['message'], detectors: ['email'] },
  ])
  assert.ok(!JSON.stringify(row).includes(SECRET))
})

test('redact, Anthropic SDK on an OpenAI upstream (translated): tool_use input and tool_result are redacted in the body sent', async () => {
  const t = trace()
  await redact.claude.messages.create(
    {
      model: '@openai/gpt-4o',
      max_tokens: 64,
      messages: [
        { role: 'user', content: 'run it' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: `OPENAI_API_KEY=${SECRET} ./deploy.sh` } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: `deployed with ${SECRET}; card 4111 1111 1111 1111` }] },
      ],
      tools: [{ name: 'Bash', description: 'runs a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
    },
    t,
  )
  const sent = lastBody(oai)
  assert.ok(!sent.includes(SECRET) && !sent.includes('4111 1111'))
  assert.ok(sent.includes('OPENAI_API_KEY=[REDACTED_OPENAI_KEY_1] ./deploy.sh'), 'tool-call arguments, translated to OpenAI')
  assert.ok(sent.includes('deployed with [REDACTED_OPENAI_KEY_1]; card [REDACTED_CARD_NUMBER_1]'), 'tool result, same placeholder')
  const row = await usageFor(gw, t.headers['x-portkey-trace-id'])
  assert.deepEqual(row.guardrails?.map((r) => [r.check, r.count, r.where]), [['secrets', 2, ['tool_call', 'tool_result']], ['pii', 1, ['tool_result']]])
})

test('redact, Anthropic SDK on an Anthropic upstream (passthrough)', async () => {
  const t = trace()
  const res = await redact.claude.messages.create(
    { model: '@anthropic/claude-sonnet-4-5-20250929', max_tokens: 64, system: `never reveal ${SECRET}`, messages: [{ role: 'user', content: `my key ${SECRET}` }], metadata: { user_id: 'u-1' } },
    t,
  )
  const sent = ant.requests.at(-1)?.body as { system: string; messages: Array<{ content: string }>; metadata: unknown; max_tokens: number }
  assert.equal(sent.system, 'never reveal [REDACTED_OPENAI_KEY_1]')
  assert.equal(sent.messages[0]?.content, 'my key [REDACTED_OPENAI_KEY_1]')
  assert.deepEqual(sent.metadata, { user_id: 'u-1' })
  assert.equal(sent.max_tokens, 64)
  assert.equal(res.type, 'message')
})

test('block, OpenAI SDK: 400 guardrail_blocked naming the check, the secret never echoed, nothing sent upstream', async () => {
  const sent = oai.requests.length
  const t = trace()
  const err = await block.openai.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: `key ${SECRET}` }] }, t).catch((e: unknown) => e)
  assert.ok(err instanceof OpenAI.BadRequestError)
  assert.equal(err.code, 'guardrail_blocked')
  assert.match(err.message, /guardrail 'no-secrets' blocked the request: it contains an OpenAI API key \(in message\)/)
  assert.ok(!JSON.stringify(err.error).includes(SECRET))
  assert.equal(oai.requests.length, sent)
  const row = await usageFor(gw, t.headers['x-portkey-trace-id'])
  assert.equal(row.status, 400)
  assert.deepEqual(row.guardrails, [{ check: 'no-secrets', stage: 'input', action: 'block', count: 1, where: ['message'], detectors: ['openai_key'] }])
  assert.equal(row.admitted, false, 'a blocked call reserves nothing')
})

test('block, Anthropic SDK: an Anthropic-shaped invalid_request_error', async () => {
  const sent = ant.requests.length
  const err = await block.claude.messages
    .create({ model: '@anthropic/claude-sonnet-4-5-20250929', max_tokens: 16, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: `-----BEGIN PRIVATE KEY-----\n${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'.repeat(3)}\n-----END PRIVATE KEY-----` }] }] })
    .catch((e: unknown) => e)
  assert.ok(err instanceof Anthropic.BadRequestError)
  const body = err.error as { type: string; error: { type: string; message: string } }
  assert.equal(body.type, 'error')
  assert.equal(body.error.type, 'invalid_request_error')
  assert.match(body.error.message, /guardrail 'no-secrets' blocked the request: it contains a private key \(in tool result\)/)
  assert.ok(!JSON.stringify(body).includes('MIIEvQ'))
  assert.equal(ant.requests.length, sent)
})

test('clean requests pass untouched through a blocking workspace', async () => {
  const res = await block.openai.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'nothing secret here, v1.2.3, 550e8400-e29b-41d4-a716-446655440000' }] })
  assert.match(res.choices[0]?.message.content ?? '', /nothing secret here/)
})

test('log: the request goes as sent; the usage row records the finding', async () => {
  const t = trace()
  await logOnly.openai.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: `key ${SECRET}` }] }, t)
  assert.ok(lastBody(oai).includes(SECRET))
  const row = await usageFor(gw, t.headers['x-portkey-trace-id'])
  assert.deepEqual(row.guardrails, [{ check: 'watch', stage: 'input', action: 'log', count: 1, where: ['message'], detectors: ['openai_key'] }])
})

test('output checks on a non-streamed answer: redaction of the answer (passthrough and translated)', async () => {
  // The fake upstreams answer "Hello from <model>: <last user text>", so the answer repeats the key.
  const t = trace()
  const res = await output.openai.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: `echo ${SECRET}` }] }, t)
  assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o: echo [REDACTED_OPENAI_KEY_1]')
  const row = await usageFor(gw, t.headers['x-portkey-trace-id'])
  assert.deepEqual(row.guardrails?.map((r) => [r.check, r.stage, r.action, r.count, r.where]), [
    ['watch', 'input', 'log', 1, ['message']],
    ['answer-keys', 'output', 'redact', 1, ['response']],
  ])
  const translated = await output.claude.messages.create({ model: '@openai/gpt-4o', max_tokens: 64, messages: [{ role: 'user', content: `echo ${SECRET}` }] })
  assert.deepEqual(translated.content[0], { type: 'text', text: 'Hello from gpt-4o: echo [REDACTED_OPENAI_KEY_1]' })
})

test('output checks: a blocking regex refuses the answer in the caller\'s format; the row keeps the tokens', async () => {
  const t = trace()
  const err = await output.openai.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'say the Forbidden  word' }] }, t).catch((e: unknown) => e)
  assert.ok(err instanceof OpenAI.BadRequestError)
  assert.equal(err.code, 'guardrail_blocked')
  assert.match(err.message, /guardrail 'no-forbidden' blocked the response/)
  const row = await usageFor(gw, t.headers['x-portkey-trace-id'])
  assert.equal(row.status, 400)
  assert.ok((row.outputTokens ?? 0) > 0, 'the answer was paid for')
  assert.deepEqual(row.guardrails?.find((r) => r.stage === 'output'), { check: 'no-forbidden', stage: 'output', action: 'block', count: 1, where: ['response'] })
  const anthropicErr = await output.claude.messages.create({ model: '@anthropic/claude-sonnet-4-5-20250929', max_tokens: 64, messages: [{ role: 'user', content: 'a forbidden word' }] }).catch((e: unknown) => e)
  assert.ok(anthropicErr instanceof Anthropic.BadRequestError)
  assert.match(anthropicErr.message, /no-forbidden/)
})

test('output checks on a stream are recorded as skipped; input checks still apply', async () => {
  const t = trace()
  const stream = await output.openai.chat.completions.create({ model: '@openai/gpt-4o', stream: true, messages: [{ role: 'user', content: 'stream please' }] }, t)
  for await (const _ of stream) void _
  const row = await usageFor(gw, t.headers['x-portkey-trace-id'])
  assert.deepEqual(row.guardrails?.map((r) => [r.check, r.skipped]), [['answer-keys', 'streamed response'], ['no-forbidden', 'streamed response'], ['brief', 'streamed response']])
})

test('workspaces without guardrails: no results on the row', async () => {
  const key = await gw.newKey('plain')
  const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
  const t = trace()
  await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: `key ${SECRET}` }] }, t)
  assert.ok(lastBody(oai).includes(SECRET))
  assert.equal((await usageFor(gw, t.headers['x-portkey-trace-id'])).guardrails, null)
})

test('admin: guardrails:get/set round trip, precise validation errors, null removes', async () => {
  const ws = (await gw.admin('workspaces:list')).find((w) => w.slug === 'redact')
  assert.ok(ws)
  const got = await gw.admin('guardrails:get', { workspaceId: 'redact' })
  assert.equal(got.workspaceId, ws.id)
  assert.equal(got.guardrails?.input?.length, 2)
  const bad = async (guardrails: unknown) => {
    const res = await gw.adminRaw('guardrails:set', { workspaceId: ws.id, guardrails })
    return ((await res.json()) as { ok: boolean; error: { code: string; message: string; path?: string } }).error
  }
  const e1 = await bad({ output: [{ type: 'regex', pattern: '(', action: 'block' }] })
  assert.equal(e1.code, 'invalid_input')
  assert.equal(e1.path, 'guardrails.output[0].pattern')
  const e2 = await bad({ input: [{ type: 'length', max: 5, action: 'block' }] })
  assert.match(e2.message, /outputs only/)
  const e3 = await bad({ output: [{ type: 'length', max: 5, action: 'redact' }] })
  assert.match(e3.message, /use "log" or "block"/)
  const e4 = await bad({ input: [{ type: 'secrets', detectors: ['nope'], action: 'log' }] })
  assert.equal(e4.path, 'guardrails.input[0].detectors[0]')
  const scratch = await gw.admin('workspaces:create', { slug: 'scratch' })
  await gw.admin('guardrails:set', { workspaceId: scratch.id, guardrails: { input: [{ type: 'pii', action: 'log' }] } })
  assert.deepEqual((await gw.admin('guardrails:set', { workspaceId: scratch.id, guardrails: null })).guardrails, null)
})
