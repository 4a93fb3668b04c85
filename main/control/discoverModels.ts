/**
 * Live model discovery: asks a provider's `/models` endpoint what it serves (OpenAI list format,
 * which Ollama, LM Studio, vLLM and llama.cpp also speak, or the provider's own reader for other
 * shapes, as Gemini's). Errors name the provider, never the key.
 */
import { endpointPath } from '../providers/provider.ts'
import type { RouteProvider } from '../routing/RoutingTable.ts'
import { ControlError } from './ControlError.ts'

export async function discoverModels(p: RouteProvider, timeoutMs = 10_000): Promise<string[]> {
  const ctx = { baseUrl: p.baseUrl, settings: p.settings }
  if (p.spec.staticModels) return p.spec.staticModels(ctx)
  if (!p.spec.endpoints.includes('models')) return p.spec.knownModels.map((m) => m.id)
  // Lists in another shape (Gemini's paged `models`): the provider reads them, through the same fetch.
  if (p.spec.listModels) return p.spec.listModels((path) => getJson(p, p.baseUrl + path, timeoutMs))
  const body = (await getJson(p, p.baseUrl + endpointPath.models, timeoutMs)) as { data?: Array<{ id?: unknown }> } | null
  if (!body || !Array.isArray(body.data)) throw new ControlError('upstream_error', `@${p.slug}: model list is not in OpenAI's list format`)
  return body.data.flatMap((m) => (typeof m.id === 'string' ? [m.id] : []))
}

async function getJson(p: RouteProvider, url: string, timeoutMs: number): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json', ...(p.apiKey ? p.spec.authHeaders(p.apiKey.reveal()) : {}), ...p.settings.headers },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    })
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'could not connect'
    throw new ControlError('upstream_error', `@${p.slug}: model list from ${new URL(url).origin} failed: ${reason}`)
  }
  if (!res.ok) throw new ControlError('upstream_error', `@${p.slug}: model list returned HTTP ${res.status}`)
  return res.json().catch(() => null)
}
