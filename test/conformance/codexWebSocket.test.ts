/**
 * Codex's WebSocket mode of the Responses API, with the real Codex CLI in both of its modes: a custom
 * provider (`model_providers.switchyard`) and its built-in OpenAI provider pointed at Switchyard with
 * `openai_base_url`. The built-in provider first asks for a WebSocket upgrade on `GET /v1/responses`;
 * Switchyard refuses it with 426 and Codex must fall back to HTTP streaming at once (a 405 made it
 * retry for 6-7 s). Measured: upgrade attempts seen by the gateway, and the run's wall time.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { codexBin, codexConfigQuiet, missingClients, rowsFor, runCli, shown, startMatrix, tempDir, writeCodexConfig, type Matrix } from './matrix.ts'

let m: Matrix
const upgrades: string[] = []

before(async () => {
  m = await startMatrix()
  // Count upgrade requests as the gateway's own server sees them: through 'upgrade' when the server
  // handles upgrades, else as plain requests (adding an 'upgrade' listener would change what it does).
  const server = m.gw.running.server
  const count = (req: IncomingMessage) => void (req.headers.upgrade && upgrades.push(`${req.method} ${req.url}`))
  server.prependListener('request', count)
  if (server.listenerCount('upgrade') > 0) server.prependListener('upgrade', count)
})
after(async () => {
  await m?.stop()
})


async function codexExec(mode: 'custom' | 'builtin', model: string): Promise<{ ms: number; out: string; code: number | null; traceId: string; shown: string }> {
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
    const r = await runCli(codexBin, ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', 'say hi'], { home: home.path, cwd: work, env })
    return { ms: performance.now() - started, out: r.stdout, code: r.code, traceId, shown: shown(r) }
  } finally {
    home.remove()
  }
}

describe('Codex CLI and the Responses WebSocket mode', { skip: missingClients() ?? undefined }, () => {
  test('built-in provider (openai_base_url): the upgrade is refused once with 426, then HTTP streaming answers', async () => {
    const before = upgrades.length
    const r = await codexExec('builtin', 'gpt-5')
    assert.equal(r.code, 0, r.shown)
    assert.ok(r.out.includes('Hello from gpt-5: say hi'), r.shown)
    const tried = upgrades.slice(before)
    console.log(`built-in provider: ${tried.length} upgrade attempt(s), codex exec took ${Math.round(r.ms)} ms`)
    assert.ok(tried.length >= 1, 'Codex asked for a WebSocket first')
    assert.ok(tried.every((t) => t.startsWith('GET /v1/responses')), tried.join(', '))
    assert.ok(tried.length <= 2, `Codex retried the upgrade ${tried.length} times: it should fall back at once`)
  })

  test('custom provider: no upgrade, one usage row', async () => {
    const before = upgrades.length
    const r = await codexExec('custom', '@openai/gpt-5')
    assert.equal(r.code, 0, r.shown)
    assert.ok(r.out.includes('Hello from gpt-5: say hi'), r.shown)
    console.log(`custom provider: ${upgrades.length - before} upgrade attempt(s), codex exec took ${Math.round(r.ms)} ms`)
    const [row] = await rowsFor(m.gw, r.traceId)
    assert.equal(row?.status, 200)
  })
})
