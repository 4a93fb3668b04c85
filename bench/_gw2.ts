/**
 * Bench-only gateway process: starts Switchyard through `startSwitchyard` (the same core `serve`
 * runs), points integrations `up` (OpenAI) and `anth` (Anthropic) at the bench's mock upstream,
 * creates the bench API key, and reports
 * over IPC. Run as its own process by `bench/run.ts` (optionally with `--cpu-prof`).
 * argv[2]: JSON `{ dataDir, upstreamUrl, key, setupOnly?, usageWrites? }`.
 * IPC in:  `{ id, cmd: 'cpu' | 'mem' | 'flush' | 'stop' | 'alloc-start' | 'alloc-stop', arg? }`.
 * IPC out: `{ type: 'ready', url, pid }`, then `{ id, cpu, rss, mem?, pending?, rows? }` per command.
 * `mem` runs a full GC first when started with --expose-gc (retained heap, for leak checks).
 * `alloc-start` / `alloc-stop` (arg: output file) sample every allocation, collected or not, through
 * the inspector (what drives GC), and write the sampling heap profile.
 * `stop` stops the gateway gracefully (usage flushed, database closed) and exits 0.
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { startSwitchyard } from '../main/startSwitchyard.ts'
import type { UsageWrites } from '../main/store/UsageWriter.ts'

type Options = { dataDir: string; upstreamUrl: string; key: string; setupOnly?: boolean; usageWrites?: UsageWrites }
const opts = JSON.parse(process.argv[2] ?? '{}') as Options

const running = await startSwitchyard({ dataDir: opts.dataDir, port: 0, insecureKeyFile: true, adminToken: 'x'.repeat(24), ...(opts.usageWrites ? { usageWrites: opts.usageWrites } : {}) })
for (const [slug, kind, apiKey] of [
  ['up', 'openai', 'sk-bench-upstream-0123456789abcdef'],
  ['anth', 'anthropic', 'sk-ant-bench-0123456789abcdef'],
] as const) {
  if (running.store.integrations.getBySlug(slug)) continue
  await running.control.invoke('integrations:create', { slug, kind, apiKey, settings: { baseUrl: `${opts.upstreamUrl}/v1` } })
}
if (!running.store.apiKeys.getByKey(opts.key)) await running.control.invoke('keys:create', { name: 'bench', key: opts.key })
if (opts.setupOnly) {
  await running.stop()
  process.exit(0)
}

process.send?.({ type: 'ready', url: running.url, pid: process.pid })

let stopping = false
async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  await running.stop()
  process.exit(0)
}

let inspector: Session | null = null
async function allocStart(): Promise<void> {
  inspector = new Session()
  inspector.connect()
  await inspector.post('HeapProfiler.enable')
  await inspector.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  })
}
async function allocStop(file: string): Promise<void> {
  if (!inspector) return
  const { profile } = await inspector.post('HeapProfiler.stopSampling')
  writeFileSync(file, JSON.stringify(profile))
  inspector.disconnect()
  inspector = null
}

process.on('message', (m: { id?: number; cmd?: string; arg?: string }) => {
  const base = { id: m.id, cpu: process.cpuUsage(), rss: process.memoryUsage.rss() }
  if (m.cmd === 'cpu') process.send?.(base)
  else if (m.cmd === 'mem') {
    ;(globalThis as { gc?: () => void }).gc?.()
    process.send?.({ ...base, rss: process.memoryUsage.rss(), mem: process.memoryUsage() })
  } else if (m.cmd === 'alloc-start') void allocStart().then(() => process.send?.(base))
  else if (m.cmd === 'alloc-stop') void allocStop(m.arg ?? 'alloc.heapprofile').then(() => process.send?.(base))
  else if (m.cmd === 'flush') {
    const pending = running.store.usageWriter.pending()
    running.store.usageWriter.flush()
    process.send?.({ ...base, pending, rows: running.store.usage.count() })
  } else if (m.cmd === 'stop') void stop()
})
process.on('SIGTERM', () => void stop())
process.on('disconnect', () => void stop())
import { writeHeapSnapshot } from 'node:v8'
process.on('message', (m: { id?: number; cmd?: string; arg?: string }) => { if (m.cmd === 'snap') { writeHeapSnapshot(m.arg); process.send?.({ id: m.id }) } })
