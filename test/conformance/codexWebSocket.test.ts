/**
 * Codex's WebSocket mode of the Responses API, with the real Codex CLI in both of its modes: its built-in
 * OpenAI provider pointed at Switchyard with `openai_base_url`, which opens a WebSocket on
 * `GET /v1/responses` and sends every request of a session over it (a `generate: false` warm-up, then
 * `response.create` messages continuing with `previous_response_id` and only the new items), and a
 * custom provider (`model_providers.switchyard`), which streams over HTTP. Measured: upgrades and HTTP
 * posts seen by the gateway, upstream calls, usage rows, and the wall time of `codex exec`.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { codexBin, codexConfigQuiet, missingClients, rowsFor, runCli, shown, startMatrix, tempDir, TOOL_ECHO, writeCodexConfig, type Matrix } from './matrix.ts'

let m: Matrix
const upgrades: string[] = []
/** Responses requests that came over plain HTTP rather than the socket. */
const posts: string[] = []

before(async () => {
  m = await startMatrix()
  // Count upgrade requests as the gateway's own server sees them: through 'upgrade' when the server
  // handles upgrades, else as plain requests (adding an 'upgrade' listener would change what it does).
  const server = m.gw.running.server
  const count = (req: IncomingMessage) => void (req.headers.upgrade && upgrades.push(`${req.method} ${req.url}`))
  server.prependListener('request', count)
  server.prependListener('request', (req: IncomingMessage) => void (req.method === 'POST' && req.url?.startsWith('/v1/responses') && posts.push(req.url)))
  if (server.listenerCount('upgrade') > 0) server.prependListener('upgrade', count)
})
after(async () => {
  await m?.stop()
})


async function codexExec(mode: 'custom' | 'builtin', model: string, prompt = 'say hi'): Promise<{ ms: number; out: string; code: number | null; traceId: string; shown: string }> {
  const traceId = randomUUID()
  const home = tempDir('codex-ws')
  try {
    const codexHome = join(home.path, '.codex')
    const work = join(home.path, 'work')
    mkdirSync(codexHome)
    mkdirSync(work)
    const env: Record<string, string> = { CODEX_HOME: codexHome }
    if (mode === 'custom') {
      writeCodexConfig(codexHome, m.gw.url, model, traceId)
      env.SWITCHYARD_API_KEY = m.key
    } else {
      // The built-in provider: only the base URL moves; the key is the OpenAI one Codex reads.
      writeFileSync(join(codexHome, 'config.toml'), `model = "${model}"\nopenai_base_url = "${m.gw.url}/v1"\n${codexConfigQuiet}`)
      env.CODEX_API_KEY = m.key // what `codex exec` reads for the built-in provider
    }
    const started = performance.now()
    const r = await runCli(codexBin, ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', prompt], { home: home.path, cwd: work, env })
    return { ms: performance.now() - started, out: r.stdout, code: r.code, traceId, shown: shown(r) }
  } finally {
    home.remove()
  }
}

type Item = { type?: string; role?: string; call_id?: string; name?: string; output?: unknown; content?: unknown }
const inputOf = (body: unknown): Item[] => (body as { input: Item[] }).input
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

/** What one built-in-provider run did at the gateway: upgrades, HTTP posts, usage rows since it started. */
async function builtinRun(model: string, prompt: string) {
  const since = Date.now()
  const [u, p] = [upgrades.length, posts.length]
  const r = await codexExec('builtin', model, prompt)
  const rows = (await m.gw.admin('usage:query', { since })).filter((x) => x.endpoint === '/v1/responses')
  return { ...r, upgrades: upgrades.slice(u), posts: posts.slice(p), rows }
}

describe('Codex CLI and the Responses WebSocket mode', { skip: missingClients() ?? undefined }, () => {
  test('built-in provider (openai_base_url): the answer comes over the WebSocket, with a usage row', async () => {
    const before = m.openai.requests.length
    const r = await builtinRun('gpt-5', 'say hi')
    assert.equal(r.code, 0, r.shown)
    assert.ok(r.out.includes('Hello from gpt-5: say hi'), r.shown)
    console.log(`built-in provider: ${r.upgrades.length} upgrade(s), ${r.posts.length} HTTP post(s), codex exec took ${Math.round(r.ms)} ms`)
    assert.ok(r.upgrades.length >= 1 && r.upgrades.every((t) => t.startsWith('GET /v1/responses')), r.upgrades.join(', '))
    assert.deepEqual(r.posts, [], 'nothing fell back to HTTP')
    // The warm-up (`generate: false`) costs nothing upstream: one generation, one upstream call, one row.
    const got = m.openai.requests.slice(before)
    assert.equal(got.length, 1)
    assert.equal(got[0]?.path, '/v1/responses')
    const sent = got[0]?.body as { stream: boolean; previous_response_id?: string; generate?: boolean; input: Item[] }
    assert.equal(sent.stream, true)
    assert.equal(sent.previous_response_id, undefined, 'expanded by the gateway, not passed on')
    assert.equal(sent.generate, undefined)
    assert.ok(sent.input.some((i) => i.role === 'developer') && sent.input.some((i) => i.role === 'user'), 'the warm-up input is part of the conversation')
    assert.deepEqual(r.rows.map((x) => [x.providerSlug, x.status, x.stream]), [['openai', 200, true]])
    assert.ok((r.rows[0]?.inputTokens ?? 0) > 0 && (r.rows[0]?.outputTokens ?? 0) > 0)
  })

  test('built-in provider: tool round trip over the socket (previous_response_id carries the call)', async () => {
    const before = m.openai.requests.length
    const r = await builtinRun('@openai/gpt-5-tools', 'run the check')
    assert.equal(r.code, 0, r.shown)
    assert.ok(r.out.includes('Tool said:') && r.out.includes(TOOL_ECHO), r.shown)
    assert.deepEqual(r.posts, [])
    const got = m.openai.requests.slice(before)
    assert.equal(got.length, 2, 'the call, then the answer to its output')
    // Codex sent only the tool output after previous_response_id; the upstream got the call before it.
    const input = inputOf(got[1]?.body)
    const call = input.find((i) => i.type === 'function_call')
    const output = input.find((i) => i.type === 'function_call_output')
    assert.equal(call?.name, 'exec_command')
    assert.equal(output?.call_id, call?.call_id)
    assert.ok(input.indexOf(call as Item) < input.indexOf(output as Item))
    assert.ok(JSON.stringify(output?.output).includes(TOOL_ECHO))
    assert.deepEqual(r.rows.map((x) => [x.providerSlug, x.status]), [['openai', 200], ['openai', 200]])
  })

  test('built-in provider, translated to a chat upstream: the tool round trip reaches it as chat messages', async () => {
    const before = m.chat.requests.length
    const r = await builtinRun('@compat/tools-model', 'run the check')
    assert.equal(r.code, 0, r.shown)
    assert.ok(r.out.includes(TOOL_ECHO), r.shown)
    assert.deepEqual(r.posts, [])
    const got = m.chat.requests.slice(before)
    assert.equal(got.length, 2)
    const messages = (got[1]?.body as { messages: Array<{ role: string; tool_calls?: Array<{ id: string }>; tool_call_id?: string; content?: unknown }> }).messages
    const asked = messages.find((x) => x.role === 'assistant' && x.tool_calls?.length)
    const answered = messages.find((x) => x.role === 'tool')
    assert.ok(asked && answered, JSON.stringify(messages.map((x) => x.role)))
    assert.equal(answered.tool_call_id, asked.tool_calls?.[0]?.id)
    assert.ok(JSON.stringify(answered.content).includes(TOOL_ECHO))
    assert.deepEqual(r.rows.map((x) => [x.providerSlug, x.status]), [['compat', 200], ['compat', 200]])
  })

  test('custom provider: no upgrade, one usage row', async () => {
    const before = upgrades.length
    const r = await codexExec('custom', '@openai/gpt-5')
    assert.equal(r.code, 0, r.shown)
    assert.ok(r.out.includes('Hello from gpt-5: say hi'), r.shown)
    console.log(`custom provider: ${upgrades.length - before} upgrade attempt(s), codex exec took ${Math.round(r.ms)} ms`)
    assert.equal(upgrades.length, before)
    const [row] = await rowsFor(m.gw, r.traceId)
    assert.equal(row?.status, 200)
  })

  test('wall time to the first answer: built-in (WebSocket) vs custom provider (HTTP), median of 3 each', async () => {
    const times: Record<'builtin' | 'custom', number[]> = { builtin: [], custom: [] }
    for (let i = 0; i < 3; i++) {
      for (const mode of ['builtin', 'custom'] as const) {
        const r = await codexExec(mode, mode === 'builtin' ? 'gpt-5' : '@openai/gpt-5')
        assert.equal(r.code, 0, r.shown)
        times[mode].push(r.ms)
      }
    }
    const b = median(times.builtin)
    const c = median(times.custom)
    console.log(`codex exec wall time, median of 3: built-in ${Math.round(b)} ms, custom ${Math.round(c)} ms (runs: ${times.builtin.map(Math.round)} / ${times.custom.map(Math.round)})`)
    // The socket must not cost what the refused upgrades did (6-7 s of retries before HTTP).
    assert.ok(b < c + 3000, `built-in ${Math.round(b)} ms vs custom ${Math.round(c)} ms`)
  })
})
