/**
 * Connection options for a per-request custom host: the host is resolved and checked
 * (`checkUpstreamHost`), then the request may only connect to the vetted addresses (`pinnedLookup`),
 * so a DNS answer that changes between the check and the connect (rebinding) is never used.
 * Custom hosts get their own keep-alive agents, replaced whenever the network settings change: a
 * pooled socket was always opened to an address the current settings let through.
 */
import http from 'node:http'
import https from 'node:https'
import { checkUpstreamHost, pinnedLookup, type HostResolver } from '../network/upstreamHost.ts'
import { refuseSelf } from './hops.ts'
import type { Route } from './types.ts'

let agents: { key: string; http: http.Agent; https: https.Agent } | null = null

function agentsFor(key: string) {
  if (agents?.key !== key) {
    // Idle sockets of the previous agents close after `timeout`; requests in flight finish.
    const options = { keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000, timeout: 30_000 }
    agents = { key, http: new http.Agent(options), https: new https.Agent(options) }
  }
  return agents
}

/** `lookup` and `agent` for `http.request`, or null for a catalog route (trusted, no DNS here). */
export async function pinCustomHost(route: Route, resolve?: HostResolver): Promise<http.RequestOptions | null> {
  if (!route.customHost) return null
  const vetted = await checkUpstreamHost(route.customHost.url, route.customHost.policy, resolve)
  const u = new URL(route.url)
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80))
  for (const a of vetted.addresses) refuseSelf(a.address, port)
  const pool = agentsFor(route.customHost.policy.key)
  return { lookup: pinnedLookup(vetted), agent: route.url.startsWith('https:') ? pool.https : pool.http }
}
