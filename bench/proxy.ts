/**
 * Bench-only reference: the smallest node:http reverse proxy that does what a passthrough gateway
 * cannot avoid (read the body, one keep-alive upstream request, relay status, headers and body), and
 * nothing else (no JSON, auth, routing or usage). Measured beside the gateway so the report can tell
 * Switchyard's own cost from the cost of one more Node HTTP hop on this machine.
 * argv[2]: JSON `{ upstreamUrl, upstreamKey }`. IPC like `bench/upstream.ts`.
 */
import http from 'node:http'

const { upstreamUrl, upstreamKey } = JSON.parse(process.argv[2] ?? '{}') as { upstreamUrl: string; upstreamKey: string }
const target = new URL(upstreamUrl)
const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 })

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
    const up = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${upstreamKey}` },
      },
      (ur) => {
        const headers: Record<string, string> = {}
        if (ur.headers['content-type']) headers['content-type'] = ur.headers['content-type']
        if (ur.headers['content-length']) headers['content-length'] = ur.headers['content-length']
        res.writeHead(ur.statusCode ?? 502, headers)
        if (!ur.headers['content-length']) res.flushHeaders()
        ur.on('data', (c: Buffer) => res.write(c))
        ur.on('end', () => res.end())
      },
    )
    up.on('error', () => res.destroy())
    up.end(body)
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
    process.exit(0)
  }
})
process.on('disconnect', () => process.exit(0))
