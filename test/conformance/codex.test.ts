/**
 * The real Codex CLI (`codex exec`) through the gateway, configured as the README says (a custom model
 * provider in config.toml, `wire_api = "responses"`, the key in SWITCHYARD_API_KEY): a plain answer and a
 * tool round trip (Codex runs the `exec_command` the upstream asks for and sends its output back), via
 * Responses passthrough to OpenAI, translated to an OpenAI-compatible chat upstream and to Anthropic; and
 * what Codex shows when the upstream fails.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import {
  codexBin, missingClients, OPENAI_KEY, rowsFor, runCli, shown, startMatrix, tempDir, TOOL_ECHO, writeCodexConfig, type CliResult, type Matrix,
} from './matrix.ts'

let m: Matrix

before(async () => {
  m = await startMatrix()
})

after(async () => {
  await m?.stop()
})

/**
 * `codex exec` in a fresh HOME and CODEX_HOME whose config.toml names the model. The sandbox is bypassed: the only command is the fake's
 * `echo`, and whether this machine allows Codex's bubblewrap sandbox is not what these tests are about.
 */
async function codex(prompt: string, model: string): Promise<CliResult & { traceId: string }> {
  const traceId = randomUUID()
  const home = tempDir('codex-home')
  try {
    const codexHome = join(home.path, '.codex')
    const work = join(home.path, 'work')
    mkdirSync(codexHome)
    mkdirSync(work)
    writeCodexConfig(codexHome, m.gw.url, model, traceId)
    const args = ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', prompt]
    const r = await runCli(codexBin, args, { home: home.path, cwd: work, env: { CODEX_HOME: codexHome, SWITCHYARD_API_KEY: m.key } })
    return { ...r, traceId }
  } finally {
    home.remove()
  }
}

type Item = { type?: string; role?: string; call_id?: string; name?: string; arguments?: string; output?: unknown }
const inputOf = (r: { body: unknown }) => (r.body as { input: Item[] }).input

describe('Codex CLI', { skip: missingClients() ?? undefined }, () => {
  test('Responses passthrough to OpenAI: plain answer, one usage row', async () => {
    const before = m.openai.requests.length
    const r = await codex('say hi', '@openai/gpt-5')
    assert.equal(r.code, 0, shown(r))
    assert.ok(r.stdout.includes('Hello from gpt-5: say hi'), shown(r))

    const got = m.openai.requests.slice(before)
    assert.equal(got.length, 1)
    assert.equal(got[0]?.path, '/v1/responses')
    assert.equal(got[0]?.headers.authorization, `Bearer ${OPENAI_KEY}`)
    assert.equal((got[0]?.body as { model: string }).model, 'gpt-5')
    const [row] = await rowsFor(m.gw, r.traceId)
    assert.equal(row?.providerSlug, 'openai')
    assert.equal(row?.endpoint, '/v1/responses')
    assert.equal(row?.status, 200)
    assert.equal(row?.stream, true)
    assert.ok((row?.inputTokens ?? 0) > 0 && (row?.outputTokens ?? 0) > 0, JSON.stringify(row))
  })

  test('Responses passthrough to OpenAI: tool round trip (exec_command runs, its output goes back upstream)', async () => {
    const before = m.openai.requests.length
    const r = await codex('run the check', '@openai/gpt-5-tools')
    assert.equal(r.code, 0, shown(r))
    assert.ok(r.stdout.includes('Tool said:') && r.stdout.includes(TOOL_ECHO), shown(r))

    const got = m.openai.requests.slice(before)
    assert.equal(got.length, 2, 'the call, then the answer to its output')
    const input = inputOf(got[1]!)
    const call = input.find((i) => i.type === 'function_call')
    const output = input.find((i) => i.type === 'function_call_output')
    assert.equal(call?.name, 'exec_command')
    assert.equal(output?.call_id, call?.call_id)
    assert.ok(JSON.stringify(output?.output).includes(TOOL_ECHO))
    const rows = await rowsFor(m.gw, r.traceId, 2)
    assert.deepEqual(rows.map((x) => [x.providerSlug, x.status]), [['openai', 200], ['openai', 200]])
  })

  test('translated to an OpenAI-compatible chat upstream: plain answer, one usage row', async () => {
    const before = m.chat.requests.length
    const r = await codex('say hi', '@compat/qwen3')
    assert.equal(r.code, 0, shown(r))
    assert.ok(r.stdout.includes('Hello from qwen3: say hi'), shown(r))

    const got = m.chat.requests.slice(before)
    assert.equal(got.length, 1)
    assert.equal(got[0]?.path, '/v1/chat/completions')
    const body = got[0]?.body as { model: string; stream: boolean; messages: { role: string }[]; tools?: { type: string; function: { name: string } }[] }
    assert.equal(body.model, 'qwen3')
    assert.equal(body.stream, true)
    assert.ok(body.tools?.some((t) => t.function.name === 'exec_command'), "Codex's tools offered as functions")
    const [row] = await rowsFor(m.gw, r.traceId)
    assert.equal(row?.providerSlug, 'compat')
    assert.equal(row?.endpoint, '/v1/responses')
    assert.equal(row?.status, 200)
    assert.ok((row?.inputTokens ?? 0) > 0 && (row?.outputTokens ?? 0) > 0, JSON.stringify(row))
  })

  test('translated to an OpenAI-compatible chat upstream: tool round trip', async () => {
    const before = m.chat.requests.length
    const r = await codex('run the check', '@compat/tools-model')
    assert.equal(r.code, 0, shown(r))
    assert.ok(r.stdout.includes('Tool said:') && r.stdout.includes(TOOL_ECHO), shown(r))

    const got = m.chat.requests.slice(before)
    assert.equal(got.length, 2)
    type ChatMessage = { role: string; content: unknown; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }
    const messages = (got[1]?.body as { messages: ChatMessage[] }).messages
    const assistant = messages.findLast((x) => x.role === 'assistant' && x.tool_calls)
    const call = assistant?.tool_calls?.[0]
    assert.equal(call?.function.name, 'exec_command')
    assert.deepEqual(JSON.parse(call?.function.arguments ?? '{}'), { cmd: `echo ${TOOL_ECHO}` })
    const result = messages.find((x) => x.role === 'tool')
    assert.equal(result?.tool_call_id, call?.id)
    assert.ok(JSON.stringify(result?.content).includes(TOOL_ECHO))
    const rows = await rowsFor(m.gw, r.traceId, 2)
    assert.deepEqual(rows.map((x) => [x.providerSlug, x.status]), [['compat', 200], ['compat', 200]])
  })

  test('translated to Anthropic: plain answer, one usage row', async () => {
    const before = m.anthropic.requests.length
    const r = await codex('say hi', '@anthropic/claude-sonnet-4-5-20250929')
    assert.equal(r.code, 0, shown(r))
    assert.ok(r.stdout.includes('Hello from claude-sonnet-4-5-20250929:') && r.stdout.includes('say hi'), shown(r))
    const got = m.anthropic.requests.slice(before)
    assert.equal(got.length, 1)
    assert.equal(got[0]?.path, '/v1/messages')
    const body = got[0]?.body as { model: string; system?: unknown; tools?: { name: string }[] }
    assert.equal(body.model, 'claude-sonnet-4-5-20250929')
    assert.ok(body.system, "Codex's instructions become the system prompt")
    assert.ok(body.tools?.some((t) => t.name === 'exec_command'))
    const [row] = await rowsFor(m.gw, r.traceId)
    assert.equal(row?.providerSlug, 'anthropic')
    assert.equal(row?.endpoint, '/v1/responses')
    assert.equal(row?.status, 200)
    assert.ok((row?.inputTokens ?? 0) > 0 && (row?.outputTokens ?? 0) > 0, JSON.stringify(row))
  })

  test('translated to Anthropic: tool round trip (tool_use → exec_command → tool_result)', async () => {
    const before = m.anthropic.requests.length
    const r = await codex('run the check', '@anthropic/claude-tools')
    assert.equal(r.code, 0, shown(r))
    assert.ok(r.stdout.includes(`Hello from claude-tools:`) && r.stdout.includes(TOOL_ECHO), shown(r))
    const got = m.anthropic.requests.slice(before)
    assert.equal(got.length, 2)
    type Block = { type: string; id?: string; name?: string; input?: unknown; tool_use_id?: string; content?: unknown }
    const messages = (got[1]?.body as { messages: { role: string; content: Block[] }[] }).messages
    const use = messages.flatMap((x) => (x.role === 'assistant' ? x.content : [])).find((b) => b.type === 'tool_use')
    assert.equal(use?.name, 'exec_command')
    assert.deepEqual(use?.input, { cmd: `echo ${TOOL_ECHO}` })
    const answer = messages.at(-1)?.content.find((b) => b.type === 'tool_result')
    assert.equal(answer?.tool_use_id, use?.id)
    assert.ok(JSON.stringify(answer?.content).includes(TOOL_ECHO))
    const rows = await rowsFor(m.gw, r.traceId, 2)
    assert.deepEqual(rows.map((x) => [x.providerSlug, x.status]), [['anthropic', 200], ['anthropic', 200]])
  })

  for (const [name, model, shows] of [
    ['Responses passthrough, OpenAI drops the connection mid-stream', '@openai/gpt-5-stream-drop', '@openai closed the connection before its answer was complete'],
    ['translated to chat, the upstream drops the connection mid-stream', '@compat/stream-drop', '@compat closed the connection before its answer was complete'],
    ['Responses passthrough, OpenAI sends response.failed', '@openai/gpt-5-stream-error', 'An error occurred while processing your request'],
    ['translated to chat, the upstream answers 429', '@compat/error-429', '429'],
  ] as const) {
    test(`${name}: Codex fails and shows why`, async () => {
      const r = await codex('say hi', model)
      assert.notEqual(r.code, 0, shown(r))
      assert.ok(`${r.stdout}\n${r.stderr}`.includes(shows), shown(r))
      const [row] = await rowsFor(m.gw, r.traceId)
      assert.ok(row && row.status >= 400, JSON.stringify(row))
    })
  }
})
