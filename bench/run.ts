/**
 * Switchyard performance bench: one command, `npx node bench/run.ts [--rounds 5] [--profile] [--quick]`.
 *
 * Three processes: the mock upstream (`bench/upstream.ts`), the gateway (`bench/gateway.ts`, the real
 * core via `startSwitchyard`) and this one, which is the load generator and the judge. Every figure is
 * measured against direct-to-upstream in the same run, side by side, and the median of the rounds is
 * reported (the machines are shared and noisy: ratios, not lone absolute times).
 *
 *  1. gateway CPU per non-streaming request (process.cpuUsage of the gateway child over N requests)
 *  2. added p50 latency at concurrency 1
 *  3. throughput at concurrency 16 as a ratio to direct (autocannon)
 *  4. streaming time-to-first-body-byte added
 *  5. startup of the headless server (`main/cli.ts serve`, `dist/cli.js` if present) to its first
 *     answered routed request, next to bare `node -e ''`
 *  6. idle RSS after start and after warm-up
 *  7. no usage row lost: peak load, SIGTERM, reopen the database, rows == responses
 *
 * Writes bench/results/latest.json; with --profile also a .cpuprofile of the gateway under load and
 * its summary. Traffic goes to 127.0.0.1 only; every loop is bounded in count and time.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { formatSummary, summarizeProfile, type ProfileSummary } from './profileSummary.ts'

const { values: argv } = parseArgs({
  options: {
    rounds: { type: 'string' },
    profile: { type: 'boolean' },
    quick: { type: 'boolean' },
    'no-bundle': { type: 'boolean' },
    out: { type: 'string' },
  },
})

const root = fileURLToPath(new URL('..', import.meta.url))
const benchDir = join(root, 'bench')
const resultsDir = join(benchDir, 'results')
const node = process.execPath
const quick = argv.quick === true
const ROUNDS = Math.max(1, Math.min(15, Number(argv.rounds ?? (quick ? 3 : 5))))
const C1_REQUESTS = quick ? 300 : 1000
const C1_WARMUP = 50
const C16_SECONDS = quick ? 1 : 3
const STREAM_REQUESTS = quick ? 100 : 300
const LOSS_SECONDS = quick ? 1.5 : 3
const PROFILE_SECONDS = 6
const PHASE_CAP_MS = 15_000
const BENCH_KEY = 'sy-bench-0123456789abcdef0123456789abcdef'
const UPSTREAM_KEY = 'sk-bench-upstream-0123456789abcdef'

const tmp = mkdtempSync(join(os.tmpdir(), 'switchyard-bench-'))
const children = new Set<ChildProcess>()
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  rmSync(tmp, { recursive: true, force: true })
})
process.on('SIGINT', () => process.exit(130))

// ---------------------------------------------------------------------------------------------------
// small helpers

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
const median = (xs: number[]): number => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (s.length === 0) return Number.NaN
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return Number.NaN
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number
}
const round = (x: number, digits = 3) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x)
const progress = (msg: string) => process.stderr.write(`  · ${msg}\n`)

function rssKb(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)\s+kB/)
    return m ? Number(m[1]) : Number.NaN
  } catch {
    return Number.NaN
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const a = s.address()
      const port = typeof a === 'object' && a ? a.port : 0
      s.close(() => resolve(port))
    })
  })
}

// ---------------------------------------------------------------------------------------------------
// child processes (upstream, gateway) with a tiny IPC request/response

type Cpu = { user: number; system: number }
type Reply = { id: number; cpu: Cpu; rss: number; pending?: number; rows?: number; mono?: number }
type Child = { proc: ChildProcess; url: string; pid: number; rpc(cmd: string): Promise<Reply>; output(): string; exited: Promise<number | null> }

function spawnChild(script: string, arg: string, nodeArgs: string[] = []): Promise<Child> {
  const proc = spawn(node, [...nodeArgs, join(benchDir, script), arg], { cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
  children.add(proc)
  let out = ''
  const keep = (c: Buffer) => {
    out = (out + c.toString()).slice(-8000)
  }
  proc.stdout?.on('data', keep)
  proc.stderr?.on('data', keep)
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => (children.delete(proc), r(code))))
  let nextId = 1
  const pending = new Map<number, (r: Reply) => void>()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 30 s:\n${out}`)), 30_000)
    proc.on('message', (m: { type?: string; url?: string; pid?: number; id?: number }) => {
      if (m.type === 'ready') {
        clearTimeout(timer)
        resolve({
          proc,
          url: m.url as string,
          pid: m.pid as number,
          output: () => out,
          exited,
          rpc: (cmd) =>
            new Promise((res, rej) => {
              const id = nextId++
              const t = setTimeout(() => (pending.delete(id), rej(new Error(`${script}: no answer to '${cmd}'`))), 10_000)
              pending.set(id, (r) => (clearTimeout(t), res(r)))
              proc.send({ id, cmd })
            }),
        })
      } else if (m.id !== undefined) {
        pending.get(m.id)?.(m as Reply)
        pending.delete(m.id)
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited with ${code} before it was ready:\n${out}`))
    })
  })
}

async function stopChild(c: Child, how: 'ipc' | 'SIGTERM' = 'ipc'): Promise<number | null> {
  if (c.proc.exitCode !== null) return c.proc.exitCode
  if (how === 'ipc') c.proc.send({ cmd: 'stop' })
  else c.proc.kill('SIGTERM')
  const code = await Promise.race([c.exited, sleep(15_000).then(() => 'timeout' as const)])
  if (code === 'timeout') {
    c.proc.kill('SIGKILL')
    throw new Error(`child ${c.pid} did not stop within 15 s:\n${c.output()}`)
  }
  return code
}

const cpuMs = (a: Cpu, b: Cpu) => (b.user - a.user + (b.system - a.system)) / 1000

// ---------------------------------------------------------------------------------------------------
// clients: one keep-alive connection, sequential requests (concurrency 1)

type Target = { name: 'direct' | 'gateway'; origin: string; auth: string; model: string; agent: http.Agent }

function makeTarget(name: Target['name'], origin: string, auth: string, model: string): Target {
  return { name, origin, auth, model, agent: new http.Agent({ keepAlive: true, maxSockets: 1, keepAliveMsecs: 30_000 }) }
}

const messages = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'Say hello in one short sentence, please.' },
]
const bodyFor = (t: Target, stream: boolean) => Buffer.from(JSON.stringify({ model: t.model, messages, ...(stream ? { stream: true } : {}), temperature: 0.2 }))
const headersFor = (t: Target, body: Buffer) => ({
  'content-type': 'application/json',
  'content-length': String(body.length),
  authorization: `Bearer ${t.auth}`,
})

type Timing = { status: number; totalMs: number; ttfbMs: number }

function once(t: Target, body: Buffer): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    let first = Number.NaN
    const req = http.request(`${t.origin}/v1/chat/completions`, { method: 'POST', agent: t.agent, headers: headersFor(t, body) }, (res) => {
      res.on('data', () => {
        if (Number.isNaN(first)) first = performance.now()
      })
      res.on('end', () => {
        const end = performance.now()
        resolve({ status: res.statusCode ?? 0, totalMs: end - start, ttfbMs: first - start })
      })
      res.on('error', reject)
    })
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')))
    req.on('error', reject)
    req.end(body)
  })
}

async function sequential(t: Target, stream: boolean, n: number, warmup: number): Promise<{ total: number[]; ttfb: number[]; requests: number }> {
  const body = bodyFor(t, stream)
  const deadline = performance.now() + PHASE_CAP_MS
  for (let i = 0; i < warmup; i++) await once(t, body)
  const total: number[] = []
  const ttfb: number[] = []
  for (let i = 0; i < n && performance.now() < deadline; i++) {
    const r = await once(t, body)
    if (r.status !== 200) throw new Error(`${t.name}: HTTP ${r.status}`)
    total.push(r.totalMs)
    ttfb.push(r.ttfbMs)
  }
  return { total, ttfb, requests: total.length + warmup }
}

async function blast(t: Target, o: { seconds?: number; amount?: number; connections?: number }) {
  const body = bodyFor(t, false)
  const r = await autocannon({
    url: `${t.origin}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.auth}` }, // autocannon sets content-length
    body,
    connections: o.connections ?? 16,
    ...(o.amount ? { amount: o.amount } : { duration: o.seconds ?? 3 }),
    timeout: 10,
  })
  return { rps: r.requests.total / r.duration, completed: r.requests.total, sent: r.requests.sent, ok: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, duration: r.duration, p50: r.latency.p50 }
}

// ---------------------------------------------------------------------------------------------------
// startup: spawn, then issue a real routed request until one is answered

type StartupSample = { ms: number; rssKb: number }

function tryRequest(port: number): Promise<number> {
  return new Promise((resolve) => {
    const body = Buffer.from(JSON.stringify({ model: '@up/gpt-4o', messages }))
    const req = http.request(
      { host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${BENCH_KEY}` } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', () => resolve(0))
      },
    )
    req.setTimeout(5000, () => req.destroy())
    req.on('error', () => resolve(0))
    req.end(body)
  })
}

async function startupToFirstAnswer(args: string[], env: Record<string, string> = {}): Promise<StartupSample> {
  const port = await freePort()
  const full = args.map((a) => a.replace('$PORT', String(port)))
  const t0 = performance.now()
  const proc = spawn(node, full, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  children.add(proc)
  const exited = new Promise<number | null>((r) => proc.once('exit', (c) => (children.delete(proc), r(c))))
  let out = ''
  let wake: (() => void) | null = null
  const onOut = (c: Buffer) => {
    out += c.toString()
    if (/Gateway:/.test(out)) wake?.()
  }
  proc.stdout?.on('data', onOut)
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString()))
  let answeredAt = Number.NaN
  let lastStatus = 0
  try {
    while (performance.now() - t0 < 10_000 && proc.exitCode === null) {
      lastStatus = await tryRequest(port)
      if (lastStatus === 200) {
        answeredAt = performance.now()
        break
      }
      if (lastStatus !== 0) throw new Error(`first request answered HTTP ${lastStatus}:\n${out}`)
      // Poll every 2 ms, or at once when the server says it listens.
      await new Promise<void>((r) => {
        const timer = setTimeout(() => ((wake = null), r()), 2)
        wake = () => (clearTimeout(timer), (wake = null), r())
      })
    }
    if (Number.isNaN(answeredAt)) throw new Error(`no answer within 10 s (last status ${lastStatus}):\n${out}`)
    return { ms: answeredAt - t0, rssKb: rssKb(proc.pid as number) }
  } finally {
    if (proc.exitCode === null) proc.kill('SIGTERM')
    await Promise.race([exited, sleep(10_000)])
    if (proc.exitCode === null) proc.kill('SIGKILL')
  }
}

async function bareNode(): Promise<StartupSample> {
  const t0 = performance.now()
  const proc = spawn(node, ['-e', ''], { stdio: 'ignore' })
  children.add(proc)
  await new Promise((r) => proc.once('exit', r))
  children.delete(proc)
  return { ms: performance.now() - t0, rssKb: Number.NaN }
}

/** A bundle of main/cli.ts built by the bench into its temp dir: a projection of what `dist/cli.js` would give. */
async function buildProjectedBundle(): Promise<string | null> {
  try {
    const { build } = await import('esbuild')
    const dir = join(tmp, 'bundle')
    mkdirSync(join(dir, 'dist'), { recursive: true })
    cpSync(join(root, 'package.json'), join(dir, 'package.json')) // version.ts reads ../package.json
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
    const outfile = join(dir, 'dist', 'cli.mjs')
    await build({
      entryPoints: [join(root, 'main', 'cli.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile,
      external: ['better-sqlite3', 'keytar', 'electron'],
      banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
      logLevel: 'silent',
    })
    return outfile
  } catch (err) {
    progress(`projected bundle not built: ${(err as Error).message.split('\n')[0]}`)
    return null
  }
}

// ---------------------------------------------------------------------------------------------------
// the run

type RoundResult = {
  direct: { c1p50: number; c1p99: number; c16rps: number; ttfbP50: number; upCpuPerReqC1: number; upCpuPerReqC16: number }
  gateway: { c1p50: number; c1p99: number; c16rps: number; ttfbP50: number; cpuPerReqC1: number; cpuPerReqC16: number; cpuPerStream: number; upCpuPerReqC16: number; c16errors: number }
  addedP50: number
  throughputRatio: number
  addedTtfb: number
  idleRssKb: number
}

async function measureRound(direct: Target, gateway: Target, gw: Child, up: Child, r: number): Promise<RoundResult> {
  const order: Target[] = r % 2 === 0 ? [direct, gateway] : [gateway, direct]
  const snap = async () => ({ g: (await gw.rpc('cpu')).cpu, u: (await up.rpc('cpu')).cpu })
  const res = { direct: {} as RoundResult['direct'], gateway: {} as RoundResult['gateway'] }

  // concurrency 1, non-streaming
  for (const t of order) {
    const a = await snap()
    const s = await sequential(t, false, C1_REQUESTS, C1_WARMUP)
    const b = await snap()
    if (t.name === 'gateway') {
      res.gateway.c1p50 = median(s.total)
      res.gateway.c1p99 = quantile(s.total, 0.99)
      res.gateway.cpuPerReqC1 = cpuMs(a.g, b.g) / s.requests
    } else {
      res.direct.c1p50 = median(s.total)
      res.direct.c1p99 = quantile(s.total, 0.99)
      res.direct.upCpuPerReqC1 = cpuMs(a.u, b.u) / s.requests
    }
  }
  // concurrency 16, non-streaming, max throughput
  for (const t of order) {
    const a = await snap()
    const s = await blast(t, { seconds: C16_SECONDS, connections: 16 })
    const b = await snap()
    if (s.ok === 0) throw new Error(`${t.name}: no successful response at concurrency 16 (${s.non2xx} non-2xx, ${s.errors} errors)`)
    if (t.name === 'gateway') {
      res.gateway.c16rps = s.rps
      res.gateway.cpuPerReqC16 = cpuMs(a.g, b.g) / s.completed
      res.gateway.upCpuPerReqC16 = cpuMs(a.u, b.u) / s.completed
      res.gateway.c16errors = s.non2xx + s.errors + s.timeouts
    } else {
      res.direct.c16rps = s.rps
      res.direct.upCpuPerReqC16 = cpuMs(a.u, b.u) / s.completed
    }
  }
  // streaming, time to first body byte, concurrency 1
  for (const t of order) {
    const a = await snap()
    const s = await sequential(t, true, STREAM_REQUESTS, 20)
    const b = await snap()
    if (t.name === 'gateway') {
      res.gateway.ttfbP50 = median(s.ttfb)
      res.gateway.cpuPerStream = cpuMs(a.g, b.g) / s.requests
    } else res.direct.ttfbP50 = median(s.ttfb)
  }
  await sleep(1000)
  const idleRssKb = rssKb(gw.pid)
  return {
    ...res,
    addedP50: res.gateway.c1p50 - res.direct.c1p50,
    throughputRatio: res.gateway.c16rps / res.direct.c16rps,
    addedTtfb: res.gateway.ttfbP50 - res.direct.ttfbP50,
    idleRssKb,
  }
}

async function lossCheck(upstreamUrl: string, gwRps: number) {
  const dataDir = join(tmp, 'loss')
  const gw = await spawnChild('gateway.ts', JSON.stringify({ dataDir, upstreamUrl, key: BENCH_KEY }))
  const target = makeTarget('gateway', gw.url, BENCH_KEY, '@up/gpt-4o')
  await sequential(target, false, 0, 20) // 20 warm-up requests, counted below
  const amount = Math.max(2000, Math.min(60_000, Math.round((Number.isFinite(gwRps) ? gwRps : 1000) * LOSS_SECONDS)))
  const s = await blast(target, { amount, connections: 16 })
  target.agent.destroy()
  // Stop at once (rows still queued in the usage writer) with the signal `serve` handles.
  const code = await stopChild(gw, 'SIGTERM')
  const db = new Database(join(dataDir, 'switchyard.db'), { readonly: true })
  const rows = (db.prepare('SELECT count(*) AS n FROM usage').get() as { n: number }).n
  const ok = (db.prepare('SELECT count(*) AS n FROM usage WHERE status = 200').get() as { n: number }).n
  db.close()
  const responses = s.completed + 20
  return { requestsSent: s.sent + 20, responsesReceived: responses, ok2xx: s.ok + 20, rows, rows200: ok, lost: responses - rows, exitCode: code, seconds: s.duration, rps: s.rps }
}

async function profileRun(upstreamUrl: string): Promise<{ file: string; requests: number; summary: ProfileSummary } | null> {
  const profDir = join(resultsDir, 'profile')
  rmSync(profDir, { recursive: true, force: true })
  mkdirSync(profDir, { recursive: true })
  const gw = await spawnChild('gateway.ts', JSON.stringify({ dataDir: join(tmp, 'profile'), upstreamUrl, key: BENCH_KEY }), [
    '--cpu-prof',
    '--cpu-prof-dir',
    profDir,
    '--cpu-prof-interval',
    '200',
  ])
  const target = makeTarget('gateway', gw.url, BENCH_KEY, '@up/gpt-4o')
  await blast(target, { seconds: 1, connections: 16 }) // warm-up, outside the window
  const from = await gw.rpc('cpu')
  const fromMono = Number(process.hrtime.bigint() / 1000n)
  const s = await blast(target, { seconds: PROFILE_SECONDS, connections: 16 })
  const toMono = Number(process.hrtime.bigint() / 1000n)
  const to = await gw.rpc('cpu')
  target.agent.destroy()
  await stopChild(gw, 'ipc')
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))
  if (!file) return null
  const full = join(profDir, file)
  // CLOCK_MONOTONIC is shared by processes on Linux, and V8's profile clock is in µs on it.
  const summary = summarizeProfile(full, { requests: s.completed, top: 30, window: { fromUs: fromMono, toUs: toMono } })
  progress(`profile: ${s.completed} requests, gateway CPU ${(cpuMs(from.cpu, to.cpu) / s.completed).toFixed(3)} ms/req under the profiler`)
  return { file: full, requests: s.completed, summary }
}

async function main(): Promise<void> {
  const started = performance.now()
  const load = os.loadavg()
  process.stderr.write(`Switchyard bench: ${ROUNDS} rounds, Node ${process.version}, ${os.cpus().length} CPUs, load ${load.map((x) => x.toFixed(2)).join(' ')}\n`)
  mkdirSync(resultsDir, { recursive: true })

  const up = await spawnChild('upstream.ts', '{}')
  const gwDir = join(tmp, 'gw')
  const t0 = performance.now()
  const gw = await spawnChild('gateway.ts', JSON.stringify({ dataDir: gwDir, upstreamUrl: up.url, key: BENCH_KEY }))
  const gwStartMs = performance.now() - t0
  await sleep(500)
  const rssAfterStartKb = rssKb(gw.pid)

  const direct = makeTarget('direct', up.url, UPSTREAM_KEY, 'gpt-4o')
  const gateway = makeTarget('gateway', gw.url, BENCH_KEY, '@up/gpt-4o')

  // Sanity: same answer both ways.
  for (const t of [direct, gateway]) {
    const r = await once(t, bodyFor(t, false))
    if (r.status !== 200) throw new Error(`${t.name} answered HTTP ${r.status}\n${gw.output()}`)
  }
  progress('warm-up')
  for (const t of [direct, gateway]) {
    await sequential(t, false, 300, 0)
    await blast(t, { seconds: 1, connections: 16 })
    await sequential(t, true, 100, 0)
  }
  await sleep(1000)
  const rssAfterWarmupKb = rssKb(gw.pid)

  const rounds: RoundResult[] = []
  for (let r = 0; r < ROUNDS; r++) {
    progress(`round ${r + 1}/${ROUNDS}`)
    rounds.push(await measureRound(direct, gateway, gw, up, r))
  }
  const flushed = await gw.rpc('flush')
  direct.agent.destroy()
  gateway.agent.destroy()
  await stopChild(gw, 'ipc')

  // 5. startup
  progress('startup')
  const cliDir = join(tmp, 'cli')
  const setup = spawn(node, [join(benchDir, 'gateway.ts'), JSON.stringify({ dataDir: cliDir, upstreamUrl: up.url, key: BENCH_KEY, setupOnly: true })], { cwd: root, stdio: 'ignore' })
  await new Promise((r) => setup.once('exit', r))
  const serveArgs = ['serve', '--port', '$PORT', '--data-dir', cliDir, '--insecure-key-file']
  const distCli = ['dist/cli.js', 'dist/cli.mjs'].map((f) => join(root, f)).find((f) => existsSync(f)) ?? null
  const bundle = argv['no-bundle'] ? null : await buildProjectedBundle()
  const cacheDir = join(tmp, 'compile-cache')
  const variants: Array<{ name: string; run: () => Promise<StartupSample> }> = [
    { name: "node -e ''", run: bareNode },
    { name: 'main/cli.ts serve', run: () => startupToFirstAnswer([join(root, 'main', 'cli.ts'), ...serveArgs]) },
    { name: 'main/cli.ts serve + NODE_COMPILE_CACHE', run: () => startupToFirstAnswer([join(root, 'main', 'cli.ts'), ...serveArgs], { NODE_COMPILE_CACHE: cacheDir }) },
  ]
  if (distCli) variants.push({ name: `${distCli.slice(root.length)} serve`, run: () => startupToFirstAnswer([distCli, ...serveArgs]) })
  if (bundle) variants.push({ name: 'esbuild bundle of cli.ts (projection)', run: () => startupToFirstAnswer([bundle, ...serveArgs]) })
  for (const v of variants) await v.run() // warm the disk cache and the compile cache; not counted
  const startup: Record<string, StartupSample[]> = Object.fromEntries(variants.map((v) => [v.name, [] as StartupSample[]]))
  for (let r = 0; r < Math.max(ROUNDS, 5); r++) for (const v of variants) startup[v.name]?.push(await v.run())

  // 7. usage rows at the peak rate
  progress('usage rows under peak load + graceful stop')
  const medGwRps = median(rounds.map((r) => r.gateway.c16rps))
  const loss = await lossCheck(up.url, medGwRps)

  let profile: Awaited<ReturnType<typeof profileRun>> = null
  if (argv.profile) {
    progress('profiling the gateway under load')
    profile = await profileRun(up.url)
  }
  await stopChild(up, 'ipc')

  // -------------------------------------------------------------------------------------------------
  // report
  const med = (f: (r: RoundResult) => number) => median(rounds.map(f))
  const spread = (f: (r: RoundResult) => number) => {
    const xs = rounds.map(f)
    return [Math.min(...xs), Math.max(...xs)]
  }
  const sMed = (name: string, f: (s: StartupSample) => number = (s) => s.ms) => median((startup[name] ?? []).map(f))
  const cliName = 'main/cli.ts serve'
  const distName = distCli ? `${distCli.slice(root.length)} serve` : null

  type Row = { id: string; metric: string; value: number; unit: string; target: string; ok: boolean | null; ratio: string; range?: number[]; note?: string }
  const rows: Row[] = []
  const add = (row: Row) => rows.push(row)
  const upC16 = med((r) => r.direct.upCpuPerReqC16)
  const gwC16 = med((r) => r.gateway.cpuPerReqC16)
  const gwC1 = med((r) => r.gateway.cpuPerReqC1)
  add({ id: '1', metric: 'gateway CPU / request, c16 (saturated)', value: gwC16, unit: 'ms', target: '≤ 0.1 ms', ok: gwC16 <= 0.1, ratio: `${(gwC16 / 0.1).toFixed(1)}× target, ${(gwC16 / upC16).toFixed(1)}× upstream`, range: spread((r) => r.gateway.cpuPerReqC16) })
  add({ id: '1', metric: 'gateway CPU / request, c1 (sequential)', value: gwC1, unit: 'ms', target: '≤ 0.1 ms', ok: gwC1 <= 0.1, ratio: `${(gwC1 / 0.1).toFixed(1)}× target`, range: spread((r) => r.gateway.cpuPerReqC1) })
  add({ id: '1', metric: "upstream's own CPU / request, c16 (direct)", value: upC16, unit: 'ms', target: '(reference)', ok: null, ratio: '', range: spread((r) => r.direct.upCpuPerReqC16) })
  add({ id: '1', metric: "upstream's own CPU / request, c1 (direct)", value: med((r) => r.direct.upCpuPerReqC1), unit: 'ms', target: '(reference)', ok: null, ratio: '' })
  const added = med((r) => r.addedP50)
  add({ id: '2', metric: 'added p50 latency, c1', value: added, unit: 'ms', target: '≤ 0.1 ms', ok: added <= 0.1, ratio: `gw ${med((r) => r.gateway.c1p50).toFixed(3)} vs direct ${med((r) => r.direct.c1p50).toFixed(3)} ms`, range: spread((r) => r.addedP50) })
  add({ id: '2', metric: 'added p99 latency, c1 (info)', value: med((r) => r.gateway.c1p99 - r.direct.c1p99), unit: 'ms', target: '', ok: null, ratio: '' })
  const tr = med((r) => r.throughputRatio)
  add({ id: '3', metric: 'throughput c16, gateway / direct', value: tr, unit: '×', target: '≥ 0.35×', ok: tr >= 0.35, ratio: `gw ${Math.round(med((r) => r.gateway.c16rps))} vs direct ${Math.round(med((r) => r.direct.c16rps))} req/s`, range: spread((r) => r.throughputRatio) })
  const at = med((r) => r.addedTtfb)
  add({ id: '4', metric: 'streaming TTFB added (first body byte)', value: at, unit: 'ms', target: '≤ 1 ms', ok: at <= 1, ratio: `gw ${med((r) => r.gateway.ttfbP50).toFixed(3)} vs direct ${med((r) => r.direct.ttfbP50).toFixed(3)} ms`, range: spread((r) => r.addedTtfb) })
  add({ id: '4', metric: 'gateway CPU / streaming request (info)', value: med((r) => r.gateway.cpuPerStream), unit: 'ms', target: '', ok: null, ratio: '' })
  const bare = sMed("node -e ''")
  for (const v of variants) {
    const m = sMed(v.name)
    const isTarget = v.name === cliName || v.name === distName
    add({
      id: '5',
      metric: v.name === "node -e ''" ? "startup: bare node -e '' (baseline, to exit)" : `startup to 1st routed answer: ${v.name}`,
      value: m,
      unit: 'ms',
      target: isTarget ? '≤ 150 ms' : v.name.includes('projection') || v.name.includes('CACHE') ? '(info) ≤ 150 ms' : '(baseline)',
      ok: isTarget ? m <= 150 : null,
      ratio: v.name === "node -e ''" ? '' : `${(m / bare).toFixed(1)}× bare node, +${(m - bare).toFixed(0)} ms`,
      range: [Math.min(...(startup[v.name] ?? []).map((s) => s.ms)), Math.max(...(startup[v.name] ?? []).map((s) => s.ms))],
    })
  }
  if (!distCli) add({ id: '5', metric: 'startup: dist/cli.js', value: Number.NaN, unit: '', target: '≤ 150 ms', ok: null, ratio: 'absent: no dist/cli.js or dist/cli.mjs in this checkout' })
  const cliRss = sMed(cliName, (s) => s.rssKb) / 1024
  add({ id: '6', metric: 'RSS after start: cli.ts serve, after 1st request', value: cliRss, unit: 'MB', target: '≤ 60 MB', ok: cliRss <= 60, ratio: `${(cliRss / 60).toFixed(2)}× target` })
  add({ id: '6', metric: 'RSS after start: bench gateway, idle 0.5 s', value: rssAfterStartKb / 1024, unit: 'MB', target: '≤ 60 MB', ok: rssAfterStartKb / 1024 <= 60, ratio: '' })
  const warmRss = median([rssAfterWarmupKb, ...rounds.map((r) => r.idleRssKb)]) / 1024
  add({ id: '6', metric: 'RSS idle after warm-up (1 s after load)', value: warmRss, unit: 'MB', target: '≤ 60 MB', ok: warmRss <= 60, ratio: `${(warmRss / 60).toFixed(2)}× target`, range: [rssAfterWarmupKb, ...rounds.map((r) => r.idleRssKb)].map((k) => k / 1024) })
  add({ id: '7', metric: 'usage rows lost at peak rate + SIGTERM', value: loss.lost, unit: 'rows', target: '= 0', ok: loss.lost === 0 && loss.exitCode === 0, ratio: `${loss.rows} rows / ${loss.responsesReceived} responses (${loss.ok2xx} 2xx) in ${loss.seconds}s at ${Math.round(loss.rps)} req/s, exit ${loss.exitCode}` })

  const fmt = (x: number, unit: string) => (Number.isNaN(x) ? '—' : unit === 'rows' ? String(x) : unit === 'MB' ? x.toFixed(1) : unit === '×' ? x.toFixed(2) : x < 10 ? x.toFixed(3) : x.toFixed(1))
  const lines: string[] = []
  lines.push('')
  lines.push(`Switchyard bench — medians of ${ROUNDS} rounds (startup: ${Math.max(ROUNDS, 5)} runs each), gateway vs direct in the same run`)
  lines.push(`${'#'.padEnd(2)} ${'metric'.padEnd(52)} ${'median'.padStart(9)} ${'unit'.padEnd(4)} ${'target'.padEnd(16)} ${'verdict'.padEnd(7)} detail`)
  for (const r of rows) {
    const verdict = r.ok === null ? '' : r.ok ? 'PASS' : 'MISS'
    const range = r.range && r.range.every(Number.isFinite) ? ` [${r.range.map((x) => fmt(x, r.unit)).join('–')}]` : ''
    lines.push(`${r.id.padEnd(2)} ${r.metric.slice(0, 52).padEnd(52)} ${fmt(r.value, r.unit).padStart(9)} ${r.unit.padEnd(4)} ${r.target.padEnd(16)} ${verdict.padEnd(7)} ${r.ratio}${range}`)
  }
  lines.push('')
  lines.push(`usage rows after the rounds: ${flushed.rows} (pending before flush: ${flushed.pending}); bench gateway start (spawn → ready over IPC): ${gwStartMs.toFixed(0)} ms`)
  lines.push(`elapsed ${((performance.now() - started) / 1000).toFixed(1)} s; load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  process.stdout.write(lines.join('\n') + '\n')
  if (profile) process.stdout.write('\n' + formatSummary(profile.summary) + '\n')

  const json = {
    when: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadavgAtStart: load,
    config: { rounds: ROUNDS, c1Requests: C1_REQUESTS, c16Seconds: C16_SECONDS, streamRequests: STREAM_REQUESTS, lossSeconds: LOSS_SECONDS },
    results: rows.map((r) => ({ ...r, value: Number.isNaN(r.value) ? null : round(r.value, 4) })),
    missed: rows.filter((r) => r.ok === false).map((r) => r.metric),
    rounds,
    startup,
    distCli: distCli ? distCli.slice(root.length) : null,
    loss,
    rss: { afterStartKb: rssAfterStartKb, afterWarmupKb: rssAfterWarmupKb },
    profile: profile ? { file: profile.file.slice(root.length), requests: profile.requests, summary: { ...profile.summary, file: profile.file.slice(root.length) } } : null,
    elapsedS: round((performance.now() - started) / 1000, 1),
  }
  const outFile = argv.out ?? join(resultsDir, 'latest.json')
  writeFileSync(outFile, JSON.stringify(json, null, 2) + '\n')
  process.stdout.write(`results: ${outFile.startsWith(root) ? outFile.slice(root.length) : outFile}${profile ? `, profile: ${profile.file.slice(root.length)}` : ''}\n`)
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  },
)
