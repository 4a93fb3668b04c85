/**
 * How long each path the bench measures takes to reach V8's steady state: a fresh gateway per path
 * (`bench/gateway.ts`, started with `--trace-opt`), requests one at a time in windows, and per window
 * the gateway's CPU per request and the TurboFan compile time V8 reported (its worker threads' work,
 * which the process's CPU figure includes). `npm run bench` warms every measured path with
 * WARM_PATH_REQUESTS before its rounds because of what this prints. `--gc-at N,M` runs a full GC (the
 * kind the gateway runs when idle after a busy spell, `main/v8Memory.ts`) before those windows: the
 * optimized code is thrown away and the path warms up again.
 * `npx node bench/jitWarmup.ts [--window 1000] [--windows 10] [--paths chat,streamPass,streamTrans,ccBig] [--gc-at 9]`
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { agentBodies } from './agentBodies.ts'

const { values: argv } = parseArgs({ options: { window: { type: 'string' }, windows: { type: 'string' }, paths: { type: 'string' }, 'gc-at': { type: 'string' } } })
const WINDOW = Number(argv.window ?? 1000)
const WINDOWS = Number(argv.windows ?? 10)
const GC_AT = new Set((argv['gc-at'] ?? '').split(',').filter(Boolean).map(Number))
const here = dirname(fileURLToPath(import.meta.url))
const KEY = 'sy-bench-0123456789abcdef0123456789abcdef'

type Kid = { proc: ChildProcess; url: string; out: () => string; rpc: (cmd: 'cpu' | 'mem') => Promise<NodeJS.CpuUsage> }

function start(script: string, arg: string, flags: string[] = []): Promise<Kid> {
  const proc = spawn(process.execPath, [...flags, join(here, script), arg], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  let out = ''
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  let id = 0
  const waiting = new Map<number, (cpu: NodeJS.CpuUsage) => void>()
  return new Promise((resolve) => {
    proc.on('message', (m: { type?: string; url?: string; id?: number; cpu?: NodeJS.CpuUsage }) => {
      if (m.type === 'ready') {
        const rpc = (cmd: 'cpu' | 'mem') => new Promise<NodeJS.CpuUsage>((r) => { waiting.set(++id, r); proc.send({ id, cmd }) })
        resolve({ proc, url: m.url as string, out: () => out, rpc })
      } else if (m.id && m.cpu) waiting.get(m.id)?.(m.cpu)
    })
  })
}

const ask = (model: string) => Buffer.from(JSON.stringify({ model, max_tokens: 256, stream: true, messages: [{ role: 'user', content: 'Say a hundred words.' }] }))
const agent = agentBodies()
const paths: Record<string, { path: string; bodies: Buffer[] }> = {
  chat: { path: '/v1/chat/completions', bodies: [Buffer.from(JSON.stringify({ model: '@up/gpt-4o', messages: [{ role: 'user', content: 'Say hello' }] }))] },
  streamPass: { path: '/v1/messages', bodies: [ask('@anth/claude-x')] },
  streamTrans: { path: '/v1/messages', bodies: [ask('@up/gpt-4o')] },
  ...(agent ? { ccBig: { path: '/v1/messages', bodies: agent.session } } : {}),
}

function once(url: string, pool: http.Agent, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${KEY}`, 'anthropic-version': '2023-06-01' }
    const req = http.request(url, { method: 'POST', agent: pool, headers }, (res) => {
      res.resume()
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const up = await start('upstream.ts', '{}')
for (const name of (argv.paths ?? Object.keys(paths).join(',')).split(',')) {
  const p = paths[name]
  if (!p) throw new Error(`unknown path ${name}; known: ${Object.keys(paths).join(', ')}`)
  const dataDir = mkdtempSync(join(os.tmpdir(), 'switchyard-jit-'))
  const gw = await start('gateway.ts', JSON.stringify({ dataDir, upstreamUrl: up.url, key: KEY }), ['--trace-opt', '--expose-gc'])
  const pool = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const cells: string[] = []
  let sent = 0
  for (let w = 0; w < WINDOWS; w++) {
    if (GC_AT.has(w)) await gw.rpc('mem')
    const from = gw.out().length
    const a = await gw.rpc('cpu')
    for (let i = 0; i < WINDOW; i++) await once(gw.url + p.path, pool, p.bodies[sent++ % p.bodies.length] as Buffer)
    await new Promise((r) => setTimeout(r, 50)) // compile jobs of the window's last requests finish
    const b = await gw.rpc('cpu')
    let compileMs = 0
    for (const m of gw.out().slice(from).matchAll(/took [\d.]+, ([\d.]+), [\d.]+ ms/g)) compileMs += Number(m[1])
    cells.push(`${GC_AT.has(w) ? 'full GC, ' : ''}${sent}: ${((b.user - a.user + b.system - a.system) / WINDOW).toFixed(0)} (${((compileMs * 1000) / WINDOW).toFixed(0)})`)
  }
  console.log(`${name.padEnd(12)} requests sent: gateway CPU µs per request (TurboFan compile µs per request) in the ${WINDOW} before`)
  console.log(`  ${cells.join(' | ')}`)
  pool.destroy()
  gw.proc.kill()
  rmSync(dataDir, { recursive: true, force: true })
}
up.proc.kill()
