/**
 * Live model discovery: asks a provider's `/models` endpoint what it serves (OpenAI list format,
 * which Ollama, LM Studio, vLLM and llama.cpp also speak). Errors name the provider, never the key.
 */
import { endpointPath } from '../providers/provider.ts'
import type { RouteProvider } from '../routing/RoutingTable.ts'
import { ControlError } from './ControlError.ts'

export async function discoverModels(p: RouteProvider, timeoutMs = 10_000): Promise<string[]> {
  const ctx = { baseUrl: p.baseUrl, settings: p.settings }
  if (p.spec.staticModels) return p.spec.staticModels(ctx)
  if (!p.spec.endpoints.includes('models')) return p.spec.knownModels.map((m) => m.id)
  const url = p.baseUrl + endpointPath.models
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
  const body = (await res.json().catch(() => null)) as { data?: Array<{ id?: unknown }> } | null
  if (!body || !Array.isArray(body.data)) throw new ControlError('upstream_error', `@${p.slug}: model list is not in OpenAI's list format`)
  return body.data.flatMap((m) => (typeof m.id === 'string' ? [m.id] : []))
}
