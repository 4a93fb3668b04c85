/**
 * The real Claude Code CLI (`claude -p`) through the gateway: a plain answer and a tool-use round trip
 * (Claude Code runs the Bash tool the upstream asks for and sends its output back), via Anthropic
 * passthrough and via translation to an OpenAI-compatible chat upstream (Ollama). What a user notices:
 * the answer printed, the tool's output reaching the model, one usage row per model call.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import {
  ANTHROPIC_KEY, claudeBin, missingClients, rowsFor, runCli, shown, startMatrix, startRecorder, tempDir, TOOL_ECHO, type CliResult, type Matrix,
} from './matrix.ts'

let m: Matrix

before(async () => {
  m = await startMatrix()
})

after(async () => {
  await m?.stop()
})

type ClaudeRun = {
  model?: string
  /** The `env` block of ~/.claude/settings.json, as the README documents it; default: base URL, auth token, no nonessential traffic. */
  settingsEnv?: Record<string, string>
  /** The process environment on top (e.g. ANTHROPIC_API_KEY instead of the auth token). */
  env?: Record<string, string>
  baseUrl?: string
  extraArgs?: string[]
  /** More `Name: value` lines for ANTHROPIC_CUSTOM_HEADERS (the trace id is always there). */
  customHeaders?: string[]
}

/**
 * Claude Code as a user runs it against Switchyard, in a fresh HOME whose ~/.claude/settings.json holds
 * the README's env block; a trace id sent with ANTHROPIC_CUSTOM_HEADERS groups its usage rows.
 */
async function claude(prompt: string, o: ClaudeRun = {}): Promise<CliResult & { traceId: string }> {
  const traceId = randomUUID()
  const home = tempDir('claude-home')
  try {
    const settingsEnv = o.settingsEnv ?? {
      ANTHROPIC_BASE_URL: o.baseUrl ?? m.gw.url,
      ANTHROPIC_AUTH_TOKEN: m.key,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    }
    mkdirSync(join(home.path, '.claude'))
    writeFileSync(join(home.path, '.claude', 'settings.json'), JSON.stringify({ env: { ...settingsEnv, ANTHROPIC_CUSTOM_HEADERS: [`x-portkey-trace-id: ${traceId}`, ...(o.customHeaders ?? [])].join('\n') } }, null, 2))
    const args = ['-p', prompt, '--output-format', 'json', ...(o.model ? ['--model', o.model] : []), ...(o.extraArgs ?? [])]
    const r = await runCli(claudeBin, args, { home: home.path, env: { DISABLE_AUTOUPDATER: '1', ...o.env } })
    return { ...r, traceId }
  } finally {
    home.remove()
  }
}

/** `--output-format json`: the final result object Claude Code prints. */
function result(r: CliResult): { result: string; is_error: boolean; num_turns: number } {
  const line = r.stdout.trim().split('\n').at(-1) ?? ''
  try {
    return JSON.parse(line) as { result: string; is_error: boolean; num_turns: number }
  } catch {
    assert.fail(`Claude Code printed no JSON result\n${shown(r)}`)
  }
}

const bodyOf = (r: { body: unknown }) => r.body as { model: string; messages: { role: string; content: unknown }[]; tools?: unknown[] }

describe('Claude Code CLI', { skip: missingClients() ?? undefined }, () => {
  before(async () => {
    // The README's way to send Claude Code's own model names to a provider.
    await m.gw.admin('aliases:set', { workspaceId: 'default', aliases: [{ pattern: 'claude-*', target: '@anthropic/*' }] })
    // An Ollama left at its default 4,096-token context.
    await m.gw.admin('integrations:create', { slug: 'ollama-4k', kind: 'ollama', settings: { baseUrl: m.chat.url } })
  })

  test('passthrough to Anthropic (settings.json env block, alias claude-* → @anthropic/*): plain answer; betas, version and ?beta=true reach the upstream as sent', async () => {
    const recorder = await startRecorder(m.gw.url)
    try {
      const before = m.anthropic.requests.length
      const r = await claude('hi', { model: 'claude-sonnet-4-5-20250929', baseUrl: recorder.url })
      assert.equal(r.code, 0, shown(r))
      const out = result(r)
      assert.equal(out.is_error, false, shown(r))
      assert.match(out.result, /^Hello from claude-sonnet-4-5-20250929: /)
      assert.ok(out.result.trimEnd().endsWith('hi'), out.result)

      const sent = recorder.seen.filter((s) => s.method === 'POST' && s.url.startsWith('/v1/messages'))
      const got = m.anthropic.requests.slice(before).filter((q) => q.path.startsWith('/v1/messages'))
      assert.equal(sent.length, 1, 'one model call')
      assert.equal(sent[0]?.url, '/v1/messages?beta=true', 'Claude Code calls the beta Messages URL')
      assert.equal(got.length, 1)
      const [client, upstream] = [sent[0]!.headers, got[0]!.headers]
      assert.equal(client.authorization, `Bearer ${m.key}`, 'ANTHROPIC_AUTH_TOKEN is sent as a Bearer token')
      assert.ok(client['anthropic-beta'], 'Claude Code sends betas')
      assert.equal(upstream['anthropic-beta'], client['anthropic-beta'])
      assert.equal(upstream['anthropic-version'], client['anthropic-version'])
      // The vault key goes upstream, never the Switchyard key.
      assert.equal(upstream['x-api-key'], ANTHROPIC_KEY)
      assert.ok(!JSON.stringify(upstream).includes(m.key))
      assert.equal(bodyOf(got[0]!).model, 'claude-sonnet-4-5-20250929')

      const [row] = await rowsFor(m.gw, r.traceId)
      assert.equal(row?.providerSlug, 'anthropic')
      assert.equal(row?.endpoint, '/v1/messages')
      assert.equal(row?.status, 200)
      assert.equal(row?.stream, true)
      assert.ok((row?.inputTokens ?? 0) > 0 && (row?.outputTokens ?? 0) > 0, JSON.stringify(row))
      // Claude Code marks its prompt for caching; the fake reports half of it as a cache write.
      assert.ok((row?.cacheWriteTokens ?? 0) > 0, JSON.stringify(row))
    } finally {
      await recorder.close()
    }
  })

  test('passthrough to Anthropic (ANTHROPIC_API_KEY): tool-use round trip, Bash runs and its output goes back upstream', async () => {
    const before = m.anthropic.requests.length
    const r = await claude('run the check', {
      model: '@anthropic/claude-tools',
      settingsEnv: { ANTHROPIC_BASE_URL: m.gw.url, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
      env: { ANTHROPIC_API_KEY: m.key },
      extraArgs: ['--allowedTools', 'Bash(echo:*)'],
    })
    assert.equal(r.code, 0, shown(r))
    const out = result(r)
    assert.equal(out.is_error, false, shown(r))
    assert.equal(out.result, `Hello from claude-tools: ${TOOL_ECHO}`)

    const got = m.anthropic.requests.slice(before).filter((q) => q.path.startsWith('/v1/messages'))
    assert.equal(got.length, 2, 'the tool call, then the answer to its result')
    assert.equal(got[0]?.headers['x-api-key'], ANTHROPIC_KEY)
    const last = bodyOf(got[1]!).messages.at(-1)
    assert.equal(last?.role, 'user')
    assert.match(JSON.stringify(last?.content), /"type":"tool_result".*switchyard-tool-ok/)
    const rows = await rowsFor(m.gw, r.traceId, 2)
    assert.deepEqual(rows.map((x) => [x.providerSlug, x.status]), [['anthropic', 200], ['anthropic', 200]])
    assert.ok(rows.every((x) => (x.outputTokens ?? 0) > 0))
  })

  test('translated to an OpenAI-compatible chat upstream (ANTHROPIC_MODEL=@ollama/llama3.2): plain answer', async () => {
    const before = m.chat.requests.length
    const r = await claude('hi', {
      settingsEnv: { ANTHROPIC_BASE_URL: m.gw.url, ANTHROPIC_AUTH_TOKEN: m.key, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', ANTHROPIC_MODEL: '@ollama/llama3.2' },
    })
    assert.equal(r.code, 0, shown(r))
    const out = result(r)
    assert.equal(out.is_error, false, shown(r))
    assert.match(out.result, /^Hello from llama3\.2: /)
    assert.ok(out.result.trimEnd().endsWith('hi'), out.result)

    const got = m.chat.requests.slice(before)
    assert.equal(got.length, 1)
    assert.equal(got[0]?.path, '/v1/chat/completions')
    const body = bodyOf(got[0]!)
    assert.equal(body.model, 'llama3.2')
    // Claude Code's system prompt, and the system entry it puts inside `messages`, arrive as system messages.
    assert.equal(body.messages[0]?.role, 'system')
    assert.ok(body.messages.some((x, i) => i > 0 && x.role === 'system'))
    assert.ok((body.tools?.length ?? 0) > 0, 'Claude Code tools offered as functions')

    const [row] = await rowsFor(m.gw, r.traceId)
    assert.equal(row?.providerSlug, 'ollama')
    assert.equal(row?.model, 'llama3.2')
    assert.equal(row?.endpoint, '/v1/messages')
    assert.equal(row?.status, 200)
    assert.ok((row?.inputTokens ?? 0) > 0 && (row?.outputTokens ?? 0) > 0, JSON.stringify(row))
  })

  test('translated to an OpenAI-compatible chat upstream (Ollama): tool-use round trip', async () => {
    const before = m.chat.requests.length
    const r = await claude('run the check', { model: '@ollama/tools-model', extraArgs: ['--allowedTools', 'Bash(echo:*)'] })
    assert.equal(r.code, 0, shown(r))
    const out = result(r)
    assert.equal(out.is_error, false, shown(r))
    assert.equal(out.result, `Tool said: ${TOOL_ECHO}`)

    const got = m.chat.requests.slice(before)
    assert.equal(got.length, 2)
    type ChatMessage = { role: string; content: unknown; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }
    const messages = bodyOf(got[1]!).messages as ChatMessage[]
    const call = messages.at(-2)?.tool_calls?.[0]
    assert.equal(call?.function.name, 'Bash')
    assert.deepEqual(JSON.parse(call?.function.arguments ?? '{}'), { command: `echo ${TOOL_ECHO}` })
    assert.equal(messages.at(-1)?.role, 'tool')
    assert.equal(messages.at(-1)?.tool_call_id, call?.id)
    assert.match(JSON.stringify(messages.at(-1)?.content), /switchyard-tool-ok/)
    const rows = await rowsFor(m.gw, r.traceId, 2)
    assert.deepEqual(rows.map((x) => [x.providerSlug, x.status]), [['ollama', 200], ['ollama', 200]])
  })

  test("on an Ollama at its default 4,096-token context: Claude Code shows the gateway's explanation, nothing is sent", async () => {
    const before = m.chat.requests.length
    const r = await claude('hi', { model: '@ollama-4k/llama3.2' })
    const out = result(r)
    assert.equal(out.is_error, true, shown(r))
    assert.match(out.result, /serves a context of 4096 tokens/)
    assert.equal(m.chat.requests.length, before)
    const [row] = await rowsFor(m.gw, r.traceId)
    assert.equal(row?.status, 400)
  })

  test("Claude Max / OAuth users (README): the user's own Authorization goes to Anthropic, the Switchyard key in x-portkey-api-key", async () => {
    await m.gw.admin('integrations:create', { slug: 'anthropic-max', kind: 'anthropic', settings: { baseUrl: `${m.anthropic.url}/v1`, useClientAuthorization: true } })
    const before = m.anthropic.requests.length
    // Claude Code sends a Claude Max login as `Authorization: Bearer <oauth token>`, as it sends ANTHROPIC_AUTH_TOKEN.
    const r = await claude('hi', {
      model: '@anthropic-max/claude-sonnet-4-5-20250929',
      settingsEnv: { ANTHROPIC_BASE_URL: m.gw.url, ANTHROPIC_AUTH_TOKEN: ANTHROPIC_KEY, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
      customHeaders: [`x-portkey-api-key: ${m.key}`],
    })
    assert.equal(r.code, 0, shown(r))
    assert.match(result(r).result, /^Hello from claude-sonnet-4-5-20250929: /)
    const got = m.anthropic.requests.slice(before)
    assert.equal(got.length, 1)
    assert.equal(got[0]?.headers.authorization, `Bearer ${ANTHROPIC_KEY}`)
    assert.equal(got[0]?.headers['x-api-key'], undefined)
    assert.ok(!JSON.stringify(got[0]?.headers).includes(m.key), 'the Switchyard key stays at the gateway')
    const [row] = await rowsFor(m.gw, r.traceId)
    assert.equal(row?.providerSlug, 'anthropic-max')
    assert.equal(row?.status, 200)
  })

  // Claude Code retries failures with backoff; without retries each failure shows at once.
  for (const [name, model, shows, statuses] of [
    ['translated, the chat upstream answers 429', '@ollama/error-429', /429.*Rate limit reached/s, [429]],
    // After a broken stream Claude Code tries once more without streaming (which this upstream also breaks).
    ['translated, the chat upstream drops the stream', '@ollama/stream-drop', /@ollama closed the connection before its answer was complete/, [502, 502]],
    ['passthrough, Anthropic answers 529 overloaded', '@anthropic/claude-error-529', /529.*Overloaded/s, [529]],
  ] as const) {
    test(`errors (${name}): Claude Code shows the reason`, async () => {
      const r = await claude('hi', { model, env: { CLAUDE_CODE_MAX_RETRIES: '0' } })
      assert.notEqual(r.code, 0, shown(r))
      const out = result(r)
      assert.equal(out.is_error, true, shown(r))
      assert.match(out.result, shows)
      const rows = await rowsFor(m.gw, r.traceId, statuses.length)
      assert.deepEqual(rows.map((x) => x.status), statuses)
    })
  }

  test('passthrough, Anthropic sends an error event mid-stream: Claude Code falls back to a non-streamed call and still answers', async () => {
    const r = await claude('hi', { model: '@anthropic/claude-stream-error', env: { CLAUDE_CODE_MAX_RETRIES: '0' } })
    assert.equal(r.code, 0, shown(r))
    const out = result(r)
    assert.equal(out.is_error, false, shown(r))
    assert.match(out.result, /^Hello from claude-stream-error: /)
    const rows = await rowsFor(m.gw, r.traceId, 2)
    assert.deepEqual(rows.map((x) => [x.stream, x.status]), [[true, 502], [false, 200]])
    assert.match(rows[0]?.error ?? '', /Overloaded/)
  })

  test('startup probes are answered: HEAD /api/hello and HEAD /', async () => {
    for (const path of ['/api/hello', '/']) {
      const res = await fetch(`${m.gw.url}${path}`, { method: 'HEAD' })
      assert.equal(res.status, 200, path)
    }
  })
})
