/**
 * `GET /v1/models` naming a provider kind (`x-portkey-provider: ollama`, usually with
 * `x-portkey-custom-host`): the upstream's own list, fetched with the caller's credentials in the
 * provider's form (`resolveRoute`'s ad-hoc route, custom host checked and pinned as for any call),
 * in OpenAI's list format (server.ts reshapes it for Anthropic callers). Catalog providers are listed
 * from the routing snapshot instead (`listModels.ts`).
 */
import http from 'node:http'
import https from 'node:https'
import type { HostResolver } from '../network/upstreamHost.ts'
import type { RoutingTable } from '../routing/RoutingTable.ts'
import { providerKind } from '../providers/registry.ts'
import { GatewayError } from './GatewayError.ts'
import type { OpenAIModelList } from './listModels.ts'
import { header } from './parse.ts'
import { pinCustomHost } from './pinCustomHost.ts'
import { resolveRoute } from './resolveRoute.ts'
import type { Call, Client, GatewayRequest } from './types.ts'

const TIMEOUT_MS = 30_000
const MAX_BYTES = 8 * 1024 * 1024

/** The request names a provider kind rather than a catalog `@slug` or virtual key. */
export function namesProviderKind(req: Pick<GatewayRequest, 'headers'>): boolean {
  const named = header(req, 'x-portkey-provider')
  return !!named && !named.startsWith('@') && header(req, 'x-portkey-virtual-key') === undefined
}

export async function listUpstreamModels(req: Pick<GatewayRequest, 'headers'>, client: Client, table: RoutingTable, resolveHost?: HostResolver): Promise<OpenAIModelList> {
  const kind = header(req, 'x-portkey-provider') ?? ''
  const spec = providerKind(kind)
  // The list in the kind's own dialect: Anthropic's models endpoint is Anthropic's.
  const dialect = spec?.dialect === 'anthropic' ? 'anthropic' : 'openai'
  const call: Call = { endpoint: 'models', dialect, body: {}, model: undefined, stream: false, clientWantsStreamUsage: false, metadata: null, traceId: '' }
  const route = resolveRoute(call, client, req, table)
  const pin = await pinCustomHost(route, resolveHost)
  // Anthropic pages its list (20 by default); one page of its maximum holds every model it has.
  const { status, body } = await get(dialect === 'anthropic' ? `${route.url}?limit=1000` : route.url, route.headers, pin)
  const origin = new URL(route.url).origin
  if (status >= 400) throw new GatewayError('upstream_error', `${route.spec.name} at ${origin} answered HTTP ${status} to GET /models`, { status })
  const data = (body as { data?: unknown } | null)?.data
  if (!Array.isArray(data)) throw new GatewayError('upstream_error', `${route.spec.name} at ${origin} answered GET /models without a model list`)
  const list: OpenAIModelList = { object: 'list', data: [] }
  for (const m of data as Array<Record<string, unknown>>) {
    if (typeof m?.id !== 'string') continue
    const created = typeof m.created === 'number' ? m.created : typeof m.created_at === 'string' ? Math.floor(Date.parse(m.created_at) / 1000) || 0 : 0
    list.data.push({ id: m.id, object: 'model', created, owned_by: typeof m.owned_by === 'string' ? m.owned_by : kind })
  }
  return list
}

function get(url: string, headers: Record<string, string>, pin: http.RequestOptions | null): Promise<{ status: number; body: unknown }> {
  const u = new URL(url)
  return new Promise((resolve, reject) => {
    const request = (u.protocol === 'https:' ? https : http).request(u, { method: 'GET', headers: { accept: 'application/json', ...headers }, ...pin }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size > MAX_BYTES) request.destroy(new GatewayError('upstream_error', `${u.origin} sent a model list larger than ${MAX_BYTES} bytes`))
        else chunks.push(c)
      })
      res.on('end', () => {
        let body: unknown = null
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        } catch {
          // not JSON: reported as no list
        }
        resolve({ status: res.statusCode ?? 502, body })
      })
      res.on('error', reject)
    })
    request.setTimeout(TIMEOUT_MS, () => request.destroy(new GatewayError('upstream_timeout', `${u.origin} did not list its models within ${TIMEOUT_MS} ms`)))
    request.on('error', (err: NodeJS.ErrnoException) =>
      reject(err instanceof GatewayError ? err : new GatewayError('provider_unreachable', `could not reach ${u.origin}: ${err.code ?? err.message}`)),
    )
    request.end()
  })
}
