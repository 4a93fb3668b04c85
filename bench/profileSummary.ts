/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): top self-time functions, self time by
 * source (main/ files, node: internals, node_modules, GC, …), and inclusive time of main/ functions,
 * optionally per request. Used by `bench/run.ts --profile`; also runs alone:
 *   npx node bench/profileSummary.ts FILE.cpuprofile [--requests N] [--top 25]
 * Only samples between `window.fromUs` and `window.toUs` (V8 monotonic microseconds) count when given.
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number }
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] }
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export type FunctionCost = { fn: string; where: string; selfMs: number; selfPct: number; totalMs?: number; usPerRequest?: number }
export type ProfileSummary = {
  file: string
  sampledMs: number
  busyMs: number
  samples: number
  requests: number | null
  topSelf: FunctionCost[]
  bySource: Array<{ source: string; selfMs: number; pct: number; usPerRequest?: number }>
  mainInclusive: FunctionCost[]
  /** Each sample charged to the innermost main/ function on its stack (or to what runs outside any). */
  byInnermostMain: Array<{ owner: string; ms: number; pct: number; usPerRequest?: number; topSelf: string }>
}

let root = fileURLToPath(new URL('..', import.meta.url))

function where(cf: CallFrame): string {
  let url = cf.url
  if (url.startsWith('file://')) url = relative(root, fileURLToPath(url))
  if (!url) return ''
  return `${url}:${cf.lineNumber + 1}`
}

function source(cf: CallFrame): string {
  const name = cf.functionName
  if (name === '(garbage collector)') return '(garbage collector)'
  if (name === '(program)') return '(program: native/VM outside JS)'
  if (name === '(idle)') return '(idle)'
  const url = cf.url
  if (!url) return '(native / builtins)'
  if (url.startsWith('node:')) return 'node: internals'
  if (url.startsWith('file://')) {
    const rel = relative(root, fileURLToPath(url))
    if (rel.includes('node_modules/')) return 'node_modules/' + (rel.split('node_modules/')[1] ?? '').split('/')[0]
    return rel
  }
  return url
}

export function summarizeProfile(
  file: string,
  opts: { requests?: number | null; top?: number; window?: { fromUs: number; toUs: number } | null; root?: string } = {},
): ProfileSummary {
  /** Where main/ lives for the profiled process (a `--ref` snapshot lives elsewhere). */
  if (opts.root) root = opts.root
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map<number, ProfileNode>()
  const parent = new Map<number, number>()
  for (const n of p.nodes) {
    byId.set(n.id, n)
    for (const c of n.children ?? []) parent.set(c, n.id)
  }
  // Sample i lasts until sample i+1 (timeDeltas[i+1]); the last one gets the mean interval.
  const times: number[] = []
  let t = p.startTime
  for (const d of p.timeDeltas) times.push((t += d))
  const meanInterval = p.samples.length > 1 ? (p.endTime - p.startTime) / p.samples.length : 0
  let inWindow = (_i: number) => true
  if (opts.window) {
    const { fromUs, toUs } = opts.window
    const count = times.filter((x) => x >= fromUs && x <= toUs).length
    // Only trust the window if V8's clock and the marks agree (same monotonic clock on Linux).
    if (count > 10) inWindow = (i: number) => (times[i] as number) >= fromUs && (times[i] as number) <= toUs
  }

  const key = (cf: CallFrame) => `${cf.functionName || '(anonymous)'}\u0000${where(cf)}`
  const self = new Map<string, { cf: CallFrame; us: number }>()
  const total = new Map<string, { cf: CallFrame; us: number }>()
  const bySource = new Map<string, number>()
  const byOwner = new Map<string, { us: number; self: Map<string, number> }>()
  let sampledUs = 0
  let idleUs = 0
  let n = 0
  for (let i = 0; i < p.samples.length; i++) {
    if (!inWindow(i)) continue
    const next = p.timeDeltas[i + 1]
    const dur = next !== undefined && next >= 0 ? next : meanInterval
    const node = byId.get(p.samples[i] as number)
    if (!node) continue
    n++
    sampledUs += dur
    if (node.callFrame.functionName === '(idle)') {
      idleUs += dur
      continue
    }
    const k = key(node.callFrame)
    const s = self.get(k) ?? { cf: node.callFrame, us: 0 }
    s.us += dur
    self.set(k, s)
    const src = source(node.callFrame)
    bySource.set(src, (bySource.get(src) ?? 0) + dur)
    // Inclusive time: every distinct main/ function on the stack.
    const seen = new Set<string>()
    let owner: string | null = null
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const cf = (byId.get(id) as ProfileNode).callFrame
      if (!cf.url.startsWith('file://') || cf.url.includes('/node_modules/')) continue
      const rel = relative(root, fileURLToPath(cf.url))
      if (!rel.startsWith('main/') && !rel.startsWith('preload/')) continue
      const tk = key(cf)
      owner ??= `${cf.functionName || '(anonymous)'} ${where(cf)}`
      if (seen.has(tk)) continue
      seen.add(tk)
      const e = total.get(tk) ?? { cf, us: 0 }
      e.us += dur
      total.set(tk, e)
    }
    owner ??= `(no main/ frame) ${stackHint(node, parent, byId)}`
    const o = byOwner.get(owner) ?? { us: 0, self: new Map<string, number>() }
    o.us += dur
    const selfName = node.callFrame.functionName || '(anonymous)'
    o.self.set(selfName, (o.self.get(selfName) ?? 0) + dur)
    byOwner.set(owner, o)
  }
  const busyUs = sampledUs - idleUs
  const requests = opts.requests ?? null
  const perReq = (us: number) => (requests ? Math.round((us / requests) * 100) / 100 : undefined)
  const ms = (us: number) => Math.round(us / 10) / 100
  const pct = (us: number) => (busyUs > 0 ? Math.round((us / busyUs) * 1000) / 10 : 0)
  const top = opts.top ?? 25
  return {
    file,
    sampledMs: ms(sampledUs),
    busyMs: ms(busyUs),
    samples: n,
    requests,
    topSelf: [...self.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ fn: e.cf.functionName || '(anonymous)', where: where(e.cf), selfMs: ms(e.us), selfPct: pct(e.us), usPerRequest: perReq(e.us) })),
    bySource: [...bySource.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([s, us]) => ({ source: s, selfMs: ms(us), pct: pct(us), usPerRequest: perReq(us) })),
    mainInclusive: [...total.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({
        fn: e.cf.functionName || '(anonymous)',
        where: where(e.cf),
        selfMs: ms(self.get(key(e.cf))?.us ?? 0),
        selfPct: pct(self.get(key(e.cf))?.us ?? 0),
        totalMs: ms(e.us),
        usPerRequest: perReq(e.us),
      })),
    byInnermostMain: [...byOwner.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([owner, o]) => ({
        owner,
        ms: ms(o.us),
        pct: pct(o.us),
        usPerRequest: perReq(o.us),
        topSelf: [...o.self.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([n, us]) => `${n} ${pct(us)}%`)
          .join(', '),
      })),
  }
}

/** For samples outside main/: the outermost JS function under the event loop that led here. */
function stackHint(node: ProfileNode, parent: Map<number, number>, byId: Map<number, ProfileNode>): string {
  const names: string[] = []
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const cf = (byId.get(id) as ProfileNode).callFrame
    if (cf.functionName === '(root)') break
    if (cf.url) names.push(cf.functionName || '(anonymous)')
  }
  return names.length ? `via ${names.at(-1)}` : ''
}

export function formatSummary(s: ProfileSummary): string {
  const lines: string[] = []
  const pr = (x: number | undefined) => (x === undefined ? '' : x.toFixed(2).padStart(8))
  lines.push(`profile ${s.file}`)
  lines.push(`  ${s.samples} samples, ${s.busyMs} ms busy of ${s.sampledMs} ms sampled${s.requests ? `, ${s.requests} requests → ${((s.busyMs * 1000) / s.requests).toFixed(1)} µs busy per request` : ''}`)
  lines.push('')
  lines.push(`  Top self time${s.requests ? '                                                       µs/req' : ''}`)
  for (const f of s.topSelf) {
    lines.push(`  ${f.selfPct.toFixed(1).padStart(5)}%  ${f.fn.slice(0, 38).padEnd(38)} ${f.where.slice(-48).padEnd(48)} ${pr(f.usPerRequest)}`)
  }
  lines.push('')
  lines.push('  Self time by source')
  for (const b of s.bySource.slice(0, 20)) {
    lines.push(`  ${b.pct.toFixed(1).padStart(5)}%  ${b.source.slice(0, 70).padEnd(70)} ${pr(b.usPerRequest)}`)
  }
  lines.push('')
  lines.push('  main/ functions, inclusive (self + callees), µs per request')
  for (const f of s.mainInclusive) {
    const incl = s.busyMs > 0 && f.totalMs !== undefined ? ((f.totalMs / s.busyMs) * 100).toFixed(1) : '?'
    lines.push(`  ${incl.padStart(5)}% incl  ${f.selfPct.toFixed(1).padStart(5)}% self  ${f.fn.slice(0, 30).padEnd(30)} ${f.where.padEnd(42)} ${pr(f.usPerRequest)}`)
  }
  lines.push('')
  lines.push('  Charged to the innermost main/ function on the stack (callees in node:, natives, GC included), µs per request')
  for (const o of s.byInnermostMain) {
    lines.push(`  ${o.pct.toFixed(1).padStart(5)}%  ${o.owner.slice(0, 70).padEnd(70)} ${pr(o.usPerRequest)}   top: ${o.topSelf}`)
  }
  return lines.join('\n')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({
    options: { requests: { type: 'string' }, top: { type: 'string' } },
    allowPositionals: true,
  })
  const file = positionals[0]
  if (!file) {
    process.stderr.write('usage: npx node bench/profileSummary.ts FILE.cpuprofile [--requests N] [--top 25]\n')
    process.exit(2)
  }
  const s = summarizeProfile(file, { requests: values.requests ? Number(values.requests) : null, top: values.top ? Number(values.top) : 25 })
  process.stdout.write(formatSummary(s) + '\n')
}

type HeapNode = { callFrame: CallFrame; selfSize: number; id: number; children: HeapNode[] }
export type AllocationSummary = {
  file: string
  totalMB: number
  requests: number | null
  top: Array<{ fn: string; where: string; kb: number; pct: number; bytesPerRequest?: number }>
  byInnermostMain: Array<{ owner: string; kb: number; pct: number; bytesPerRequest?: number }>
}

/** Summarizes a sampling heap profile (allocations, collected ones included when sampled so). */
export function summarizeAllocations(file: string, opts: { requests?: number | null; top?: number; root?: string } = {}): AllocationSummary {
  if (opts.root) root = opts.root
  const p = JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode }
  const byFn = new Map<string, { cf: CallFrame; bytes: number }>()
  const byOwner = new Map<string, number>()
  let total = 0
  const walk = (n: HeapNode, owner: string | null) => {
    let own = owner
    const url = n.callFrame.url
    if (url.startsWith('file://') && !url.includes('/node_modules/')) {
      const rel = relative(root, fileURLToPath(url))
      if (rel.startsWith('main/') || rel.startsWith('preload/')) own = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame)}`
    }
    if (n.selfSize > 0) {
      total += n.selfSize
      const k = `${n.callFrame.functionName || '(anonymous)'}\u0000${where(n.callFrame)}`
      const e = byFn.get(k) ?? { cf: n.callFrame, bytes: 0 }
      e.bytes += n.selfSize
      byFn.set(k, e)
      const o = own ?? '(no main/ frame)'
      byOwner.set(o, (byOwner.get(o) ?? 0) + n.selfSize)
    }
    for (const c of n.children) walk(c, own)
  }
  walk(p.head, null)
  const requests = opts.requests ?? null
  const per = (b: number) => (requests ? Math.round(b / requests) : undefined)
  const pct = (b: number) => (total > 0 ? Math.round((b / total) * 1000) / 10 : 0)
  const top = opts.top ?? 20
  return {
    file,
    totalMB: Math.round((total / 2 ** 20) * 10) / 10,
    requests,
    top: [...byFn.values()]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, top)
      .map((e) => ({ fn: e.cf.functionName || '(anonymous)', where: where(e.cf), kb: Math.round(e.bytes / 1024), pct: pct(e.bytes), bytesPerRequest: per(e.bytes) })),
    byInnermostMain: [...byOwner.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([owner, b]) => ({ owner, kb: Math.round(b / 1024), pct: pct(b), bytesPerRequest: per(b) })),
  }
}

export function formatAllocations(s: AllocationSummary): string {
  const lines: string[] = []
  const pr = (x: number | undefined) => (x === undefined ? '' : String(x).padStart(8))
  lines.push(`allocations ${s.file}`)
  lines.push(`  ${s.totalMB} MB allocated (sampled estimate)${s.requests ? `, ${s.requests} requests → ${Math.round((s.totalMB * 2 ** 20) / s.requests)} bytes per request` : ''}`)
  lines.push(`  Top allocating functions                                                           bytes/req`)
  for (const f of s.top) lines.push(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.fn.slice(0, 34).padEnd(34)} ${f.where.slice(-44).padEnd(44)} ${pr(f.bytesPerRequest)}`)
  lines.push(`  Charged to the innermost main/ function on the stack                               bytes/req`)
  for (const o of s.byInnermostMain) lines.push(`  ${o.pct.toFixed(1).padStart(5)}%  ${o.owner.slice(0, 79).padEnd(79)} ${pr(o.bytesPerRequest)}`)
  return lines.join('\n')
}
