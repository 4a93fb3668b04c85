/**
 * The conformance self-test Control API command through the real server: the plan says what it
 * would send and its maximum token cost and sends nothing; a confirmed run sends each profile's
 * request shapes through the live gateway (its own key, revoked after) and reports step by step,
 * passthrough and translated, with the usage it cost.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { ApiKey, SelfTestReport } from '../../preload/contract.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startAnthropicUpstream } from '../support/upstreams/anthropicUpstream.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

let gw: TestGateway
let claudeUp: Upstream
let openaiUp: Upstream
let local: Upstream

before(async () => {
  claudeUp = await startAnthropicUpstream({ apiKey: 'sk-ant-test-0123456789' })
  openaiUp = await startOpenAIUpstream({ apiKey: 'sk-test-0123456789abcdef', responses: true, models: ['gpt-5', 'gpt-4o'] })
  local = await startOpenAIUpstream({ models: ['qwen3'] })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'anthropic', kind: 'anthropic', apiKey: 'sk-ant-test-0123456789', settings: { baseUrl: `${claudeUp.url}/v1` } })
  await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: 'sk-test-0123456789abcdef', settings: { baseUrl: openaiUp.url } })
  await gw.admin('integrations:create', { slug: 'local', kind: 'openai-compatible', settings: { baseUrl: local.url } })
})
after(async () => {
  await gw.stop()
  await Promise.all([claudeUp.close(), openaiUp.close(), local.close()])
})

const run = (input: Record<string, unknown>) => gw.admin('selfTest:run', input) as Promise<SelfTestReport>
const shown = (r: SelfTestReport) => JSON.stringify(r.steps, null, 1)

test('without confirm: the plan and its cost, nothing sent', async () => {
  const before = claudeUp.requests.length
  const plan = await run({ profile: 'claude-code', model: '@anthropic/claude-sonnet-4-5-20250929' })
  assert.equal(plan.ran, false)
  assert.deepEqual(plan.steps.map((s) => s.name), ['text', 'streaming', 'tool call', 'tool result', 'thinking'])
  assert.equal(plan.estimate.requests, 5)
  assert.ok(plan.estimate.maxTokens > 1000 && plan.estimate.maxTokens < 2000, String(plan.estimate.maxTokens))
  assert.equal(claudeUp.requests.length, before)
  // No reasoning on the target: the step is skipped, and the plan is cheaper.
  const small = await run({ profile: 'openai-sdk', model: '@local/qwen3' })
  assert.equal(small.steps.find((s) => s.name === 'reasoning')?.skipped, '@local/qwen3 takes no reasoning settings')
  assert.ok(small.estimate.maxTokens < 300, String(small.estimate.maxTokens))
})

test('Claude Code profile, passthrough to Anthropic: every step passes; usage recorded; the run key is revoked', async () => {
  const before = claudeUp.requests.length
  const r = await run({ profile: 'claude-code', model: '@anthropic/claude-sonnet-4-5-20250929', confirm: true })
  assert.equal(r.ran, true)
  assert.ok(r.steps.every((s) => s.ok), shown(r))
  assert.equal(claudeUp.requests.length - before, 5)
  assert.equal(claudeUp.requests.at(-1)?.path, '/v1/messages?beta=true')
  assert.ok((r.used?.inputTokens ?? 0) > 0 && (r.used?.costMicros ?? 0) > 0, JSON.stringify(r.used))
  const keys = (await gw.admin('keys:list', {})) as ApiKey[]
  const runKey = keys.find((k) => k.name.startsWith('self-test'))
  assert.ok(runKey?.revokedAt, 'the self-test key is revoked after the run')
})

// The chat fake ignores tool_choice (it calls tools only for model names containing `tools`): the report
// says so on the step, which is what the self-test is for.
test('Claude Code profile translated to a chat server that ignores tool_choice: the step says so; thinking skipped', async () => {
  const r = await run({ profile: 'claude-code', model: '@local/qwen3', confirm: true })
  const by = Object.fromEntries(r.steps.map((s) => [s.name, s]))
  assert.ok(by.text?.ok && by.streaming?.ok, shown(r))
  assert.deepEqual(by.streaming?.notes, [], 'message_start carries input tokens, the model name is kept')
  assert.equal(by['tool call']?.ok, false)
  assert.deepEqual(by['tool call']?.notes, ['no tool_use block although one was forced'])
  assert.ok(by.thinking?.skipped)
})

test('Codex profile: streamed Responses with a tool round trip', async () => {
  const r = await run({ profile: 'codex', model: '@openai/gpt-5', confirm: true })
  assert.ok(r.steps.every((s) => s.ok), shown(r))
  const toolResult = openaiUp.requests.at(-2)?.body as { input?: Array<{ type?: string }> }
  assert.ok(toolResult.input?.some((i) => i.type === 'function_call_output'), 'the tool output went upstream')
})

test('OpenAI SDK profile, and a failing target is reported per step with its error', async () => {
  const ok = await run({ profile: 'openai-sdk', model: '@openai/gpt-4o', confirm: true })
  assert.deepEqual(ok.steps.map((s) => [s.name, s.ok]), [['text', true], ['streaming', true], ['tool call', false], ['tool result', true], ['reasoning', true]], shown(ok))
  assert.equal(ok.steps[4]?.skipped, '@openai/gpt-4o takes no reasoning settings')
  const bad = await run({ profile: 'openai-sdk', model: '@nope/gpt-4o', confirm: true })
  assert.ok(bad.steps.every((s) => !s.ok || s.skipped))
  assert.match(bad.steps[0]?.notes[0] ?? '', /HTTP 404: no provider @nope/)
})
