/**
 * Bench-only reference: the bare proxy of `bench/proxy.ts` plus only the work any gateway that keeps
 * Switchyard's promises must do for a passthrough call, done the way Switchyard does it, and nothing
 * else: find the caller's key (a map lookup), parse the request body (JSON, for the model), forward the
 * caller's bytes (through the gateway's own upstream client, network/http1Client.ts), read the answer's usage, and record a usage row that survives `kill -9` (the real
 * UsageWriter: journal file with group commit, batched insert into the real `usage` table and its
 * indexes). No routing table, limits, guardrails, configs, scrubbing or response headers of its own.
 * Measured beside the gateway so the report can say how much of the gap to the bare proxy is the work
 * itself rather than how Switchyard does the rest.
 * argv[2]: JSON `{ upstreamUrl, upstreamKey, dataDir, key }`. IPC like `bench/upstream.ts`.
 */
import { mkdirSync } from 'node:fs'
import http from 'node:http'
import { join } from 'node:path'
import { lastTopLevelMember, NOT_FOUND, parseJsonBytes } from '../main/gateway/jsonBytes.ts'
import { http1Request } from '../main/network/http1Client.ts'
import { usageFromOpenAI } from '../main/dialects/openai/usage.ts'
import { openStore } from '../main/store/Store.ts'

const { upstreamUrl, upstreamKey, dataDir, key } = JSON.parse(process.argv[2] ?? '{}') as { upstreamUrl: string; upstreamKey: string; dataDir: string; key: string }
const target = new URL(upstreamUrl)
const upstream = { secure: false, hostname: target.hostname, port: Number(target.port) }
mkdirSync(dataDir, { recursive: true })
const store = openStore(join(dataDir, 'floor.db'))
const keys = new Map([[key, { id: 'key_floor', workspaceId: 'ws_floor' }]])

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const receivedAt = Date.now()
    const startedAt = performance.now()
    const caller = keys.get((req.headers.authorization ?? '').slice(7))
    if (!caller) return void res.writeHead(401).end()
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
    const model = (parseJsonBytes(body) as { model?: string }).model ?? null
    let upstreamStatus = 502
    // Upstream through the gateway's own HTTP/1.1 client (network/http1Client.ts), as the gateway does.
    const answer: Buffer[] = []
    http1Request(upstream, 'POST', req.url ?? '/', ['host', target.host, 'content-type', 'application/json', 'content-length', String(body.length), 'authorization', `Bearer ${upstreamKey}`], [body], {
      head(status) {
        upstreamStatus = status
      },
      data(c) {
        answer.push(c)
      },
      end() {
        const out = answer.length === 1 ? (answer[0] as Buffer) : Buffer.concat(answer)
        const u = lastTopLevelMember(out, 'usage')
        const usage = (u === NOT_FOUND ? null : usageFromOpenAI(u)) ?? { inputTokens: null, outputTokens: null, cachedTokens: null }
        store.usageWriter.enqueue({
          createdAt: receivedAt, workspaceId: caller.workspaceId, apiKeyId: caller.id, providerSlug: 'up', model, endpoint: req.url ?? '',
          status: upstreamStatus, stream: false, latencyMs: Math.round(performance.now() - startedAt), ttfbMs: null,
          inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cachedTokens: usage.cachedTokens, costMicros: null,
          metadata: null, traceId: `floor-${receivedAt}-${Math.random()}`, error: null, admitted: false, guardrails: null,
        })
        // The last byte waits for the row's journal write, as in the gateway.
        store.usageWriter.afterJournal(() => res.writeHead(upstreamStatus, { 'content-type': 'application/json', 'content-length': String(out.length) }).end(out))
      },
      error() {
        res.destroy()
      },
    })
  })
})
server.keepAliveTimeout = 120_000
server.headersTimeout = 121_000

server.listen(0, '127.0.0.1', () => {
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}`, pid: process.pid })
})

process.on('message', (m: { id?: number; cmd?: string }) => {
  if (m.cmd === 'cpu') process.send?.({ id: m.id, cpu: process.cpuUsage(), rss: process.memoryUsage.rss() })
  else if (m.cmd === 'stop') {
    server.close()
    server.closeAllConnections()
    store.close()
    process.exit(0)
  }
})
process.on('disconnect', () => process.exit(0))
