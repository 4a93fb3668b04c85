/**
 * Translation bench (issue 3): an Anthropic-format streaming call (`POST /v1/messages`, what Claude
 * Code sends) through the gateway, passed through to an Anthropic upstream vs. translated to an
 * OpenAI chat upstream, same content (one text block of 100 deltas). Reports, medians of the rounds:
 *   - gateway CPU per streaming request, translated / passthrough (target ≤ 2×)
 *   - time to first body byte added over going direct to the upstream, both paths (target ≤ 1 ms)
 * The gateway runs in its own process (`bench/gateway.ts`, the real core); the upstreams and the
 * client run here. `npx node bench/translation.ts [--rounds 5] [--requests 300]`. Loopback only.
 */
import { fork, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: { rounds: { type: 'string' }, requests: { type: 'string' } } })
const ROUNDS = Number(values.rounds ?? 5)
const REQUESTS = Number(values.requests ?? 300)
const KEY = 'sy-bench-translation-key-0123456789'
const ADMIN = 'x'.repeat(24)
const DELTAS = 100

//#region upstreams: pre-serialized streams, first event written at once
const words = Array.from({ length: DELTAS }, (_, i) => `word${i} `)
const openaiStream = [
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`,
  ...words.map((w) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: { content: w }, finish_reason: null }] })}\n\n`),
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 12, completion_tokens: DELTAS, total_tokens: 12 + DELTAS } })}\n\n`,
  'data: [DONE]\n\n',
]
const ev = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
const anthropicStream = [
  ev('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } }),
  ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  ...words.map((w) => ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: w } })),
  ev('content_block_stop', { type: 'content_block_stop', index: 0 }),
  ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: DELTAS } }),
  ev('message_stop', { type: 'message_stop' }),
]

function upstream(): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const events = req.url?.startsWith('/v1/messages') ? anthropicStream : openaiStream
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(events[0] as string) // first event at once
      setImmediate(() => res.end(events.slice(1).join('')))
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })))
}
//#endregion

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

/** One streaming call; resolves with ms to the first body byte, after reading the whole body. */
function call(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let first = 0
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.on('data', () => (first ||= performance.now() - started))
      res.on('end', () => (res.statusCode === 200 ? resolve(first) : reject(new Error(`HTTP ${res.statusCode}`))))
    })
    req.on('error', reject)
    req.end(body)
  })
}

function ask(child: ChildProcess, cmd: string): Promise<{ cpu: NodeJS.CpuUsage }> {
  return new Promise((resolve) => {
    const id = Math.random()
    const on = (m: { id?: number; cpu: NodeJS.CpuUsage }) => {
      if (m.id !== id) return
      child.off('message', on)
      resolve(m)
    }
    child.on('message', on)
    child.send({ id, cmd })
  })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

async function main(): Promise<void> {
  const up = await upstream()
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-tr-'))
  const gateway = fork(fileURLToPath(new URL('./gateway.ts', import.meta.url)), [JSON.stringify({ dataDir, upstreamUrl: up.url, key: KEY })], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  const gwUrl = await new Promise<string>((resolve) => gateway.once('message', (m: { url: string }) => resolve(m.url)))
  await fetch(`${gwUrl}/admin/api/integrations:create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, host: new URL(gwUrl).host },
    body: JSON.stringify({ slug: 'anth', kind: 'anthropic', apiKey: 'sk-ant-bench-0123456789', settings: { baseUrl: `${up.url}/v1` } }),
  })
  const request = (model: string) => JSON.stringify({ model, max_tokens: 256, stream: true, messages: [{ role: 'user', content: 'Say a hundred words.' }] })
  const paths = {
    direct_anthropic: () => call(`${up.url}/v1/messages`, request('claude-x'), { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }),
    direct_openai: () => call(`${up.url}/v1/chat/completions`, JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'Say a hundred words.' }] }), {}),
    passthrough: () => call(`${gwUrl}/v1/messages`, request('@anth/claude-x'), { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' }),
    translated: () => call(`${gwUrl}/v1/messages`, request('@up/gpt-4o'), { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' }),
  }
  const results: Record<string, { cpuMs: number[]; ttfb: number[] }> = {}
  for (const name of Object.keys(paths)) results[name] = { cpuMs: [], ttfb: [] }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(paths)) {
      for (let i = 0; i < 30; i++) await run() // warm-up
      const before = await ask(gateway, 'cpu')
      const ttfbs: number[] = []
      for (let i = 0; i < REQUESTS; i++) ttfbs.push(await run())
      const after = await ask(gateway, 'cpu')
      const cpu = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000 / REQUESTS
      results[name]?.cpuMs.push(cpu)
      results[name]?.ttfb.push(median(ttfbs))
    }
  }
  const m = (name: string, k: 'cpuMs' | 'ttfb') => median(results[name]?.[k] ?? [0])
  const rows = [
    ['gateway CPU / streaming request, passthrough', `${m('passthrough', 'cpuMs').toFixed(3)} ms`, '(reference)'],
    ['gateway CPU / streaming request, translated Anthropic→OpenAI', `${m('translated', 'cpuMs').toFixed(3)} ms`, '(reference)'],
    ['translated / passthrough CPU', `${(m('translated', 'cpuMs') / m('passthrough', 'cpuMs')).toFixed(2)}×`, '≤ 2×'],
    ['TTFB added, passthrough', `${(m('passthrough', 'ttfb') - m('direct_anthropic', 'ttfb')).toFixed(3)} ms`, '≤ 1 ms'],
    ['TTFB added, translated', `${(m('translated', 'ttfb') - m('direct_openai', 'ttfb')).toFixed(3)} ms`, '≤ 1 ms'],
  ]
  console.log(`translation bench: ${ROUNDS} rounds × ${REQUESTS} sequential streaming requests of ${DELTAS} deltas; medians`)
  for (const [what, value, target] of rows) console.log(`  ${String(what).padEnd(64)} ${String(value).padStart(10)}  ${target}`)
  gateway.send({ cmd: 'stop' })
  await new Promise((r) => gateway.once('exit', r))
  up.server.close()
  agent.destroy()
  rmSync(dataDir, { recursive: true, force: true })
}

await main()
