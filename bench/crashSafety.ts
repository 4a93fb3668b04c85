/**
 * Crash-safety bench: `node bench/crashSafety.ts [--rounds 7] [--requests 5000] [--per-turn 1,4,16]`.
 *
 * What keeping every answered call through `kill -9` costs per request, against the former design
 * (rows queued and written in one transaction every 100 ms, lost if the process dies in between), in
 * the same run, on a real SQLite file in WAL mode with synchronous=NORMAL (no fsync per commit):
 *   - batch:   today's batching (the former default): enqueue, one transaction per 100 ms worth of rows
 *   - commit:  one small transaction per row straight into `usage` (and its indexes)
 *   - journal: each row committed as one JSON value to an index-free journal table before the answer's
 *              last byte, moved into `usage` in batches
 *   - file:    the design chosen: each row appended as one JSON line to a journal file before the
 *              answer's last byte, the rows of one event-loop turn in one write() (group commit), moved
 *              into `usage` in batches (store/UsageWriter.ts)
 * One process, no sockets: the request path's own work (parse → authenticate → resolveRoute →
 * recordUsage with a canned outcome) plus the writer. Requests come in event-loop turns of
 * `--per-turn` calls each (1: one request at a time, the worst case for group commit; 16: a saturated
 * gateway ends several calls per turn), each turn ending as the loop's does (the journal's write runs,
 * then the answers that waited for it). Rounds rotate the order; figures are medians: CPU µs per
 * request (process.cpuUsage, flushes included) and p50 of each request's own time.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { authenticate } from '../main/gateway/authenticate.ts'
import { parse } from '../main/gateway/parse.ts'
import { recordUsage } from '../main/gateway/recordUsage.ts'
import { resolveRoute } from '../main/gateway/resolveRoute.ts'
import type { GatewayRequest, Outcome } from '../main/gateway/types.ts'
import { compileRoutingTable } from '../main/routing/compileRoutingTable.ts'
import { openStore, type Store } from '../main/store/Store.ts'
import { keyFileStore } from '../main/vault/keyFileStore.ts'
import { openVault } from '../main/vault/openVault.ts'

const { values: argv } = parseArgs({ options: { rounds: { type: 'string' }, requests: { type: 'string' }, 'per-turn': { type: 'string' } } })
const PER_TURN = (argv['per-turn'] ?? '1,16').split(',').map((x) => Math.max(1, Number(x) || 1))
const ROUNDS = Math.max(3, Math.min(31, Number(argv.rounds ?? 7)))
const REQUESTS = Math.max(500, Math.min(100_000, Number(argv.requests ?? 5000)))
/** Rows per batch transaction in the batch designs: what 100 ms holds at a few thousand requests a second. */
const BATCH = 250

const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-crash-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

type Design = 'batch' | 'commit' | 'journal' | 'file'
const stores: Record<Design, Store> = {
  batch: openStore(join(dir, 'batch.db'), { usageWrites: 'batch' }),
  commit: openStore(join(dir, 'commit.db'), { usageWrites: 'commit' }),
  journal: openStore(join(dir, 'journal.db'), { usageWrites: 'journal' }),
  file: openStore(join(dir, 'file.db'), { usageWrites: 'file' }),
}
const setup = stores.commit
const vault = await openVault({ db: setup.db, keyStore: keyFileStore(join(dir, 'vault.key')) })
vault.put('up:apiKey', 'sk-bench-0123456789abcdef')
const integ = setup.integrations.create({ slug: 'up', name: 'up', kind: 'openai', settings: { baseUrl: 'http://127.0.0.1:9/v1' }, secretId: 'up:apiKey', secretHint: null, workspaceIds: null })
setup.providers.create({ slug: 'up', name: 'up', integrationId: integ.id })
const key = 'sy-bench-crash-0123456789abcdefghijklmnop'
setup.apiKeys.create({ name: 'bench', workspaceId: setup.workspaces.ensureDefault().id, key })
const table = compileRoutingTable(setup, vault)

const body = Buffer.from(JSON.stringify({ model: '@up/gpt-4o', messages: [{ role: 'user', content: 'Hello! How can I help you today?' }], max_tokens: 64 }))
const req: GatewayRequest = { method: 'POST', path: '/v1/chat/completions', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body, receivedAt: Date.now(), startedAt: 0 }
const outcome: Outcome = { status: 200, usage: { inputTokens: 19, outputTokens: 10, cachedTokens: 0 }, ttfbMs: 3, latencyMs: 5, error: null }

const turnEnd = () => new Promise<void>((resolve) => setImmediate(resolve))

async function run(design: Design, n: number, perTurn: number): Promise<{ cpu: number; p50: number }> {
  const writer = stores[design].usageWriter
  const times = new Float64Array(n)
  const start = process.cpuUsage()
  for (let i = 0; i < n; ) {
    // One event-loop turn: `perTurn` calls end, each answer waits for its row (UsageWriter.afterJournal).
    let answered = 0
    const turn = Math.min(perTurn, n - i)
    for (let k = 0; k < turn; k++, i++) {
      const t0 = performance.now()
      const call = parse(req, 'chat')
      const client = authenticate(req, table, req.receivedAt)
      const route = resolveRoute(call, client, req, table)
      recordUsage(outcome, { req, call, client, route, endpoint: req.path }, writer)
      writer.afterJournal(() => void answered++)
      times[i] = performance.now() - t0
      if (design !== 'commit' && (i + 1) % BATCH === 0) writer.flush()
    }
    await turnEnd()
    if (answered !== turn) throw new Error(`${design}: ${turn - answered} answers still wait for the journal after the turn`)
  }
  writer.flush()
  const d = process.cpuUsage(start)
  times.sort()
  return { cpu: (d.user + d.system) / n, p50: (times[n >> 1] as number) * 1000 }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

const designs: Design[] = ['batch', 'commit', 'journal', 'file']
for (const d of designs) await run(d, 500, 1) // warm-up
console.log(`crash-safety bench: ${ROUNDS} rounds × ${REQUESTS} requests, SQLite WAL synchronous=NORMAL, batches of ${BATCH}`)
for (const perTurn of PER_TURN) {
  const results: Record<Design, { cpu: number[]; p50: number[] }> = { batch: { cpu: [], p50: [] }, commit: { cpu: [], p50: [] }, journal: { cpu: [], p50: [] }, file: { cpu: [], p50: [] } }
  for (let r = 0; r < ROUNDS; r++) {
    const order = [...designs.slice(r % designs.length), ...designs.slice(0, r % designs.length)]
    for (const d of order) {
      const x = await run(d, REQUESTS, perTurn)
      results[d].cpu.push(x.cpu)
      results[d].p50.push(x.p50)
    }
  }
  const base = median(results.batch.cpu)
  console.log(`${perTurn} call${perTurn === 1 ? '' : 's'} ending per event-loop turn:`)
  for (const d of designs) {
    const cpu = median(results[d].cpu)
    const verdict = d === 'file' ? `  target ≤ +5 µs: ${cpu - base <= 5 ? 'PASS' : 'MISS'}` : ''
    console.log(`  ${d.padEnd(8)} ${cpu.toFixed(2).padStart(7)} µs CPU/request  p50 ${median(results[d].p50).toFixed(2).padStart(6)} µs  (${(cpu / base).toFixed(2)}× batch, +${(cpu - base).toFixed(2)} µs)${verdict}`)
  }
}
for (const s of Object.values(stores)) s.close()
