/**
 * Bench-only gateway process: starts Switchyard through `startSwitchyard` (the same core `serve`
 * runs), points integration `up` at the bench's mock upstream, creates the bench API key, and reports
 * over IPC. Run as its own process by `bench/run.ts` (optionally with `--cpu-prof`).
 * argv[2]: JSON `{ dataDir, upstreamUrl, key, setupOnly? }`.
 * IPC in:  `{ id, cmd: 'cpu' | 'mem' | 'flush' | 'stop' }`.
 * IPC out: `{ type: 'ready', url, pid }`, then `{ id, cpu, rss, mem?, pending?, rows? }` per command.
 * `stop` stops the gateway gracefully (usage flushed, database closed) and exits 0.
 */
import { startSwitchyard } from '../main/startSwitchyard.ts'

type Options = { dataDir: string; upstreamUrl: string; key: string; setupOnly?: boolean }
const opts = JSON.parse(process.argv[2] ?? '{}') as Options

const running = await startSwitchyard({ dataDir: opts.dataDir, port: 0, insecureKeyFile: true, adminToken: 'x'.repeat(24) })
if (!running.store.integrations.getBySlug('up')) {
  await running.control.invoke('integrations:create', {
    slug: 'up',
    kind: 'openai',
    apiKey: 'sk-bench-upstream-0123456789abcdef',
    settings: { baseUrl: `${opts.upstreamUrl}/v1` },
  })
  await running.control.invoke('keys:create', { name: 'bench', key: opts.key })
}
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

process.on('message', (m: { id?: number; cmd?: string }) => {
  const base = { id: m.id, cpu: process.cpuUsage(), rss: process.memoryUsage.rss() }
  if (m.cmd === 'cpu') process.send?.(base)
  else if (m.cmd === 'mem') process.send?.({ ...base, mem: process.memoryUsage() })
  else if (m.cmd === 'flush') {
    const pending = running.store.usageWriter.pending()
    running.store.usageWriter.flush()
    process.send?.({ ...base, pending, rows: running.store.usage.count() })
  } else if (m.cmd === 'stop') void stop()
})
process.on('SIGTERM', () => void stop())
process.on('disconnect', () => void stop())
