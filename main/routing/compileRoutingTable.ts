/**
 * Reads the catalog (store + vault) and builds a fresh `RoutingTable`. Runs at start and after every
 * change made through the Control API; never on the request path.
 */
import { providerKind } from '../providers/registry.ts'
import type { KnownModel } from '../providers/provider.ts'
import type { Store } from '../store/Store.ts'
import type { Vault } from '../vault/openVault.ts'
import type { RouteKey, RouteProvider, RoutingTable } from './RoutingTable.ts'
import { azureEndpoint } from '../providers/azureOpenai.ts'
import { redact } from '../log.ts'
import type { Secret } from '../vault/Secret.ts'

export const defaultTimeoutMs = 10 * 60 * 1000

let version = 0

export function compileRoutingTable(store: Store, vault: Vault): RoutingTable {
  const integrations = new Map(store.integrations.list().map((i) => [i.id, i]))
  const discovered = store.providers.allDiscoveredModels()
  const providers = new Map<string, RouteProvider>()
  for (const p of store.providers.list()) {
    const integration = integrations.get(p.integrationId)
    const spec = integration && providerKind(integration.kind)
    if (!integration || !spec) continue
    const baseUrl =
      spec.id === 'azure-openai'
        ? azureEndpoint(integration.settings)
        : (integration.settings.baseUrl ?? spec.baseUrl)
    if (!baseUrl) continue
    const ctx = { baseUrl, settings: integration.settings }
    const prices = new Map<string, KnownModel>(spec.knownModels.map((m) => [m.id, m]))
    const models = new Set<string>([
      ...spec.knownModels.map((m) => m.id),
      ...(spec.staticModels?.(ctx) ?? []),
      ...(discovered.get(p.id) ?? []),
    ])
    providers.set(p.slug, {
      id: p.id,
      slug: p.slug,
      name: p.name,
      integrationId: integration.id,
      integrationSlug: integration.slug,
      spec,
      baseUrl: baseUrl.replace(/\/+$/, ''),
      settings: integration.settings,
      apiKey: readSecret(vault, integration.secretId),
      workspaceIds: integration.workspaceIds === null ? null : new Set(integration.workspaceIds),
      models,
      prices,
      timeoutMs: integration.settings.timeoutMs ?? defaultTimeoutMs,
    })
  }
  const keysByHash = new Map<string, RouteKey>()
  for (const k of store.apiKeys.list()) {
    keysByHash.set(k.hash, { id: k.id, name: k.name, workspaceId: k.workspaceId, revoked: k.revokedAt !== null })
  }
  const workspaces = new Map(store.workspaces.list().map((w) => [w.id, { slug: w.slug, archived: w.archivedAt !== null }]))
  return { version: ++version, providers, keysByHash, workspaces }
}

/** Secrets the gateway will use are registered with the logger, so none can reach a log line. */
function readSecret(vault: Vault, id: string | null): Secret | null {
  if (!id || !vault.has(id)) return null
  const secret = vault.get(id)
  redact(secret.reveal())
  return secret
}
