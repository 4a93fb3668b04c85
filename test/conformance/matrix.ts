/**
 * Shared by the conformance tests: one gateway with an integration per wire format, the local upstreams
 * behind them, and a runner for the real CLI clients (Claude Code, Codex) in a throwaway home.
 *
 *   @anthropic → Anthropic Messages fake (passthrough for Anthropic callers)
 *   @openai    → OpenAI fake with chat completions and the Responses API (passthrough for chat and Responses callers)
 *   @ollama    → OpenAI-compatible chat fake, as a local Ollama with a 128k context (Anthropic and Responses callers are translated)
 *   @compat    → the same chat fake as a generic `openai-compatible` server
 *
 * The fakes pick behaviours by model name: `…tools…` calls a tool (a harmless `echo switchyard-tool-ok` when
 * the client offers a shell tool), `…error-429…`, `…error-529…`, `…stream-error…`, `…stream-drop…` fail.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { UsageRow } from '../../preload/contract.ts'
import { startTestGateway, type TestGateway } from '../support/startTestGateway.ts'
import { startAnthropicUpstream, type AnthropicUpstream } from '../support/upstreams/anthropicUpstream.ts'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'

export const ANTHROPIC_KEY = 'sk-ant-conformance-0123456789abcdef'
export const OPENAI_KEY = 'sk-openai-conformance-0123456789abcdef'
/** What the fakes' scripted shell call prints. */
export const TOOL_ECHO = 'switchyard-tool-ok'

export type Matrix = {
  gw: TestGateway
  /** A Switchyard API key of the default workspace. */
  key: string
  anthropic: AnthropicUpstream
  /** OpenAI fake with chat completions and the Responses API. */
  openai: Upstream
  /** OpenAI-compatible chat fake behind @ollama and @compat. */
  chat: Upstream
  stop(): Promise<void>
}

export async function startMatrix(): Promise<Matrix> {
  const [anthropic, openai, chat] = await Promise.all([
    startAnthropicUpstream({ apiKey: ANTHROPIC_KEY }),
    startOpenAIUpstream({ apiKey: OPENAI_KEY, responses: true, models: ['gpt-5', 'gpt-4o', 'gpt-4o-mini', 'gpt-3.5-turbo-instruct', 'text-embedding-3-small'] }),
    startOpenAIUpstream({ models: ['llama3.2', 'qwen3'] }),
  ])
  const gw = await startTestGateway()
  await gw.admin('integrations:create', { slug: 'anthropic', kind: 'anthropic', apiKey: ANTHROPIC_KEY, settings: { baseUrl: `${anthropic.url}/v1` } })
  await gw.admin('integrations:create', { slug: 'openai', kind: 'openai', apiKey: OPENAI_KEY, settings: { baseUrl: openai.url } })
  // Claude Code's requests (≈17k prompt tokens + 32k max output) need more than Ollama's default 4,096-token
  // context, which the gateway enforces: this "Ollama" was started with a larger OLLAMA_CONTEXT_LENGTH.
  await gw.admin('integrations:create', { slug: 'ollama', kind: 'ollama', settings: { baseUrl: chat.url, contextWindow: 131_072 } })
  await gw.admin('integrations:create', { slug: 'compat', kind: 'openai-compatible', settings: { baseUrl: chat.url } })
  const key = await gw.newKey('conformance')
  return {
    gw,
    key,
    anthropic,
    openai,
    chat,
    async stop() {
      await gw.stop()
      await Promise.all([anthropic.close(), openai.close(), chat.close()])
    },
  }
}

/** The usage rows of one trace id, once `count` of them are written (rows land just after a response ends). */
export async function rowsFor(gw: TestGateway, traceId: string, count = 1, timeoutMs = 5000): Promise<UsageRow[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const rows = await gw.admin('usage:query', { traceId })
    if (rows.length >= count) return rows.sort((a, b) => a.id - b.id)
    if (Date.now() > deadline) throw new Error(`expected ${count} usage row(s) for trace ${traceId}, found ${rows.length}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

//#region real CLI clients

const bin = fileURLToPath(new URL('../clients/node_modules/.bin/', import.meta.url))
export const claudeBin = join(bin, 'claude')
export const codexBin = join(bin, 'codex')
/** Why the CLI tests cannot run, or null. `npm test` installs the clients (`npm ci --prefix test/clients`). */
export const missingClients = (): string | null =>
  existsSync(claudeBin) && existsSync(codexBin) ? null : 'test/clients is not installed: run `npm ci --prefix test/clients` (npm test does)'

/** Generous: the CLIs start in about a second, but a loaded 2-core CI machine can be much slower. */
export const CLI_TIMEOUT_MS = 90_000

export type CliResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/**
 * Runs a CLI in its own process group with a temp HOME (and XDG dirs inside it) and only the environment
 * given here, so the developer's own keys, settings and a surrounding Claude Code session cannot leak in.
 * Stdin is closed (Codex otherwise waits for more input). On timeout the whole group is killed.
 */
export function runCli(file: string, args: string[], opts: { env?: Record<string, string>; home: string; cwd?: string; timeoutMs?: number }): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    HOME: opts.home,
    TMPDIR: process.env.TMPDIR ?? tmpdir(),
    XDG_CONFIG_HOME: join(opts.home, '.config'),
    XDG_DATA_HOME: join(opts.home, '.local', 'share'),
    XDG_CACHE_HOME: join(opts.home, '.cache'),
    XDG_STATE_HOME: join(opts.home, '.local', 'state'),
    ...opts.env,
  }
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd ?? opts.home, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const timer = setTimeout(() => {
      stderr += `\n[conformance] killed after ${opts.timeoutMs ?? CLI_TIMEOUT_MS} ms`
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }, opts.timeoutMs ?? CLI_TIMEOUT_MS)
    child.on('error', (err) => (clearTimeout(timer), reject(err)))
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

/** A throwaway directory, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `switchyard-${prefix}-`))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** What a CLI printed, for assertion messages. */
export const shown = (r: CliResult): string => `exit ${r.code ?? r.signal}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`

/**
 * A Codex home whose config.toml is the README's (the model, a custom provider at the gateway's Responses
 * endpoint, the key in SWITCHYARD_API_KEY) plus no retries (a failure shows at once) and a trace id
 * header for the usage rows.
 */
export function writeCodexConfig(codexHome: string, gatewayUrl: string, model: string, traceId: string): void {
  const toml = `model = "${model}"
model_provider = "switchyard"

[model_providers.switchyard]
name = "Switchyard"
base_url = "${gatewayUrl}/v1"
env_key = "SWITCHYARD_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
http_headers = { "x-portkey-trace-id" = "${traceId}" }
${codexConfigQuiet}`
  writeFileSync(join(codexHome, 'config.toml'), toml)
}

/** The tail of every test config.toml: no analytics, telemetry or plugins (no traffic off the machine). */
export const codexConfigQuiet = `
[analytics]
enabled = false

[otel]
exporter = "none"
metrics_exporter = "none"

[features]
plugins = false
`

//#endregion

//#region a recording hop in front of the gateway

export type SeenRequest = { method: string; url: string; headers: http.IncomingHttpHeaders }

/**
 * A transparent HTTP hop between a client and the gateway that records what the client sent (method, URL
 * with query, headers), so a test can compare it with what reached the upstream.
 */
export async function startRecorder(target: string): Promise<{ url: string; seen: SeenRequest[]; close(): Promise<void> }> {
  const to = new URL(target)
  const seen: SeenRequest[] = []
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers })
    const up = http.request({ hostname: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers)
      r.pipe(res)
    })
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

//#endregion
