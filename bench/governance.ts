/**
 * Governance overhead bench: `npx node bench/governance.ts [--rounds 9] [--requests 20000]`.
 *
 * One process, no sockets: the request path's own CPU work, parse → authenticate → resolveRoute →
 * enforceLimits → recordUsage (a canned upstream outcome, a no-op usage writer), with 1,000 API keys
 * and 1,000 @slug providers (100 integrations × 10), 20 workspaces, and limits on every scope a call
 * crosses: integration, provisioning (default limits), provider, workspace and API key, each with a
 * USD and a token budget, requests- and tokens-per-minute limits and a concurrency limit, plus
 * per-model access rules. Measured against the same path with governance off (no limits, no model
 * rules). Rounds alternate on/off; every figure is the median of the rounds, as a ratio and as CPU
 * microseconds added per request (process.cpuUsage). The budget the issue sets: ≤ 20 µs.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { LimitPolicy } from '../preload/contract.ts'
import { authenticate } from '../main/gateway/authenticate.ts'
import { enforceLimits, type GovernanceDeps } from '../main/gateway/enforceLimits.ts'
import { parse } from '../main/gateway/parse.ts'
import { recordUsage } from '../main/gateway/recordUsage.ts'
import { resolveRoute } from '../main/gateway/resolveRoute.ts'
import type { GatewayRequest, Outcome } from '../main/gateway/types.ts'
import { createGovernance } from '../main/limits/createGovernance.ts'
import { compileRoutingTable } from '../main/routing/compileRoutingTable.ts'
import type { RoutingTable } from '../main/routing/RoutingTable.ts'
import { openStore } from '../main/store/Store.ts'
import type { UsageWriter } from '../main/store/UsageWriter.ts'
import { keyFileStore } from '../main/vault/keyFileStore.ts'
import { openVault } from '../main/vault/openVault.ts'

const { values: argv } = parseArgs({ options: { rounds: { type: 'string' }, requests: { type: 'string' } } })
const ROUNDS = Math.max(3, Math.min(31, Number(argv.rounds ?? 9)))
const REQUESTS = Math.max(1000, Math.min(200_000, Number(argv.requests ?? 20_000)))
const KEYS = 1000
const INTEGRATIONS = 100
const PROVIDERS_PER_INTEGRATION = 10
const WORKSPACES = 20

const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-gov-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
const log = (msg: string) => process.stderr.write(`  · ${msg}\n`)

// ---------------------------------------------------------------------------------------------------
// setup: a store with 1,000 keys and 1,000 providers, all limited

const store = openStore(join(dir, 'switchyard.db'))
const vault = await openVault({ db: store.db, keyStore: keyFileStore(join(dir, 'vault.key')) })
const policy: LimitPolicy = {
  budgets: [
    { unit: 'usd', limitMicros: 1e15, period: { kind: 'monthly' } },
    { unit: 'tokens', limitTokens: 1e15, period: { kind: 'weekly' } },
  ],
  rateLimits: [
    { unit: 'requests', limit: 1e12, per: 'minute' },
    { unit: 'tokens', limit: 1e15, per: 'minute' },
  ],
  maxConcurrent: 1_000_000,
}
const now = Date.now()
const workspaces = Array.from({ length: WORKSPACES }, (_, i) => (i === 0 ? store.workspaces.ensureDefault() : store.workspaces.create({ slug: `ws-${i}`, name: `ws ${i}` })))
const slugs: string[] = []
store.db.transaction(() => {
  for (let i = 0; i < INTEGRATIONS; i++) {
    const secretId = `bench-int-${i}:apiKey`
    vault.put(secretId, `sk-bench-${i}-0123456789abcdef`)
    const integ = store.integrations.create({ slug: `int-${i}`, name: `int ${i}`, kind: 'openai', settings: { baseUrl: 'http://127.0.0.1:9/v1' }, secretId, secretHint: null, workspaceIds: null })
    store.governance.setPolicy('integration', integ.id, policy, now)
    store.governance.setPolicy('provisioningDefault', integ.id, policy, now)
    store.governance.setModelAccess(integ.id, [['gpt-4o', true], ['gpt-4o-mini', true], ['o3', false], ['gpt-4.1', false]], false)
    for (let j = 0; j < PROVIDERS_PER_INTEGRATION; j++) {
      const p = store.providers.create({ slug: `p-${i}-${j}`, name: `p ${i} ${j}`, integrationId: integ.id })
      store.governance.setPolicy('provider', p.id, policy, now)
      slugs.push(p.slug)
    }
  }
  for (const w of workspaces) store.governance.setPolicy('workspace', w.id, policy, now)
})()
const keys: Array<{ key: string; id: string }> = []
store.db.transaction(() => {
  for (let k = 0; k < KEYS; k++) {
    const key = `sy-bench-${String(k).padStart(6, '0')}-0123456789abcdefghijklmnop`
    const rec = store.apiKeys.create({ name: `key ${k}`, workspaceId: (workspaces[k % WORKSPACES] as { id: string }).id, key })
    store.governance.setPolicy('apiKey', rec.id, policy, now)
    keys.push({ key, id: rec.id })
  }
})()
const governance = createGovernance(store)
const governed = compileRoutingTable(store, vault)
const counters = governance.governor.status(Date.now()).length
log(`${KEYS} keys, ${slugs.length} providers, ${INTEGRATIONS} integrations, ${WORKSPACES} workspaces; ${counters} live counters`)

/** The same table with the per-model rules removed: the "governance off" path. */
const plain: RoutingTable = {
  ...governed,
  providers: new Map([...governed.providers].map(([s, p]) => [s, { ...p, modelAccess: undefined }])),
}

// ---------------------------------------------------------------------------------------------------
// the request path, in process

const requests: GatewayRequest[] = Array.from({ length: 4096 }, (_, i) => {
  const k = keys[(i * 7919) % KEYS] as { key: string }
  const slug = slugs[(i * 104_729) % slugs.length] as string
  const body = Buffer.from(JSON.stringify({ model: `@${slug}/gpt-4o`, messages: [{ role: 'user', content: 'Hello! How can I help you today?' }], max_tokens: 64 }))
  return { method: 'POST', path: '/v1/chat/completions', headers: { authorization: `Bearer ${k.key}`, 'content-type': 'application/json' }, body, receivedAt: Date.now(), startedAt: 0 }
})
const outcome: Outcome = { status: 200, usage: { inputTokens: 19, outputTokens: 10, cachedTokens: 0 }, ttfbMs: 3, latencyMs: 5, error: null }
const writer: UsageWriter = { enqueue() {}, afterJournal: (then) => then(), flush() {}, close() {}, pending: () => 0, onWritten() {} }

function run(n: number, table: RoutingTable, limits: GovernanceDeps | undefined): number {
  const start = process.cpuUsage()
  for (let i = 0; i < n; i++) {
    const req = requests[i & 4095] as GatewayRequest
    const call = parse(req, 'chat')
    const client = authenticate(req, table, req.receivedAt)
    const route = resolveRoute(call, client, req, table)
    const lease = enforceLimits(route, call, client, req, table, limits)
    recordUsage(outcome, { req, call, client, route, endpoint: req.path, lease }, writer)
  }
  const d = process.cpuUsage(start)
  return (d.user + d.system) / n
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

run(REQUESTS, governed, governance)
run(REQUESTS, plain, undefined)
const on: number[] = []
const off: number[] = []
for (let r = 0; r < ROUNDS; r++) {
  if (r % 2 === 0) {
    on.push(run(REQUESTS, governed, governance))
    off.push(run(REQUESTS, plain, undefined))
  } else {
    off.push(run(REQUESTS, plain, undefined))
    on.push(run(REQUESTS, governed, governance))
  }
}
const added = on.map((x, i) => x - (off[i] as number))
const ratios = on.map((x, i) => x / (off[i] as number))
const status = governance.governor.status(Date.now())
if (!status.every((c) => c.kind !== 'concurrency' || c.used === 0)) throw new Error('a lease was not settled')

const fmt = (x: number) => x.toFixed(2)
console.log(`governance bench: ${ROUNDS} rounds × ${REQUESTS} requests, ${KEYS} keys, ${slugs.length} providers, 5 limited scopes per call (${counters} counters)`)
console.log(`  request path with governance:    ${fmt(median(on))} µs CPU per request (median)`)
console.log(`  same path without limits:        ${fmt(median(off))} µs CPU per request (median)`)
console.log(`  ratio:                           ${median(ratios).toFixed(3)}×`)
console.log(`  governance adds:                 ${fmt(median(added))} µs per request (median; rounds ${added.map(fmt).join(', ')})`)
console.log(`  budget ≤ 20 µs:                  ${median(added) <= 20 ? 'met' : 'NOT met'}`)
store.close()
