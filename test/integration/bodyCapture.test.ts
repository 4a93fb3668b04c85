/**
 * Body capture through real HTTP with the openai SDK: off (the default) nothing is stored; switched on
 * with `settings:set` it applies to the next call without a restart, keeping the request as sent
 * upstream and the response as the client got it (whole JSON and SSE), with the upstream key scrubbed
 * and a key the user pasted redacted by the secret detectors; big bodies are cut and marked; log
 * retention deletes them.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import OpenAI from 'openai'
import type { UsageBodies, UsageRow } from '../../preload/contract.ts'
import { MAX_CAPTURED_BODY } from '../../main/gateway/captureBodies.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

// Not key-shaped: only the scrubber (which knows the vault's secrets) can mask it.
const UPSTREAM_KEY = 'upstream-secret-0123456789xyz'
// Shaped like an OpenAI project key: the guardrails' detectors find it.
const PASTED_KEY = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'

let gw: TestGateway
let upstream: Upstream
let client: OpenAI

before(async () => {
  upstream = await startOpenAIUpstream({ apiKey: UPSTREAM_KEY })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: UPSTREAM_KEY, settings: { baseUrl: upstream.url } })
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: await gw.newKey(), maxRetries: 0 })
})

after(async () => {
  await gw.stop()
  await upstream.close()
})

async function newest(): Promise<UsageRow> {
  const rows = (await gw.admin('usage:logs', { limit: 1 })) as UsageRow[]
  assert.ok(rows[0])
  return rows[0]
}
const bodiesOf = async (row: UsageRow) => (await gw.admin('usage:body', { id: row.id })) as UsageBodies
const stored = () => (gw.running.store.db.prepare('SELECT count(*) AS n FROM usage_bodies').get() as { n: number }).n

function captured(b: UsageBodies): Extract<UsageBodies, { captured: true }> {
  assert.equal(b.captured, true, 'bodies were captured')
  return b as Extract<UsageBodies, { captured: true }>
}

function assertClean(text: string | null) {
  assert.ok(text !== null)
  assert.ok(!text.includes(UPSTREAM_KEY), 'the upstream key is never stored')
  assert.ok(!text.includes(PASTED_KEY), 'a pasted provider key is redacted')
}

test('capture off (the default): calls are answered and nothing is stored', async () => {
  assert.equal(((await gw.admin('settings:get', {})) as { bodyCapture: boolean }).bodyCapture, false)
  const r = await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'not kept' }] })
  assert.match(r.choices[0]?.message.content ?? '', /not kept/)
  assert.deepEqual(await bodiesOf(await newest()), { captured: false })
  assert.equal(stored(), 0)
})

test('capture on applies to the next call: the request as sent upstream and the JSON answer, secrets redacted', async () => {
  await gw.admin('settings:set', { bodyCapture: true })
  const prompt = `my keys: ${PASTED_KEY} and ${UPSTREAM_KEY}`
  const r = await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: prompt }] })
  const b = captured(await bodiesOf(await newest()))
  assertClean(b.request)
  assertClean(b.response)
  const request = JSON.parse(b.request as string) as { model: string; messages: Array<{ content: string }> }
  assert.equal(request.model, 'gpt-4o', 'the body the upstream got (the model resolved)')
  assert.match(request.messages[0]?.content ?? '', /^my keys: \[REDACTED_OPENAI_KEY_1\] and \[redacted\]$/)
  const response = JSON.parse(b.response as string) as { id: string; choices: Array<{ message: { content: string } }> }
  assert.equal(response.id, r.id, 'the answer the client got')
  assert.match(response.choices[0]?.message.content ?? '', /Hello from gpt-4o: my keys: \[REDACTED_OPENAI_KEY_1\] and \[redacted\]/)
  assert.deepEqual([b.requestTruncated, b.responseTruncated], [false, false])
})

test('a streamed answer is kept as the SSE text the client received', async () => {
  const stream = await client.chat.completions.create({ model: '@openai/gpt-4o', stream: true, messages: [{ role: 'user', content: `streamed ${PASTED_KEY}` }] })
  let text = ''
  for await (const c of stream) text += c.choices[0]?.delta.content ?? ''
  assert.match(text, /streamed/)
  const b = captured(await bodiesOf(await newest()))
  assertClean(b.request)
  assertClean(b.response)
  assert.match(b.request as string, /"stream":\s*true/)
  assert.match(b.response as string, /^data: \{/)
  assert.match(b.response as string, /data: \[DONE\]\s*$/)
  assert.match(b.response as string, /"content":" streamed"/)
})

test('a body over the cap is cut and marked truncated', async () => {
  const big = 'x'.repeat(MAX_CAPTURED_BODY + 40_000)
  await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: big }] })
  const b = captured(await bodiesOf(await newest()))
  assert.equal(b.requestTruncated, true)
  assert.equal(b.responseTruncated, true)
  assert.ok(Buffer.byteLength(b.request as string) <= MAX_CAPTURED_BODY)
  assert.ok(Buffer.byteLength(b.response as string) <= MAX_CAPTURED_BODY)
})

test('switched off again, the next call is not kept; log retention deletes kept bodies with their rows', async () => {
  await gw.admin('settings:set', { bodyCapture: false })
  const before = stored()
  assert.ok(before >= 3)
  await client.chat.completions.create({ model: '@openai/gpt-4o', messages: [{ role: 'user', content: 'off again' }] })
  assert.deepEqual(await bodiesOf(await newest()), { captured: false })
  assert.equal(stored(), before)
  // Age everything kept by two days, then ask for one day of retention.
  const db = gw.running.store.db
  db.prepare('UPDATE usage SET created_at = created_at - 2 * 86400000').run()
  db.prepare('UPDATE usage_bodies SET created_at = created_at - 2 * 86400000').run()
  await gw.admin('settings:set', { logRetentionDays: 1 })
  assert.equal(stored(), 0)
})
