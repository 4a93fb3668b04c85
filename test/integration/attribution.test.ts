/**
 * Spend per project and branch with no set-up: calls shaped like Claude Code's (environment and git
 * status in the first user message) and Codex's (`<environment_context>` with `<cwd>`) are attributed
 * to the folder's name and the branch in usage metadata; nothing else of the prompt is stored; the
 * client's own x-portkey-metadata wins; the setting turns it off; and "what did this repo cost this
 * week" is one `usage:summary` query.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import type { UsageSummaryRow } from '../../preload/contract.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startAnthropicUpstream } from '../support/upstreams/anthropicUpstream.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { usageFor } from '../support/usageFor.ts'

let gw: TestGateway
let claudeUp: Upstream
let openaiUp: Upstream
let anthropic: Anthropic
let openai: OpenAI

const secretLine = 'the private plan: rename the billing module'
const environment = (dir: string) =>
  `<system-reminder>\n# Environment\nYou have been invoked in the following environment: \n - Primary working directory: ${dir}\n - Is a git repository: true\n - Platform: linux\n</system-reminder>`
const gitStatus = (branch: string) => `<system-reminder>\n# gitStatus\nThis is the git status at the start of the conversation.\n\nCurrent branch: ${branch}\n\nMain branch (you will usually use this for PRs): main\n</system-reminder>`

before(async () => {
  claudeUp = await startAnthropicUpstream({ apiKey: 'sk-ant-test-0123456789' })
  openaiUp = await startOpenAIUpstream({ apiKey: 'sk-test-0123456789abcdef', responses: true, models: ['gpt-5'] })
  gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'anthropic', kind: 'anthropic', apiKey: 'sk-ant-test-0123456789', settings: { baseUrl: `${claudeUp.url}/v1` } })
  await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: 'sk-test-0123456789abcdef', settings: { baseUrl: openaiUp.url } })
  const key = await gw.newKey()
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 })
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 })
})
after(async () => {
  await gw.stop()
  await claudeUp.close()
  await openaiUp.close()
})

async function claudeCodeCall(dir: string, branch: string, headers: Record<string, string> = {}): Promise<string> {
  const traceId = randomUUID()
  await anthropic.messages.create(
    {
      model: '@anthropic/claude-sonnet-4-5-20250929',
      max_tokens: 16,
      system: [{ type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." }],
      messages: [{ role: 'user', content: [{ type: 'text', text: environment(dir) }, { type: 'text', text: gitStatus(branch) }, { type: 'text', text: secretLine }] }],
    },
    { headers: { 'x-portkey-trace-id': traceId, ...headers } },
  )
  return traceId
}

test('Claude Code: project and branch in the usage row, and nothing else of the prompt', async () => {
  const row = await usageFor(gw, await claudeCodeCall('/home/dev/switchyard', 'feature/ws'))
  assert.deepEqual(row.metadata, { project: 'switchyard', branch: 'feature/ws' })
  const stored = JSON.stringify(await gw.admin('usage:query', {}))
  assert.equal(stored.includes(secretLine), false)
  assert.equal(stored.includes('/home/dev'), false, 'the full path is not kept either')
})

test('Codex: project from <cwd>', async () => {
  const traceId = randomUUID()
  await openai.responses.create(
    {
      model: '@openai/gpt-5',
      instructions: 'You are a coding agent running in the Codex CLI.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/home/dev/other-repo</cwd>\n  <shell>bash</shell>\n</environment_context>' }] },
        { role: 'user', content: [{ type: 'input_text', text: 'say hi' }] },
      ],
    },
    { headers: { 'x-portkey-trace-id': traceId } },
  )
  assert.deepEqual((await usageFor(gw, traceId)).metadata, { project: 'other-repo' })
})

test("the client's own x-portkey-metadata wins", async () => {
  const traceId = await claudeCodeCall('/home/dev/switchyard', 'main', { 'x-portkey-metadata': JSON.stringify({ project: 'billing', team: 'core' }) })
  assert.deepEqual((await usageFor(gw, traceId)).metadata, { project: 'billing', branch: 'main', team: 'core' })
})

test('"what did this repo cost this week" is one query', async () => {
  await claudeCodeCall('/home/dev/switchyard', 'feature/ws')
  const week = Date.now() - 7 * 24 * 3600_000
  const byProject = (await gw.admin('usage:summary', { groupBy: 'project', since: week })) as UsageSummaryRow[]
  const repo = byProject.find((r) => r.key === 'switchyard')
  assert.equal(repo?.requests, 2, JSON.stringify(byProject)) // the call whose client said project: billing is not counted here
  assert.ok((repo?.costMicros ?? 0) > 0)
  const byBranch = (await gw.admin('usage:summary', { groupBy: 'branch', since: week })) as UsageSummaryRow[]
  assert.equal(byBranch.find((r) => r.key === 'feature/ws')?.requests, 2)
  // No groupBy: by day.
  const byDay = (await gw.admin('usage:summary', {})) as UsageSummaryRow[]
  assert.match(byDay[0]?.key ?? '', /^\d{4}-\d{2}-\d{2}$/)
})

test('opt-out: with attribution off, no project or branch is recorded', async () => {
  assert.deepEqual(await gw.admin('attribution:get', {}), { enabled: true })
  assert.deepEqual(await gw.admin('attribution:set', { enabled: false }), { enabled: false })
  const row = await usageFor(gw, await claudeCodeCall('/home/dev/switchyard', 'feature/ws'))
  assert.equal(row.metadata, null)
  await gw.admin('attribution:set', { enabled: true })
})
