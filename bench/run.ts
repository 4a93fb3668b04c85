/**
 * Switchyard performance bench: one command, `npx node bench/run.ts [--rounds 5] [--profile] [--quick]`,
 * or `--soak [--soak-minutes 10] [--semi-space 1]` for the memory soak alone.
 *
 * Four processes: the mock upstream (`bench/upstream.ts`), a bare proxy (`bench/proxy.ts`), the gateway (`bench/gateway.ts`, the real
 * core via `startSwitchyard`) and this one, which is the load generator and the judge. Every figure is
 * measured against direct-to-upstream in the same run, side by side, and the median of the rounds is
 * reported (the machines are shared and noisy: ratios, not lone absolute times).
 *
 *  1. gateway CPU per non-streaming request (process.cpuUsage of the gateway child over N requests),
 *     next to the upstream's own and a bare node:http proxy's (`bench/proxy.ts`, the floor for one hop)
 *  2. added p50 latency at concurrency 1
 *  3. throughput at concurrency 16 as a ratio to direct (autocannon)
 *  4. streaming time-to-first-body-byte added
 *  5. startup of the headless server (`main/cli.ts serve`, `dist/cli.js` if present) to its first
 *     answered routed request, next to bare `node -e ''`
 *  6. idle RSS after start and after warm-up
 *  7. no usage row lost: peak load, SIGTERM, reopen the database, rows == responses
 *  T. the targets of issue 13, each against its floor: CPU and added p50 ÷ the bare proxy's, an
 *     Anthropic stream translated to OpenAI ÷ passed through, RSS after start and 60 s after load,
 *     a Claude Code-sized request ÷ a 1 KB one (the soak is its own run: `--soak`)
 *
 * Writes bench/results/latest.json; with --profile also a .cpuprofile of the gateway under load and
 * its summary. Traffic goes to 127.0.0.1 only; every loop is bounded in count and time.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { agentBodies } from './agentBodies.ts'
import { bodyStageCpu, firstSightCpu } from './bodyStages.ts'
import { formatAllocations, formatSummary, summarizeAllocations, summarizeProfile, type AllocationSummary, type ProfileSummary } from './profileSummary.ts'

const { values: argv } = parseArgs({
  options: {
    rounds: { type: 'string' },
    profile: { type: 'boolean' },
    quick: { type: 'boolean' },
    'no-bundle': { type: 'boolean' },
    out: { type: 'string' },
    ref: { type: 'string' },
    soak: { type: 'boolean' },
    'soak-minutes': { type: 'string' },
    'semi-space': { type: 'string' },
  },
})

const root = fileURLToPath(new URL('..', import.meta.url))
/** `n` requests on `path` from 8 loops at once: brings a path to V8's steady state (WARM_PATH_REQUESTS). */
async function warmPath(t: Target, bodies: Buffer | readonly Buffer[], path: string, n: number): Promise<void> {
  const list = Buffer.isBuffer(bodies) ? [bodies] : bodies
  const parallel = 8
  const wide: Target = { ...t, agent: new http.Agent({ keepAlive: true, maxSockets: parallel }) }
  let next = 0
  const loop = async () => {
    while (next < n) {
      const r = await once(wide, list[next++ % list.length] as Buffer, path)
      if (r.status !== 200) throw new Error(`${t.name}: HTTP ${r.status} while warming ${path}`)
    }
  }
  await Promise.all(Array.from({ length: parallel }, loop))
  wide.agent.destroy()
}

const resultsDir = join(root, 'bench', 'results')
const node = process.execPath
const quick = argv.quick === true
const ROUNDS = Math.max(1, Math.min(15, Number(argv.rounds ?? (quick ? 3 : 5))))
const C1_REQUESTS = quick ? 300 : 1000
const C1_WARMUP = 50
/** Requests (8 at a time, not measured) that bring a target back to steady state before its c1 figures. */
const C1_REWARM = quick ? 1_000 : 3_000
const C16_SECONDS = quick ? 1 : 3
const STREAM_REQUESTS = quick ? 100 : 300
const LOSS_SECONDS = quick ? 1.5 : 3
const PROFILE_SECONDS = 6
const PHASE_CAP_MS = 15_000
/** Issue 13: RSS is read again this long after the load stops (the target is set for 60 s). */
const IDLE_AFTER_LOAD_S = quick ? 15 : 60
/** Translation and request-size figures: sequential requests per path per round. */
const PATH_REQUESTS = quick ? 100 : 400
/** Requests per block of a pair (see `pair` in measureRound). */
const PATH_BLOCK = 50
/**
 * Requests each measured path gets before the rounds. V8 moves a function to its optimizing tier
 * (TurboFan) only after thousands of calls, and until then compiles on its worker threads, whose CPU
 * the process's figure includes: in `npx node bench/jitWarmup.ts`, a path's CPU per request falls
 * 2-3x over its first ~7,000 requests and is flat after ~8,000. The figures are steady-state ones.
 */
const WARM_PATH_REQUESTS = quick ? 4_000 : 10_000
/** The GC lead: a second gateway with V8's young generation capped at this many MB per semi-space. */
const SEMI_SPACE_MB = Math.max(1, Number(argv['semi-space'] ?? 1))
const YOUNG_FLAG = `--max-semi-space-size=${SEMI_SPACE_MB}`
const BENCH_KEY = 'sy-bench-0123456789abcdef0123456789abcdef'
const UPSTREAM_KEY = 'sk-bench-upstream-0123456789abcdef'

const tmp = mkdtempSync(join(os.tmpdir(), 'switchyard-bench-'))
const children = new Set<ChildProcess>()
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  rmSync(tmp, { recursive: true, force: true })
})
process.on('SIGINT', () => process.exit(130))

/**
 * The code under test: the working tree, or with `--ref REV` a snapshot of that commit's main/,
 * preload/ and package.json (plus this bench/) in the temp dir, for figures that other people's
 * unfinished edits cannot move.
 */
function snapshot(ref: string): string {
  const dir = join(tmp, 'src')
  mkdirSync(dir, { recursive: true })
  const tar = join(tmp, 'src.tar')
  execFileSync('git', ['-C', root, 'archive', '--format=tar', '-o', tar, ref, 'main', 'preload', 'package.json'])
  execFileSync('tar', ['-xf', tar, '-C', dir])
  cpSync(join(root, 'bench'), join(dir, 'bench'), { recursive: true, filter: (f) => !f.startsWith(resultsDir) })
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
  return dir
}
const codeRoot = argv.ref ? snapshot(argv.ref) : root
const benchDir = join(codeRoot, 'bench')
const codeLabel = argv.ref ? `${argv.ref} (${execFileSync('git', ['-C', root, 'rev-parse', '--short', argv.ref]).toString().trim()})` : 'working tree'

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

/** Read and write system calls so far (`/proc/<pid>/io`; writev/sendmsg count as writes). */
function syscalls(pid: number): { r: number; w: number } {
  try {
    const t = readFileSync(`/proc/${pid}/io`, 'utf8')
    return { r: Number(t.match(/syscr:\s+(\d+)/)?.[1]), w: Number(t.match(/syscw:\s+(\d+)/)?.[1]) }
  } catch {
    return { r: Number.NaN, w: Number.NaN }
  }
}

/** CPU ms (10 ms ticks) of the main thread and of all other threads (V8 GC/JIT helpers, libuv pool). */
function threadCpu(pid: number): { main: number; other: number } {
  const out = { main: 0, other: 0 }
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const ms = (Number(f[11]) + Number(f[12])) * (1000 / 100)
      if (Number(tid) === pid) out.main += ms
      else out.other += ms
    }
  } catch {
    return { main: Number.NaN, other: Number.NaN }
  }
  return out
}

/** Newest modification time (ms) of any file under `dir`. */
function newestSource(dir: string): number {
  let newest = 0
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue
    newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs)
  }
  return newest
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
type Reply = { id: number; cpu: Cpu; rss: number; pending?: number; rows?: number; mem?: NodeJS.MemoryUsage }
type Child = { proc: ChildProcess; url: string; pid: number; rpc(cmd: string, arg?: string): Promise<Reply>; output(): string; exited: Promise<number | null> }

function spawnChild(script: string, arg: string, nodeArgs: string[] = []): Promise<Child> {
  const proc = spawn(node, [...nodeArgs, join(benchDir, script), arg], { cwd: codeRoot, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
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
          rpc: (cmd, arg) =>
            new Promise((res, rej) => {
              const id = nextId++
              const t = setTimeout(() => (pending.delete(id), rej(new Error(`${script}: no answer to '${cmd}'`))), 10_000)
              pending.set(id, (r) => (clearTimeout(t), res(r)))
              proc.send({ id, cmd, arg })
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

type Target = { name: 'direct' | 'proxy' | 'floor' | 'gateway' | 'gatewayYoung'; origin: string; auth: string; model: string; agent: http.Agent }

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

function once(t: Target, body: Buffer, path = '/v1/chat/completions'): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    let first = Number.NaN
    const headers = path === '/v1/messages' ? { ...headersFor(t, body), 'anthropic-version': '2023-06-01' } : headersFor(t, body)
    const req = http.request(`${t.origin}${path}`, { method: 'POST', agent: t.agent, headers }, (res) => {
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
  return sequentialBody(t, bodyFor(t, stream), '/v1/chat/completions', n, warmup)
}

/** `n` requests one at a time, after `warmup`; a list of bodies is sent in turn (a session's calls). */
async function sequentialBody(t: Target, bodies: Buffer | readonly Buffer[], path: string, n: number, warmup: number): Promise<{ total: number[]; ttfb: number[]; requests: number }> {
  const list = Buffer.isBuffer(bodies) ? [bodies] : bodies
  const body = (i: number) => list[i % list.length] as Buffer
  const deadline = performance.now() + PHASE_CAP_MS
  for (let i = 0; i < warmup; i++) await once(t, body(i), path)
  const total: number[] = []
  const ttfb: number[] = []
  for (let i = 0; i < n && performance.now() < deadline; i++) {
    const r = await once(t, body(i), path)
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

/**
 * Bodies of the per-path figures, all `POST /v1/messages` (what Claude Code sends):
 *   - an Anthropic stream of 100 text deltas passed through to `@anth` vs translated to `@up` (OpenAI chat);
 *   - a Claude Code-sized request vs a 1 KB one of the same shape (bench/agentBodies.ts: the calls of one
 *     session, sent in turn), both non-streamed to `@anth`, so that the answers are the same and the
 *     difference is what the gateway does with the request.
 */
type PathBodies = { streamPass: Buffer; streamTrans: Buffer; ccBig: Buffer[] | null; ccSmall: Buffer[] | null; ccBytes: [number, number]; firstSight: ((count: number, from: number) => Buffer[]) | null }

function pathBodies(): PathBodies {
  const ask = (model: string) => Buffer.from(JSON.stringify({ model, max_tokens: 256, stream: true, messages: [{ role: 'user', content: 'Say a hundred words.' }] }))
  const agent = agentBodies()
  const mean = (b: readonly Buffer[]) => b.reduce((s, x) => s + x.length, 0) / b.length
  return { streamPass: ask('@anth/claude-x'), streamTrans: ask('@up/gpt-4o'), ccBig: agent?.session ?? null, ccSmall: agent?.small ?? null, ccBytes: agent ? [mean(agent.small), mean(agent.session)] : [0, 0], firstSight: agent?.firstSight ?? null }
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

async function startupToFirstAnswer(args: string[], env: Record<string, string> = {}, command = node): Promise<StartupSample> {
  const port = await freePort()
  const full = args.map((a) => a.replace('$PORT', String(port)))
  const t0 = performance.now()
  // npm runs the server as a grandchild: its own process group, stopped as a group.
  const group = command !== node
  const proc = spawn(command, full, { cwd: codeRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, detached: group })
  const kill = (signal: NodeJS.Signals) => (group ? process.kill(-(proc.pid as number), signal) : proc.kill(signal))
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
    while (performance.now() - t0 < 30_000 && proc.exitCode === null) {
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
    if (Number.isNaN(answeredAt)) throw new Error(`no answer within 30 s (last status ${lastStatus}):\n${out}`)
    return { ms: answeredAt - t0, rssKb: group ? Number.NaN : rssKb(proc.pid as number) }
  } finally {
    if (proc.exitCode === null) kill('SIGTERM')
    await Promise.race([exited, sleep(10_000)])
    if (proc.exitCode === null) kill('SIGKILL')
    // npm can exit before the server it started has stopped: the next run on this data directory would
    // find it still held ("already running"). A server that stopped removes its runtime file.
    const dataDir = full[full.indexOf('--data-dir') + 1]
    if (group && full.includes('--data-dir') && dataDir && !(await gone(join(dataDir, 'server.json'), 10_000))) {
      try {
        kill('SIGKILL')
      } catch {
        // the group is gone after all
      }
    }
  }
}

/** Resolves true once `file` no longer exists, false after `ms`. */
async function gone(file: string, ms: number): Promise<boolean> {
  for (const until = performance.now() + ms; performance.now() < until; await sleep(10)) if (!existsSync(file)) return true
  return false
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
    cpSync(join(codeRoot, 'package.json'), join(dir, 'package.json')) // version.ts reads ../package.json
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
    const outfile = join(dir, 'dist', 'cli.mjs')
    await build({
      entryPoints: [join(codeRoot, 'main', 'cli.ts')],
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

type PerTarget = {
  c1p50: number
  c1p99: number
  c16rps: number
  ttfbP50: number
  /** CPU of the process the target names (upstream for direct), per request. */
  cpuPerReqC1: number
  cpuPerReqC16: number
  cpuPerStream: number
  /** The upstream's CPU per request while this target was driven. */
  upCpuPerReqC16: number
  /** System calls of the target's own process per request at c16 (upstream for direct). */
  readsPerReq: number
  writesPerReq: number
  /** Share of the process's CPU spent in the kernel at c16. */
  sysShareC16: number
  /** CPU per request at c16 on the main thread and on the other threads (GC/JIT helpers), ms. */
  mainThreadC16: number
  otherThreadsC16: number
  c16errors: number
}
/** Gateway CPU per request on the `/v1/messages` paths (see `pathBodies`), ms. */
type PathCpu = { streamPass: number; streamTrans: number; ccSmall: number; ccBig: number; proxyCcSmall: number; proxyCcBig: number }
type RoundResult = {
  direct: PerTarget
  proxy: PerTarget
  /** The bare proxy plus the work every call must do (bench/floorGateway.ts). */
  floor: PerTarget
  gateway: PerTarget
  /** The same gateway started with a small young generation (`--max-semi-space-size`), side by side. */
  gatewayYoung: PerTarget
  addedP50: number
  throughputRatio: number
  addedTtfb: number
  idleRssKb: number
  paths: PathCpu
}

/**
 * One round of the /v1/messages figures: each pair of bodies measured back to back, in a phase of its
 * own after every path was warmed, so that no c16 burst or idle spell of the other figures comes
 * between them (either leaves GC work, and a major GC while a path is idle throws its optimized code
 * away: bench/jitWarmup.ts --gc-at).
 */
async function measurePaths(gwTarget: Target, gw: Child, pxTarget: Target, proxy: Child, r: number, bodies: PathBodies): Promise<RoundResult['paths']> {
  const pathCpu = async (body: Buffer | readonly Buffer[], t: Target, proc: Child, n: number): Promise<{ ms: number; requests: number }> => {
    await sequentialBody(t, body, '/v1/messages', 0, 5)
    const a = await proc.rpc('cpu')
    const s = await sequentialBody(t, body, '/v1/messages', n, 0)
    const b = await proc.rpc('cpu')
    return { ms: cpuMs(a.cpu, b.cpu), requests: s.requests }
  }
  /**
   * CPU per request of two bodies, measured in alternating blocks of PATH_BLOCK requests (ABAB…,
   * BABA… in odd rounds): a slow spell of the machine, or a GC cycle that the phase before left under
   * way, then falls on both alike. With one run each (AB), the rounds of the translation figure ranged
   * 0.8-1.9x around a median; with two half runs (ABBA), 0.99-2.10x.
   */
  const pair = async (x: Buffer | readonly Buffer[] | null, y: Buffer | readonly Buffer[] | null, t = gwTarget, proc: Child = gw): Promise<[number, number]> => {
    if (!x || !y) return [Number.NaN, Number.NaN]
    const sum = [{ ms: 0, requests: 0 }, { ms: 0, requests: 0 }]
    for (let k = 0; k < 2 * Math.ceil(PATH_REQUESTS / PATH_BLOCK); k++) {
      const side = (k + r) % 2
      const m = await pathCpu(side === 0 ? x : y, t, proc, PATH_BLOCK)
      const acc = sum[side] as { ms: number; requests: number }
      acc.ms += m.ms
      acc.requests += m.requests
    }
    const per = (u: { ms: number; requests: number } | undefined) => (u ? u.ms / u.requests : Number.NaN)
    return [per(sum[0]), per(sum[1])]
  }
  const [streamPass, streamTrans] = await pair(bodies.streamPass, bodies.streamTrans)
  const [ccSmall, ccBig] = await pair(bodies.ccSmall, bodies.ccBig)
  // The same two bodies through the bare proxy: what relaying 100 KB more costs with no gateway at all.
  const [proxyCcSmall, proxyCcBig] = await pair(bodies.ccSmall, bodies.ccBig, pxTarget, proxy)
  return { streamPass, streamTrans, ccSmall, ccBig, proxyCcSmall, proxyCcBig }
}

async function measureRound(targets: Target[], procs: Record<Target['name'], Child>, up: Child, gw: Child, r: number): Promise<RoundResult> {
  // Rotate the order every round so drift (thermal, neighbours) does not always favour one target.
  const order = targets.map((_, i) => targets[(i + r) % targets.length] as Target)
  const snap = async (t: Target) => ({ own: (await procs[t.name].rpc('cpu')).cpu, up: (await up.rpc('cpu')).cpu, io: syscalls(procs[t.name].pid), th: threadCpu(procs[t.name].pid) })
  const res = Object.fromEntries(targets.map((t) => [t.name, {} as PerTarget])) as Record<Target['name'], PerTarget>

  for (const t of order) {
    // Back to steady state first: the other targets' phases left this one idle, and a major GC in an
    // idle spell throws optimized code away (bench/jitWarmup.ts --gc-at); 50 requests do not re-warm it.
    await warmPath(t, bodyFor(t, false), '/v1/chat/completions', C1_REWARM)
    const a = await snap(t)
    const s = await sequential(t, false, C1_REQUESTS, C1_WARMUP)
    const b = await snap(t)
    res[t.name].c1p50 = median(s.total)
    res[t.name].c1p99 = quantile(s.total, 0.99)
    res[t.name].cpuPerReqC1 = cpuMs(a.own, b.own) / s.requests
  }
  for (const t of order) {
    const a = await snap(t)
    const s = await blast(t, { seconds: C16_SECONDS, connections: 16 })
    const b = await snap(t)
    if (s.ok === 0) throw new Error(`${t.name}: no successful response at concurrency 16 (${s.non2xx} non-2xx, ${s.errors} errors)`)
    res[t.name].c16rps = s.rps
    res[t.name].cpuPerReqC16 = cpuMs(a.own, b.own) / s.completed
    res[t.name].upCpuPerReqC16 = cpuMs(a.up, b.up) / s.completed
    res[t.name].readsPerReq = (b.io.r - a.io.r) / s.completed
    res[t.name].writesPerReq = (b.io.w - a.io.w) / s.completed
    res[t.name].sysShareC16 = (b.own.system - a.own.system) / (cpuMs(a.own, b.own) * 1000)
    res[t.name].mainThreadC16 = (b.th.main - a.th.main) / s.completed
    res[t.name].otherThreadsC16 = (b.th.other - a.th.other) / s.completed
    res[t.name].c16errors = s.non2xx + s.errors + s.timeouts
  }
  for (const t of order) {
    const a = await snap(t)
    const s = await sequential(t, true, STREAM_REQUESTS, 20)
    const b = await snap(t)
    res[t.name].ttfbP50 = median(s.ttfb)
    res[t.name].cpuPerStream = cpuMs(a.own, b.own) / s.requests
  }
  await sleep(1000)
  const idleRssKb = rssKb(gw.pid)
  return {
    paths: { streamPass: Number.NaN, streamTrans: Number.NaN, ccSmall: Number.NaN, ccBig: Number.NaN, proxyCcSmall: Number.NaN, proxyCcBig: Number.NaN }, // measurePaths
    ...res,
    addedP50: res.gateway.c1p50 - res.direct.c1p50,
    throughputRatio: res.gateway.c16rps / res.direct.c16rps,
    addedTtfb: res.gateway.ttfbP50 - res.direct.ttfbP50,
    idleRssKb,
  }
}

/**
 * Starts a server process from `args`, warms it like the main gateway, and reads its idle RSS 1 s
 * after the load, and again `idleS` seconds after it when asked (what the process gives back).
 */
async function warmRss(args: string[], port: number, idleS = 0): Promise<{ warmKb: number; idleKb: number }> {
  const proc = spawn(node, args.map((a) => a.replace('$PORT', String(port))), { cwd: codeRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(proc)
  const exited = new Promise<number | null>((r) => proc.once('exit', (c) => (children.delete(proc), r(c))))
  let out = ''
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString()))
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString()))
  try {
    const deadline = performance.now() + 30_000
    while ((await tryRequest(port)) !== 200) {
      if (performance.now() > deadline || proc.exitCode !== null) throw new Error(`server did not answer:\n${out}`)
      await sleep(10)
    }
    const t = makeTarget('gateway', `http://127.0.0.1:${port}`, BENCH_KEY, '@up/gpt-4o')
    await sequential(t, false, 300, 0)
    await blast(t, { seconds: 1, connections: 16 })
    await sequential(t, true, 100, 0)
    t.agent.destroy()
    await sleep(1000)
    const warmKb = rssKb(proc.pid as number)
    if (idleS > 0) progress(`idle ${idleS} s after load (RSS target)`)
    await sleep(idleS * 1000)
    return { warmKb, idleKb: idleS > 0 ? rssKb(proc.pid as number) : Number.NaN }
  } finally {
    if (proc.exitCode === null) proc.kill('SIGTERM')
    await Promise.race([exited, sleep(10_000)])
    if (proc.exitCode === null) proc.kill('SIGKILL')
  }
}

/** RSS of a process that only runs `code` (which prints a line when it is ready), read 300 ms later. */
async function idleNodeRss(code = "process.stdout.write('up\\n'); setTimeout(() => {}, 10000)"): Promise<number> {
  const proc = spawn(node, ['--input-type=module', '-e', code], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
  children.add(proc)
  await new Promise<void>((r) => proc.stdout?.once('data', () => r()))
  await sleep(300)
  const kb = rssKb(proc.pid as number)
  proc.kill('SIGKILL')
  await new Promise((r) => proc.once('exit', r))
  children.delete(proc)
  return kb
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

type ProfileResult = {
  file: string
  /** Gateway alone on CPU 0, load generator and upstream on CPU 1. */
  pinned: boolean
  alloc: AllocationSummary | null
  c16: { requests: number; cpuPerReq: number; summary: ProfileSummary }
  c1: { requests: number; cpuPerReq: number; summary: ProfileSummary }
  proxy: { requests: number; cpuPerReq: number; summary: ProfileSummary } | null
  startup: { ms: number; summary: ProfileSummary } | null
}

/**
 * Pins threads of `pid` to `cpus` (taskset). The profiler samples wall-clock time, so on 2 shared
 * cores a gateway preempted inside writev (its receiver woken on the same core) shows writev far
 * above its CPU cost; with the gateway alone on one core and the load on the other, samples ≈ CPU.
 */
function pin(pid: number, cpus: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-pc', cpus, String(pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

async function profileRun(upstreamUrl: string, upPid: number): Promise<ProfileResult | null> {
  const allCpus = `0-${os.cpus().length - 1}`
  const pinning = os.cpus().length >= 2 && pin(process.pid, '1') && pin(upPid, '1')
  try {
    return await profileRunPinned(upstreamUrl, pinning)
  } finally {
    if (pinning) {
      pin(process.pid, allCpus)
      pin(upPid, allCpus)
    }
  }
}

async function profileRunPinned(upstreamUrl: string, pinning: boolean): Promise<ProfileResult | null> {
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
  if (pinning) pin(gw.pid, '0')
  const target = makeTarget('gateway', gw.url, BENCH_KEY, '@up/gpt-4o')
  await blast(target, { seconds: 1, connections: 16 }) // warm-up, outside the windows
  await sequential(target, false, 200, 0)
  // CLOCK_MONOTONIC is shared by processes on Linux, and V8's profile clock is in µs on it.
  const mono = () => Number(process.hrtime.bigint() / 1000n)
  const a = await gw.rpc('cpu')
  const c16From = mono()
  const s16 = await blast(target, { seconds: PROFILE_SECONDS, connections: 16 })
  const c16To = mono()
  const b = await gw.rpc('cpu')
  const c1From = mono()
  const s1 = await sequential(target, false, 4000, 0)
  const c1To = mono()
  const c = await gw.rpc('cpu')
  // What drives GC: every allocation (collected ones included) at c16, by allocating function.
  const allocFile = join(profDir, 'alloc-c16.heapprofile')
  await gw.rpc('alloc-start')
  const sa = await blast(target, { seconds: 3, connections: 16 })
  await gw.rpc('alloc-stop', allocFile)
  const alloc = existsSync(allocFile) ? summarizeAllocations(allocFile, { root: codeRoot, requests: sa.completed, top: 20 }) : null
  target.agent.destroy()
  await stopChild(gw, 'ipc')
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))
  if (!file) return null
  const full = join(profDir, file)

  // The floor under the same profiler: where a bare node:http proxy spends its time.
  let proxyResult: ProfileResult['proxy'] = null
  {
    const dir = join(profDir, 'proxy')
    mkdirSync(dir, { recursive: true })
    const px = await spawnChild('proxy.ts', JSON.stringify({ upstreamUrl, upstreamKey: UPSTREAM_KEY }), ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200'])
    if (pinning) pin(px.pid, '0')
    const t = makeTarget('proxy', px.url, UPSTREAM_KEY, 'gpt-4o')
    await blast(t, { seconds: 1, connections: 16 })
    const a = await px.rpc('cpu')
    const from = mono()
    const sp = await blast(t, { seconds: 4, connections: 16 })
    const to = mono()
    const b = await px.rpc('cpu')
    t.agent.destroy()
    await stopChild(px, 'ipc')
    const f = readdirSync(dir).find((x) => x.endsWith('.cpuprofile'))
    if (f) proxyResult = { requests: sp.completed, cpuPerReq: cpuMs(a.cpu, b.cpu) / sp.completed, summary: summarizeProfile(join(dir, f), { root: codeRoot, requests: sp.completed, top: 12, window: { fromUs: from, toUs: to } }) }
  }

  // Startup of the headless entry (type-stripped TS, so names and files stay readable).
  let startupResult: ProfileResult['startup'] = null
  {
    const dir = join(profDir, 'startup')
    mkdirSync(dir, { recursive: true })
    const cliDir = join(tmp, 'cli')
    if (existsSync(cliDir)) {
      const s0 = await startupToFirstAnswer(['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', join(codeRoot, 'main', 'cli.ts'), 'serve', '--port', '$PORT', '--data-dir', cliDir, '--insecure-key-file'])
      const f = readdirSync(dir).find((x) => x.endsWith('.cpuprofile'))
      if (f) startupResult = { ms: s0.ms, summary: summarizeProfile(join(dir, f), { root: codeRoot, top: 20 }) }
    }
  }

  return {
    alloc,
    pinned: pinning,
    proxy: proxyResult,
    startup: startupResult,
    file: full,
    c16: { requests: s16.completed, cpuPerReq: cpuMs(a.cpu, b.cpu) / s16.completed, summary: summarizeProfile(full, { root: codeRoot, requests: s16.completed, top: 30, window: { fromUs: c16From, toUs: c16To } }) },
    c1: { requests: s1.requests, cpuPerReq: cpuMs(b.cpu, c.cpu) / s1.requests, summary: summarizeProfile(full, { root: codeRoot, requests: s1.requests, top: 20, window: { fromUs: c1From, toUs: c1To } }) },
  }
}

/**
 * `--soak [--soak-minutes 10]`: the gateway at concurrency 16 for that many minutes, its RSS sampled
 * and printed after each minute. Flat: over the second half (the heap has grown to what the load
 * needs by then; V8 sizes its young generation to the allocation rate) RSS grows by less than 1 MB
 * a minute and ends within 5 % of where the half began: a leak is a steady climb.
 */
async function soak(minutes: number): Promise<void> {
  const up = await spawnChild('upstream.ts', '{}')
  // With --semi-space N the soak runs the gateway as `npm run serve` does, young generation capped.
  const flags = argv['semi-space'] ? [YOUNG_FLAG] : []
  const gw = await spawnChild('gateway.ts', JSON.stringify({ dataDir: join(tmp, 'soak'), upstreamUrl: up.url, key: BENCH_KEY }), flags)
  await sleep(500)
  const t = makeTarget('gateway', gw.url, BENCH_KEY, '@up/gpt-4o')
  const out = (line: string) => process.stdout.write(line + '\n')
  out(`Soak of the ${codeLabel}: gateway${flags.length ? ` (${flags.join(' ')})` : ''} at concurrency 16 for ${minutes} min, non-streamed requests; load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`)
  out(`minute      requests    req/s  non-2xx  CPU ms/req   RSS MB   (after start: ${(rssKb(gw.pid) / 1024).toFixed(1)} MB)`)
  const samples: number[] = []
  for (let m = 1; m <= minutes; m++) {
    const a = await gw.rpc('cpu')
    const s = await blast(t, { seconds: 60, connections: 16 })
    const b = await gw.rpc('cpu')
    const kb = rssKb(gw.pid)
    samples.push(kb / 1024)
    out(`${String(m).padStart(6)} ${String(s.completed).padStart(13)} ${s.rps.toFixed(0).padStart(8)} ${String(s.non2xx + s.errors + s.timeouts).padStart(8)} ${(cpuMs(a.cpu, b.cpu) / Math.max(1, s.completed)).toFixed(3).padStart(11)} ${(kb / 1024).toFixed(1).padStart(8)}`)
  }
  t.agent.destroy()
  await stopChild(gw, 'ipc')
  await stopChild(up, 'ipc')
  const first = samples[0] as number
  const last = samples[samples.length - 1] as number
  const half = samples.slice(Math.floor(samples.length / 2))
  const perMinute = half.length > 1 ? ((half[half.length - 1] as number) - (half[0] as number)) / (half.length - 1) : 0
  const flat = perMinute < 1 && last <= (half[0] as number) * 1.05
  out(`RSS ${first.toFixed(1)} → ${last.toFixed(1)} MB (${(last / first).toFixed(2)}× the first minute's; second half ${(half[0] as number).toFixed(1)} → ${last.toFixed(1)} MB, ${perMinute >= 0 ? '+' : ''}${perMinute.toFixed(2)} MB/min): ${flat ? 'PASS flat' : 'MISS growing'} (target: flat)`)
  writeFileSync(argv.out ?? join(resultsDir, 'soak.json'), JSON.stringify({ when: new Date().toISOString(), code: codeLabel, minutes, rssMb: samples, flat }, null, 2) + '\n')
}

async function main(): Promise<void> {
  if (argv.soak) {
    mkdirSync(resultsDir, { recursive: true })
    return soak(Math.max(1, Math.min(60, Number(argv['soak-minutes'] ?? 10))))
  }
  const started = performance.now()
  const load = os.loadavg()
  process.stderr.write(`Switchyard bench (${codeLabel}): ${ROUNDS} rounds, Node ${process.version}, ${os.cpus().length} CPUs, load ${load.map((x) => x.toFixed(2)).join(' ')}\n`)
  mkdirSync(resultsDir, { recursive: true })

  const up = await spawnChild('upstream.ts', '{}')
  const proxy = await spawnChild('proxy.ts', JSON.stringify({ upstreamUrl: up.url, upstreamKey: UPSTREAM_KEY }))
  const floor = await spawnChild('floorGateway.ts', JSON.stringify({ upstreamUrl: up.url, upstreamKey: UPSTREAM_KEY, dataDir: join(tmp, 'floor'), key: BENCH_KEY }))
  const t0 = performance.now()
  const gw = await spawnChild('gateway.ts', JSON.stringify({ dataDir: join(tmp, 'gw'), upstreamUrl: up.url, key: BENCH_KEY }), ['--expose-gc'])
  const gwStartMs = performance.now() - t0
  const gwYoung = await spawnChild('gateway.ts', JSON.stringify({ dataDir: join(tmp, 'gw-young'), upstreamUrl: up.url, key: BENCH_KEY }), [YOUNG_FLAG])
  await sleep(500)
  const rssAfterStartKb = rssKb(gw.pid)
  const youngAfterStartKb = rssKb(gwYoung.pid)

  const direct = makeTarget('direct', up.url, UPSTREAM_KEY, 'gpt-4o')
  const viaProxy = makeTarget('proxy', proxy.url, UPSTREAM_KEY, 'gpt-4o')
  const viaFloor = makeTarget('floor', floor.url, BENCH_KEY, 'gpt-4o')
  const gateway = makeTarget('gateway', gw.url, BENCH_KEY, '@up/gpt-4o')
  const young = makeTarget('gatewayYoung', gwYoung.url, BENCH_KEY, '@up/gpt-4o')
  const targets = [direct, viaProxy, viaFloor, gateway, young]
  const procs: Record<Target['name'], Child> = { direct: up, proxy, floor, gateway: gw, gatewayYoung: gwYoung }

  for (const t of targets) {
    const r = await once(t, bodyFor(t, false))
    if (r.status !== 200) throw new Error(`${t.name} answered HTTP ${r.status}\n${gw.output()}`)
  }
  progress('warm-up')
  for (const t of targets) {
    await sequential(t, false, 300, 0)
    await blast(t, { seconds: 1, connections: 16 })
    await sequential(t, true, 100, 0)
  }
  await sleep(1000)
  const rssAfterWarmupKb = rssKb(gw.pid)
  const memAfterWarmup = await gw.rpc('mem') // full GC: shrinks the young generation, so warm up again
  const servedAtStart = (await gw.rpc('flush')).rows ?? Number.NaN
  // Every measured path to V8's steady state, on each process that measures it. After the full GC
  // above, not before it: a major GC while the gateway is idle throws away its optimized code
  // (bench/jitWarmup.ts --gc-at), and the paths would be measured warming up again. The gateway last,
  // so that its /v1/messages figures follow its own warm-up with no idle spell between.
  const bodies = pathBodies()
  for (const t of [...targets.filter((x) => x !== gateway), gateway]) {
    for (const stream of [false, true]) await warmPath(t, bodyFor(t, stream), '/v1/chat/completions', WARM_PATH_REQUESTS)
    await blast(t, { seconds: 1, connections: 16 })
    await sequential(t, false, 300, 0)
  }
  for (const b of [bodies.ccSmall, bodies.ccBig]) if (b) await warmPath(viaProxy, b, '/v1/messages', WARM_PATH_REQUESTS)
  for (const b of [bodies.streamPass, bodies.streamTrans, bodies.ccSmall, bodies.ccBig]) if (b) await warmPath(gateway, b, '/v1/messages', WARM_PATH_REQUESTS)

  const pathRounds: Array<RoundResult['paths']> = []
  for (let r = 0; r < ROUNDS; r++) {
    progress(`/v1/messages paths ${r + 1}/${ROUNDS}`)
    pathRounds.push(await measurePaths(gateway, gw, viaProxy, proxy, r, bodies))
  }
  const rounds: RoundResult[] = []
  for (let r = 0; r < ROUNDS; r++) {
    progress(`round ${r + 1}/${ROUNDS}`)
    rounds.push({ ...(await measureRound(targets, procs, up, gw, r)), paths: pathRounds[r] as RoundResult['paths'] })
  }
  // Retained heap after all rounds (full GC), against the same after warm-up: what stays per request.
  const rssKb0End = rssKb(gw.pid)
  const heapEnd = await gw.rpc('mem')
  const servedEnd = (await gw.rpc('flush')).rows ?? Number.NaN
  const flushed = await gw.rpc('flush')
  for (const t of targets) t.agent.destroy()
  const youngEndKb = rssKb(gwYoung.pid)
  await stopChild(gw, 'ipc')
  await stopChild(gwYoung, 'ipc')
  await stopChild(proxy, 'ipc')
  await stopChild(floor, 'ipc')

  // 5. startup (and 6. RSS of the real entry points)
  progress('startup')
  // Each entry point prepares its own data dir with its own `apply` (a stale build may have an older schema).
  const setupFile = join(tmp, 'setup.json')
  writeFileSync(setupFile, JSON.stringify({
    version: 1,
    integrations: [{ slug: 'up', kind: 'openai', apiKey: '${BENCH_UPSTREAM_KEY}', settings: { baseUrl: `${up.url}/v1` } }],
    apiKeys: [{ name: 'bench', key: BENCH_KEY }],
  }))
  const prepare = async (entry: string, dataDir: string): Promise<string[]> => {
    const p = spawn(node, [entry, 'apply', setupFile, '--data-dir', dataDir, '--insecure-key-file'], { cwd: codeRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BENCH_UPSTREAM_KEY: UPSTREAM_KEY } })
    let out = ''
    p.stdout?.on('data', (c: Buffer) => (out += c.toString()))
    p.stderr?.on('data', (c: Buffer) => (out += c.toString()))
    const code = await new Promise((r) => p.once('exit', r))
    if (code !== 0) throw new Error(`${entry} apply failed (${code}):\n${out}`)
    return ['serve', '--port', '$PORT', '--data-dir', dataDir, '--insecure-key-file']
  }
  const cliTs = join(codeRoot, 'main', 'cli.ts')
  const serveArgs = await prepare(cliTs, join(tmp, 'cli'))
  const distCli = ['dist/cli.js', 'dist/cli.mjs'].map((f) => join(root, f)).find((f) => existsSync(f)) ?? null
  const distStale = distCli && !argv.ref ? newestSource(join(root, 'main')) > statSync(distCli).mtimeMs : false
  const bundle = distCli || argv['no-bundle'] ? null : await buildProjectedBundle()
  const cacheDir = join(tmp, 'compile-cache')
  const BARE = "node -e ''"
  const CLI = 'main/cli.ts serve'
  const DIST = distCli ? `${distCli.slice(root.length)} serve` : null
  const NPM_START = 'npm start (built, unchanged tree)'
  const variants: Array<{ name: string; args?: string[]; run: () => Promise<StartupSample> }> = [
    { name: BARE, run: bareNode },
    { name: CLI, args: [cliTs, ...serveArgs], run: () => startupToFirstAnswer([cliTs, ...serveArgs]) },
    { name: 'main/cli.ts serve, NODE_COMPILE_CACHE', run: () => startupToFirstAnswer([cliTs, ...serveArgs], { NODE_COMPILE_CACHE: cacheDir }) },
  ]
  if (distCli && DIST) {
    const distArgs = await prepare(distCli, join(tmp, 'dist'))
    variants.push({ name: DIST, args: [distCli, ...distArgs], run: () => startupToFirstAnswer([distCli, ...distArgs]) })
    // What the README tells a user to run, on this built tree: npm, scripts/start.ts, then the server.
    if (!distStale && !argv.ref) variants.push({ name: NPM_START, run: () => startupToFirstAnswer(['start', '--', ...distArgs.slice(1)], {}, 'npm') })
  }
  if (bundle) {
    const bundleArgs = await prepare(bundle, join(tmp, 'bundle-data'))
    variants.push({ name: 'bench-built bundle (projection)', args: [bundle, ...bundleArgs], run: () => startupToFirstAnswer([bundle, ...bundleArgs]) })
  }
  for (const v of variants) await v.run() // warm the disk cache and the compile cache; not counted
  const startup: Record<string, StartupSample[]> = Object.fromEntries(variants.map((v) => [v.name, [] as StartupSample[]]))
  const startupRuns = Math.max(ROUNDS, 5)
  for (let r = 0; r < startupRuns; r++) for (const v of variants) startup[v.name]?.push(await v.run())
  const bareIdleRssKb = await idleNodeRss()
  // The floor of this stack: node:http server + better-sqlite3 with a WAL database, one request served.
  const floorRssKb = await idleNodeRss(
    `import http from 'node:http'; import D from 'better-sqlite3'; const db = new D(${JSON.stringify(join(tmp, 'floor.db'))}); db.pragma('journal_mode = WAL');` +
      ` const s = http.createServer((q, r) => r.end('x')).listen(0, '127.0.0.1', () => http.get('http://127.0.0.1:' + s.address().port + '/', (r) => { r.resume(); r.on('end', () => process.stdout.write('up\\n')) }))`,
  )
  const warm: Record<string, number> = {}
  // The RSS targets are read on what `npm start` runs: dist/cli.js, else the bench's projection of it, else cli.ts.
  const rssEntry = [DIST, variants.find((v) => v.name.startsWith('bench-built bundle'))?.name, CLI].find((n) => n && variants.some((v) => v.name === n && v.args)) as string
  let idleAfterLoadKb = Number.NaN
  for (const v of variants) {
    if (!v.args) continue
    const w = await warmRss(v.args, await freePort(), v.name === rssEntry ? IDLE_AFTER_LOAD_S : 0)
    warm[v.name] = w.warmKb
    if (v.name === rssEntry) idleAfterLoadKb = w.idleKb
  }

  // 7. usage rows at the peak rate
  progress('usage rows under peak load + SIGTERM')
  const loss = await lossCheck(up.url, median(rounds.map((r) => r.gateway.c16rps)))

  let profile: ProfileResult | null = null
  if (argv.profile) {
    progress('profiling the gateway under load (c16, then c1)')
    profile = await profileRun(up.url, up.pid)
  }
  await stopChild(up, 'ipc')

  // -------------------------------------------------------------------------------------------------
  // report
  const med = (f: (r: RoundResult) => number) => median(rounds.map(f))
  const spread = (xs: number[]) => [Math.min(...xs), Math.max(...xs)]
  const rSpread = (f: (r: RoundResult) => number) => spread(rounds.map(f))
  const sMed = (name: string, f: (s: StartupSample) => number = (s) => s.ms) => median((startup[name] ?? []).map(f))

  type Row = { id: string; metric: string; value: number; unit: string; target: string; ok: boolean | null; detail: string; range?: number[] }
  const rows: Row[] = []
  const add = (row: Row) => rows.push(row)
  const upC16 = med((r) => r.direct.cpuPerReqC16)
  const gwC16 = med((r) => r.gateway.cpuPerReqC16)
  const gwC1 = med((r) => r.gateway.cpuPerReqC1)
  const pxC16 = med((r) => r.proxy.cpuPerReqC16)
  const x = (a: number, b: number) => `${(a / b).toFixed(1)}×`
  add({ id: '1', metric: 'gateway CPU / request, c16 (saturated)', value: gwC16, unit: 'ms', target: '≤ 0.1 ms', ok: gwC16 <= 0.1, detail: `${x(gwC16, 0.1)} target; ${x(gwC16, upC16)} upstream, ${x(gwC16, pxC16)} bare proxy`, range: rSpread((r) => r.gateway.cpuPerReqC16) })
  add({ id: '1', metric: 'gateway CPU / request, c1 (sequential)', value: gwC1, unit: 'ms', target: '≤ 0.1 ms', ok: gwC1 <= 0.1, detail: `${x(gwC1, 0.1)} target; bare proxy ${med((r) => r.proxy.cpuPerReqC1).toFixed(3)} ms`, range: rSpread((r) => r.gateway.cpuPerReqC1) })
  add({ id: '1', metric: "  upstream's own CPU / request, c16 | c1", value: upC16, unit: 'ms', target: '(reference)', ok: null, detail: `c1: ${med((r) => r.direct.cpuPerReqC1).toFixed(3)} ms`, range: rSpread((r) => r.direct.cpuPerReqC16) })
  add({ id: '1', metric: '  bare node:http proxy CPU / request, c16', value: pxC16, unit: 'ms', target: '(reference)', ok: null, detail: 'floor for one more Node HTTP hop', range: rSpread((r) => r.proxy.cpuPerReqC16) })
  add({ id: '1', metric: '  kernel share of CPU at c16: gateway | proxy | upstream', value: med((r) => r.gateway.sysShareC16), unit: '', target: '(info)', ok: null, detail: `gateway ${(med((r) => r.gateway.sysShareC16) * 100).toFixed(0)}% | proxy ${(med((r) => r.proxy.sysShareC16) * 100).toFixed(0)}% | upstream ${(med((r) => r.direct.sysShareC16) * 100).toFixed(0)}%` })
  add({ id: '1', metric: '  c16 CPU/request: main thread | other threads (GC, JIT)', value: med((r) => r.gateway.mainThreadC16), unit: 'ms', target: '(info)', ok: null, detail: `gateway ${med((r) => r.gateway.mainThreadC16).toFixed(3)} | ${med((r) => r.gateway.otherThreadsC16).toFixed(3)} ms; bare proxy ${med((r) => r.proxy.mainThreadC16).toFixed(3)} | ${med((r) => r.proxy.otherThreadsC16).toFixed(3)} ms` })
  add({ id: '1', metric: '  syscalls / request c16: gateway | proxy | upstream', value: med((r) => r.gateway.readsPerReq + r.gateway.writesPerReq), unit: '', target: '(info)', ok: null, detail: ['gateway', 'proxy', 'direct'].map((n) => { const k = n as Target['name']; return `${n === 'direct' ? 'upstream' : n} r ${med((r) => r[k].readsPerReq).toFixed(2)} w ${med((r) => r[k].writesPerReq).toFixed(2)}` }).join(' | ') })
  const added = med((r) => r.addedP50)
  add({ id: '2', metric: 'added p50 latency, c1', value: added, unit: 'ms', target: '≤ 0.1 ms', ok: added <= 0.1, detail: `gw ${med((r) => r.gateway.c1p50).toFixed(3)} vs direct ${med((r) => r.direct.c1p50).toFixed(3)} ms; bare proxy adds ${med((r) => r.proxy.c1p50 - r.direct.c1p50).toFixed(3)}`, range: rSpread((r) => r.addedP50) })
  add({ id: '2', metric: '  added p99 latency, c1', value: med((r) => r.gateway.c1p99 - r.direct.c1p99), unit: 'ms', target: '(info)', ok: null, detail: `bare proxy adds ${med((r) => r.proxy.c1p99 - r.direct.c1p99).toFixed(3)}` })
  const tr = med((r) => r.throughputRatio)
  add({ id: '3', metric: 'throughput c16, gateway / direct', value: tr, unit: '×', target: '≥ 0.35×', ok: tr >= 0.35, detail: `gw ${Math.round(med((r) => r.gateway.c16rps))} vs direct ${Math.round(med((r) => r.direct.c16rps))} req/s; bare proxy ${med((r) => r.proxy.c16rps / r.direct.c16rps).toFixed(2)}×`, range: rSpread((r) => r.throughputRatio) })
  const at = med((r) => r.addedTtfb)
  add({ id: '4', metric: 'streaming TTFB added (first body byte)', value: at, unit: 'ms', target: '≤ 1 ms', ok: at <= 1, detail: `gw ${med((r) => r.gateway.ttfbP50).toFixed(3)} vs direct ${med((r) => r.direct.ttfbP50).toFixed(3)} ms; bare proxy adds ${med((r) => r.proxy.ttfbP50 - r.direct.ttfbP50).toFixed(3)}`, range: rSpread((r) => r.addedTtfb) })
  add({ id: '4', metric: '  gateway CPU / streaming request', value: med((r) => r.gateway.cpuPerStream), unit: 'ms', target: '(info)', ok: null, detail: `bare proxy ${med((r) => r.proxy.cpuPerStream).toFixed(3)} ms` })
  const bare = sMed(BARE)
  for (const v of variants) {
    const m = sMed(v.name)
    const isTarget = v.name === CLI || v.name === DIST
    add({
      id: '5',
      metric: v.name === BARE ? `startup: bare ${BARE} (spawn to exit)` : `startup → 1st routed answer: ${v.name}`,
      value: m,
      unit: 'ms',
      target: isTarget ? '≤ 150 ms' : v.name === BARE ? '(baseline)' : '(info)',
      ok: isTarget ? m <= 150 : null,
      detail: v.name === BARE ? '' : `${x(m, bare)} bare node; paired: bare + ${median((startup[v.name] ?? []).map((sv, i) => sv.ms - (startup[BARE]?.[i]?.ms ?? Number.NaN))).toFixed(0)} ms`,
      range: spread((startup[v.name] ?? []).map((s) => s.ms)),
    })
  }
  if (distCli && distStale) add({ id: '5', metric: `  note: ${DIST} is older than main/ sources`, value: Number.NaN, unit: '', target: '(info)', ok: null, detail: 'stale build: rebuild (npm run build) for figures that match the source' })
  if (!distCli) add({ id: '5', metric: 'startup → 1st routed answer: dist/cli.js serve', value: Number.NaN, unit: '', target: '≤ 150 ms', ok: null, detail: 'absent: no dist/cli.js in this checkout (run the build)' })
  for (const v of variants) {
    if (!v.args) continue
    const kb = sMed(v.name, (s) => s.rssKb)
    add({ id: '6', metric: `RSS after start (1st answer): ${v.name}`, value: kb / 1024, unit: 'MB', target: '≤ 60 MB', ok: kb / 1024 <= 60, detail: `${x(kb / 1024, 60)} target; floor: bare node ${(bareIdleRssKb / 1024).toFixed(1)} MB, node:http + better-sqlite3 ${(floorRssKb / 1024).toFixed(1)} MB`, range: spread((startup[v.name] ?? []).map((s) => s.rssKb / 1024)) })
    const w = warm[v.name] ?? Number.NaN
    add({ id: '6', metric: `RSS idle after warm-up: ${v.name}`, value: w / 1024, unit: 'MB', target: '≤ 60 MB', ok: w / 1024 <= 60, detail: `${x(w / 1024, 60)} target (1 run)` })
  }
  const warmRssMed = median([rssAfterWarmupKb, ...rounds.map((r) => r.idleRssKb)]) / 1024
  const mem = memAfterWarmup.mem
  add({ id: '6', metric: '  bench gateway (cli.ts core): after start | warm', value: warmRssMed, unit: 'MB', target: '(info)', ok: null, detail: `start ${(rssAfterStartKb / 1024).toFixed(1)} MB; warm median of ${rounds.length + 1}${mem ? `; heap ${(mem.heapUsed / 2 ** 20).toFixed(1)}/${(mem.heapTotal / 2 ** 20).toFixed(1)} MB, external ${(mem.external / 2 ** 20).toFixed(1)} MB` : ''}`, range: spread([rssAfterWarmupKb, ...rounds.map((r) => r.idleRssKb)].map((k) => k / 1024)) })
  if (memAfterWarmup.mem && heapEnd.mem) {
    const grow = (heapEnd.mem.heapUsed - memAfterWarmup.mem.heapUsed) / 2 ** 20
    const served = servedEnd - servedAtStart
    add({ id: '6', metric: '  gateway heap after full GC: growth over the rounds', value: grow, unit: 'MB', target: '(info) ~0', ok: null, detail: `${(memAfterWarmup.mem.heapUsed / 2 ** 20).toFixed(1)} → ${(heapEnd.mem.heapUsed / 2 ** 20).toFixed(1)} MB over ${served} requests: ${((grow * 2 ** 20) / Math.max(1, served)).toFixed(0)} bytes retained per request` })
  }
  add({ id: '7', metric: 'usage rows lost at peak rate + SIGTERM', value: loss.lost, unit: 'rows', target: '= 0', ok: loss.lost === 0 && loss.exitCode === 0, detail: `${loss.rows} rows (${loss.rows200} with 200) for ${loss.responsesReceived} responses (${loss.ok2xx} 2xx) in ${loss.seconds} s at ${Math.round(loss.rps)} req/s; exit ${loss.exitCode}` })

  // Issue 13: each target against its floor. CPU ratios are paired within a round (same minute, same
  // neighbours) and the median of the rounds is judged; latency uses the medians' ratio, as the
  // floor's added latency is small enough that one round's noise can swing a per-round ratio.
  const pairedRatio = (f: (r: RoundResult) => number) => median(rounds.map(f))
  const cpuRatio = pairedRatio((r) => r.gateway.cpuPerReqC16 / r.proxy.cpuPerReqC16)
  add({ id: 'T', metric: 'CPU / non-streamed passthrough request c16 ÷ floor', value: cpuRatio, unit: '×', target: '≤ 1.5×', ok: cpuRatio <= 1.5, detail: `gateway ${gwC16.toFixed(3)} ms vs bare proxy ${pxC16.toFixed(3)} ms (medians); ratio per round`, range: rSpread((r) => r.gateway.cpuPerReqC16 / r.proxy.cpuPerReqC16) })
  const mustRatio = pairedRatio((r) => r.floor.cpuPerReqC16 / r.proxy.cpuPerReqC16)
  add({ id: 'T', metric: '  reference: proxy + the work every call must do ÷ floor', value: mustRatio, unit: '×', target: '(info)', ok: null, detail: `${med((r) => r.floor.cpuPerReqC16).toFixed(3)} ms (bench/floorGateway.ts: key lookup, JSON parse, usage read, crash-safe usage row); the gateway is ${pairedRatio((r) => r.gateway.cpuPerReqC16 / r.floor.cpuPerReqC16).toFixed(2)}× this`, range: rSpread((r) => r.floor.cpuPerReqC16 / r.proxy.cpuPerReqC16) })
  const floorAdded = med((r) => r.proxy.c1p50 - r.direct.c1p50)
  const p50Ratio = added / floorAdded
  add({ id: 'T', metric: 'added p50 latency c1 ÷ floor’s added p50', value: p50Ratio, unit: '×', target: '≤ 1.5×', ok: p50Ratio <= 1.5, detail: `gateway adds ${added.toFixed(3)} ms, bare proxy ${floorAdded.toFixed(3)} ms over direct (medians)`, range: rSpread((r) => (r.gateway.c1p50 - r.direct.c1p50) / (r.proxy.c1p50 - r.direct.c1p50)) })
  // The same reference for latency: what the work every call must do adds, one request at a time.
  const mustAdded = med((r) => r.floor.c1p50 - r.direct.c1p50)
  add({ id: 'T', metric: '  reference: proxy + the work every call must do, p50 c1', value: mustAdded / floorAdded, unit: '×', target: '(info)', ok: null, detail: `adds ${mustAdded.toFixed(3)} ms over direct (bench/floorGateway.ts, its usage row journaled before the answer as the gateway's); the gateway adds ${(added / mustAdded).toFixed(2)}× this`, range: rSpread((r) => (r.floor.c1p50 - r.direct.c1p50) / (r.proxy.c1p50 - r.direct.c1p50)) })
  const trRatio = pairedRatio((r) => r.paths.streamTrans / r.paths.streamPass)
  add({ id: 'T', metric: 'Anthropic stream CPU: translated→OpenAI ÷ passthrough', value: trRatio, unit: '×', target: '≤ 1.25×', ok: trRatio <= 1.25, detail: `${med((r) => r.paths.streamTrans).toFixed(3)} vs ${med((r) => r.paths.streamPass).toFixed(3)} ms per stream of 100 deltas (/v1/messages, sequential)`, range: rSpread((r) => r.paths.streamTrans / r.paths.streamPass) })
  const startKb = sMed(rssEntry, (s) => s.rssKb)
  add({ id: 'T', metric: `RSS after start (1st answer), ${rssEntry}`.slice(0, 56), value: startKb / 1024, unit: 'MB', target: '≤ 75 MB', ok: startKb / 1024 <= 75, detail: `floor: node:http + better-sqlite3 ${(floorRssKb / 1024).toFixed(1)} MB, bare node ${(bareIdleRssKb / 1024).toFixed(1)} MB`, range: spread((startup[rssEntry] ?? []).map((s) => s.rssKb / 1024)) })
  const idleRatio = idleAfterLoadKb / startKb
  add({ id: 'T', metric: `RSS ${IDLE_AFTER_LOAD_S} s after load ÷ RSS after start`, value: idleRatio, unit: '×', target: '≤ 1.2×', ok: IDLE_AFTER_LOAD_S >= 60 ? idleRatio <= 1.2 : null, detail: `${(idleAfterLoadKb / 1024).toFixed(1)} MB (1 s after load: ${((warm[rssEntry] ?? Number.NaN) / 1024).toFixed(1)} MB)${IDLE_AFTER_LOAD_S < 60 ? '; --quick waits less than the target’s 60 s: no verdict' : ''}` })
  const npmMs = sMed(NPM_START)
  add({ id: 'T', metric: '`npm start` → 1st routed answer (built tree)', value: npmMs, unit: 'ms', target: '≤ 1000 ms', ok: Number.isFinite(npmMs) ? npmMs <= 1000 : null, detail: Number.isFinite(npmMs) ? `npm's own start is most of the rest: ${DIST ?? 'dist/cli.js serve'} alone ${sMed(DIST ?? '').toFixed(0)} ms` : 'not measured: no current dist/cli.js (npm run build)', range: spread((startup[NPM_START] ?? []).map((s) => s.ms)) })
  const ccRatio = pairedRatio((r) => r.paths.ccBig / r.paths.ccSmall)
  add({ id: 'T', metric: 'Claude Code-sized request CPU ÷ 1 KB request', value: ccRatio, unit: '×', target: '≤ 2×', ok: Number.isFinite(ccRatio) ? ccRatio <= 2 : null, detail: Number.isFinite(ccRatio) ? `${med((r) => r.paths.ccBig).toFixed(3)} vs ${med((r) => r.paths.ccSmall).toFixed(3)} ms (${(bodies.ccBytes[1] / 1024).toFixed(0)} KB vs ${(bodies.ccBytes[0] / 1024).toFixed(1)} KB bodies, non-streamed /v1/messages passthrough)` : 'no ../shared Claude Code fixture: not measured', range: rSpread((r) => r.paths.ccBig / r.paths.ccSmall) })
  const proxyCcRatio = pairedRatio((r) => r.paths.proxyCcBig / r.paths.proxyCcSmall)
  add({ id: 'T', metric: '  reference: the same two bodies through the bare proxy', value: proxyCcRatio, unit: '×', target: '(info)', ok: null, detail: Number.isFinite(proxyCcRatio) ? `${med((r) => r.paths.proxyCcBig).toFixed(3)} vs ${med((r) => r.paths.proxyCcSmall).toFixed(3)} ms: relaying ~100 KB more, no JSON; the gateway adds ${(med((r) => r.paths.ccBig) - med((r) => r.paths.ccSmall) - (med((r) => r.paths.proxyCcBig) - med((r) => r.paths.proxyCcSmall))).toFixed(3)} ms over that` : 'not measured', range: rSpread((r) => r.paths.proxyCcBig / r.paths.proxyCcSmall) })
  if (bodies.ccSmall && bodies.ccBig) {
    const own = bodyStageCpu(bodies.ccSmall, bodies.ccBig)
    add({ id: 'T', metric: '  reference: the gateway’s own stages on the two bodies', value: own.ratio, unit: '×', target: '(info)', ok: null, detail: `${own.big.toFixed(1)} vs ${own.small.toFixed(1)} µs in one process, no sockets (bench/bodyStages.ts: parse, attribution, estimate, the passthrough body): the rest of the gateway's figure is relaying and Node's HTTP` })
    if (bodies.firstSight) {
      const first = firstSightCpu(bodies.firstSight)
      add({ id: 'T', metric: '  reference: own stages, tools never sent before', value: first / own.small, unit: '×', target: '(info)', ok: null, detail: `${first.toFixed(1)} µs: an agent's first two calls, before its repeated tools are recognised (main/gateway/repeatedMembers.ts)` })
    }
  }
  const youngRatio = pairedRatio((r) => r.gatewayYoung.cpuPerReqC16 / r.proxy.cpuPerReqC16)
  add({ id: 'T', metric: `  lead: gateway with ${YOUNG_FLAG}, CPU c16 ÷ floor`, value: youngRatio, unit: '×', target: '(info)', ok: null, detail: `vs ${cpuRatio.toFixed(2)}× with V8's default young generation; RSS after start ${(youngAfterStartKb / 1024).toFixed(1)} vs ${(rssAfterStartKb / 1024).toFixed(1)} MB, after the rounds ${(youngEndKb / 1024).toFixed(1)} vs ${(rssKb0End / 1024).toFixed(1)} MB`, range: rSpread((r) => r.gatewayYoung.cpuPerReqC16 / r.proxy.cpuPerReqC16) })
  add({ id: 'T', metric: 'RSS flat over a 10-minute soak at c16', value: Number.NaN, unit: '', target: 'flat', ok: null, detail: 'its own run: npm run bench -- --soak' })
  add({ id: 'T', metric: 'crash-safe usage: CPU over batching, per request', value: Number.NaN, unit: '', target: '≤ +5 µs', ok: null, detail: 'its own run (one process, no sockets, paired): npx node bench/crashSafety.ts' })

  const fmt = (v: number, unit: string) => (Number.isNaN(v) ? '—' : unit === 'rows' ? String(v) : unit === 'MB' ? v.toFixed(1) : unit === '×' || unit === '' ? v.toFixed(2) : v < 10 ? v.toFixed(3) : v.toFixed(1))
  const lines: string[] = []
  lines.push('')
  lines.push(`Switchyard bench of the ${codeLabel}: medians of ${ROUNDS} rounds (startup: ${startupRuns} runs each); gateway vs direct-to-upstream side by side, bare node:http proxy as the floor`)
  lines.push(`${'#'.padEnd(2)} ${'metric'.padEnd(56)} ${'median'.padStart(8)} ${'unit'.padEnd(4)} ${'target'.padEnd(11)} ${'verdict'.padEnd(7)} detail [min–max]`)
  for (const [i, r] of rows.entries()) {
    if (r.id === 'T' && rows[i - 1]?.id !== 'T') lines.push('', 'Targets of issue 13: Switchyard against its floor, ratios measured side by side in this run (median of the rounds)')
    const verdict = r.ok === null ? '' : r.ok ? 'PASS' : 'MISS'
    const range = r.range && r.range.every(Number.isFinite) ? ` [${r.range.map((v) => fmt(v, r.unit)).join('–')}]` : ''
    lines.push(`${r.id.padEnd(2)} ${r.metric.slice(0, 56).padEnd(56)} ${fmt(r.value, r.unit).padStart(8)} ${r.unit.padEnd(4)} ${r.target.padEnd(11)} ${verdict.padEnd(7)} ${r.detail}${range}`)
  }
  const missed = rows.filter((r) => r.ok === false)
  lines.push('')
  lines.push(`missed: ${missed.length ? missed.map((r) => r.metric.trim()).join('; ') : 'none'}`)
  lines.push(`usage rows after the rounds: ${flushed.rows} (queued before flush: ${flushed.pending}); bench gateway spawn → ready: ${gwStartMs.toFixed(0)} ms`)
  lines.push(`elapsed ${((performance.now() - started) / 1000).toFixed(1)} s; load average at start ${load.map((v) => v.toFixed(2)).join(' ')}, now ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`)
  process.stdout.write(lines.join('\n') + '\n')
  if (profile) {
    process.stdout.write(`\n${profile.pinned ? 'Profiles: gateway (or proxy) pinned alone to CPU 0, load generator and upstream on CPU 1.' : 'Profiles: not pinned (no taskset): writev includes time preempted by the processes it wakes.'} Samples are wall-clock; compare "busy µs/request" with the measured CPU.\n`)
    process.stdout.write(`\n=== CPU profile, concurrency 16 (${profile.c16.requests} requests; gateway ${(profile.c16.cpuPerReq * 1000).toFixed(0)} µs CPU/request under the profiler) ===\n`)
    process.stdout.write(formatSummary(profile.c16.summary) + '\n')
    process.stdout.write(`\n=== CPU profile, concurrency 1 (${profile.c1.requests} requests; gateway ${(profile.c1.cpuPerReq * 1000).toFixed(0)} µs CPU/request under the profiler) ===\n`)
    process.stdout.write(formatSummary(profile.c1.summary) + '\n')
    if (profile.alloc) {
      process.stdout.write(`\n=== Allocations at concurrency 16 (sampling heap profiler, collected objects included) ===\n`)
      process.stdout.write(formatAllocations(profile.alloc) + '\n')
    }
    if (profile.proxy) {
      const p = profile.proxy
      const writev = p.summary.topSelf.find((f) => f.fn === 'writev')
      process.stdout.write(`\n=== Floor: bare node:http proxy under the same profiler, c16 (${p.requests} requests; ${(p.cpuPerReq * 1000).toFixed(0)} µs CPU/request; writev ${writev?.usPerRequest ?? '?'} µs/request) ===\n`)
      process.stdout.write(formatSummary(p.summary).split('\n').slice(0, 17).join('\n') + '\n')
    }
    if (profile.startup) {
      const p = profile.startup
      process.stdout.write(`\n=== Startup profile: main/cli.ts serve → first answered request (${p.ms.toFixed(0)} ms wall under the profiler; whole process until SIGTERM) ===\n`)
      const text = formatSummary(p.summary).split('\n')
      const cut = text.findIndex((l) => l.includes('main/ functions, inclusive'))
      process.stdout.write(text.slice(0, cut > 0 ? cut : undefined).join('\n') + '\n')
    }
  }

  const rel = (f: string) => (f.startsWith(root) ? f.slice(root.length) : f)
  const json = {
    when: new Date().toISOString(),
    code: codeLabel,
    head: execFileSync('git', ['-C', root, 'rev-parse', 'HEAD']).toString().trim(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadavgAtStart: load,
    config: { rounds: ROUNDS, c1Requests: C1_REQUESTS, c16Seconds: C16_SECONDS, streamRequests: STREAM_REQUESTS, lossSeconds: LOSS_SECONDS, startupRuns },
    results: rows.map((r) => ({ ...r, metric: r.metric.trim(), value: Number.isNaN(r.value) ? null : round(r.value, 4) })),
    missed: missed.map((r) => r.metric.trim()),
    rounds,
    startup,
    warmRssKb: warm,
    bareIdleRssKb,
    floorRssKb,
    rssEntry,
    idleAfterLoadKb,
    distCli: distCli ? rel(distCli) : null,
    distStale,
    loss,
    gatewayChild: { afterStartKb: rssAfterStartKb, afterWarmupKb: rssAfterWarmupKb, memAfterWarmup: mem ?? null, memAtEnd: heapEnd.mem ?? null, servedAtStart, servedEnd },
    profile: profile ? { ...profile, file: rel(profile.file) } : null,
    elapsedS: round((performance.now() - started) / 1000, 1),
  }
  const outFile = argv.out ?? join(resultsDir, 'latest.json')
  writeFileSync(outFile, JSON.stringify(json, null, 2) + '\n')
  process.stdout.write(`\nresults: ${rel(outFile)}${profile ? `; profile: ${rel(profile.file)} (open in Chrome DevTools or summarize with bench/profileSummary.ts)` : ''}\n`)
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  },
)
