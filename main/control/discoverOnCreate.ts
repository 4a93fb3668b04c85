/**
 * A new integration of a kind with no built-in model list (OpenAI-compatible servers: Ollama, LM
 * Studio, vLLM, llama.cpp, any compatible URL) asks the server for its models right away, as *Refresh*
 * would, so `models:list` and bare model names work at once. Best effort and short: a server that is
 * down or slow does not fail the creation (the list stays empty until *Refresh*).
 */
import { log } from '../log.ts'
import type { HandlerContext } from './createControlService.ts'
import { discoverModels } from './discoverModels.ts'

export const DISCOVER_ON_CREATE_MS = 3_000

export async function discoverOnCreate(ctx: Pick<HandlerContext, 'store' | 'routes' | 'changed'>, integrationId: string, slug: string): Promise<void> {
  const provider = ctx.store.providers.getBySlug(slug)
  const route = ctx.routes.current().providers.get(slug)
  if (!provider || provider.integrationId !== integrationId || !route) return
  if (route.spec.knownModels.length > 0 || route.spec.staticModels || !route.spec.endpoints.includes('models')) return
  try {
    ctx.store.providers.replaceDiscoveredModels(provider.id, await discoverModels(route, DISCOVER_ON_CREATE_MS))
    ctx.changed('models discovered')
  } catch (err) {
    log.info('model discovery at creation failed; use Refresh later', { provider: slug, reason: (err as Error).message })
  }
}
