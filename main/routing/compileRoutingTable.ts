/**
 * Reads the catalog (store + vault) and builds a fresh `RoutingTable`. Runs at start and after every
 * change made through the Control API; never on the request path.
 */
import { createPriceBook, type ModelSetting } from '../limits/createPriceBook.ts'
import { priceSetFrom } from '../limits/priceInput.ts'
import { selfHostedBase } from '../providers/provider.ts'
import { providerKind } from '../providers/registry.ts'
import type { Store } from '../store/Store.ts'
import type { Vault } from '../vault/openVault.ts'
import type { RouteKey, RouteProvider, RoutingTable } from './RoutingTable.ts'
import { log, redact } from '../log.ts'
import { revealConfigSecrets } from './config/configSecrets.ts'
import { isVaultError } from '../vault/VaultError.ts'
import { compileAliases } from './compileAliases.ts'
import { loadConfig, type LoadedConfig } from './config/loadConfig.ts'
import type { Secret } from '../vault/Secret.ts'
import { compileGuardrails, type CompiledGuardrails } from '../guardrails/guardrails.ts'
import { compileUpstreamPolicy } from '../network/upstreamHost.ts'
import { readNetworkSettings } from '../network/networkSettings.ts'
import { readAttributionSettings } from '../attribution/attributionSettings.ts'
import { readAppSettings } from '../settings/appSettings.ts'

export const defaultTimeoutMs = 10 * 60 * 1000

let version = 0

export function compileRoutingTable(store: Store, vault: Vault): RoutingTable {
  const integrations = new Map(store.integrations.list().map((i) => [i.id, i]))
  const discovered = store.providers.allDiscoveredModels()
  const access = store.governance.allModelAccess()
  const custom = new Map<string, Map<string, ModelSetting & { kind: string }>>()
  for (const m of store.governance.allCustomModels()) {
    const byModel = custom.get(m.integrationId) ?? new Map<string, ModelSetting & { kind: string }>()
    byModel.set(m.model, {
      kind: m.kind,
      ...(m.price ? { price: priceSetFrom(m.price) } : {}),
      ...(m.maxInputTokens !== null ? { maxInputTokens: m.maxInputTokens } : {}),
      ...(m.maxOutputTokens !== null ? { maxOutputTokens: m.maxOutputTokens } : {}),
    })
    custom.set(m.integrationId, byModel)
  }
  const providers = new Map<string, RouteProvider>()
  for (const p of store.providers.list()) {
    const integration = integrations.get(p.integrationId)
    const spec = integration && providerKind(integration.kind)
    if (!integration || !spec) continue
    const baseUrl = spec.settings?.baseUrl ? spec.settings.baseUrl(integration.settings) : (integration.settings.baseUrl ?? spec.baseUrl)
    if (!baseUrl) continue
    const ctx = { baseUrl, settings: integration.settings }
    const own = custom.get(integration.id) ?? new Map<string, ModelSetting & { kind: string }>()
    const flags = store.governance.integrationFlags(integration.id)
    const prices = createPriceBook({
      kind: spec.id,
      ...(spec.catalogId ? { catalogId: spec.catalogId } : {}),
      category: spec.category,
      integrationSlug: integration.slug,
      builtin: spec.knownModels,
      models: own,
      integration: flags.price ? priceSetFrom(flags.price) : null,
    })
    const models = new Set<string>([
      ...spec.knownModels.map((m) => m.id),
      ...(spec.staticModels?.(ctx) ?? []),
      ...(discovered.get(p.id) ?? []),
      ...[...own].filter(([, m]) => m.kind !== 'override').map(([id]) => id),
    ])
    const maxOutputTokens = new Map<string, number>()
    for (const [id, m] of own) if (m.maxOutputTokens !== undefined) maxOutputTokens.set(id, m.maxOutputTokens)
    providers.set(p.slug, {
      id: p.id,
      slug: p.slug,
      name: p.name,
      integrationId: integration.id,
      integrationSlug: integration.slug,
      spec,
      baseUrl: selfHostedBase(spec, baseUrl.replace(/\/+$/, '')),
      settings: integration.settings,
      apiKey: readSecret(vault, integration.secretId),
      workspaceIds: integration.workspaceIds === null ? null : new Set(integration.workspaceIds),
      models,
      prices,
      timeoutMs: integration.settings.timeoutMs ?? defaultTimeoutMs,
      modelAccess: { autoEnableNew: flags.autoEnableModels, states: access.get(integration.id) ?? new Map() },
      maxOutputTokens,
    })
  }
  const keysByHash = new Map<string, RouteKey>()
  for (const k of store.apiKeys.list()) {
    const g = store.governance.keySettings(k.id)
    keysByHash.set(k.hash, {
      id: k.id,
      name: k.name,
      workspaceId: k.workspaceId,
      revoked: k.revokedAt !== null,
      expiresAt: g.expiresAt,
      scopes: g.scopes && new Set(g.scopes),
      providerSlugs: g.providerSlugs && new Set(g.providerSlugs),
      defaultMetadata: g.defaultMetadata,
      defaultConfig: compileStoredConfig(g.defaultConfig, `API key '${k.name}' default config`),
    })
  }
  const workspaces = new Map(store.workspaces.list().map((w) => [w.id, { slug: w.slug, archived: w.archivedAt !== null }]))
  const stored = store.aliases.all()
  const aliases = {
    byKey: new Map([...stored.byKey].map(([id, list]) => [id, compileAliases(list)] as const)),
    byWorkspace: new Map([...stored.byWorkspace].map(([id, list]) => [id, compileAliases(list)] as const)),
  }
  const network = compileUpstreamPolicy(readNetworkSettings(store.db))
  const guardrails = compileWorkspaceGuardrails(store)
  const configs = new Map<string, LoadedConfig>()
  for (const c of store.configs.list()) {
    const plan = compileStoredConfig(revealedConfig(c.config, vault, c.slug), `config '${c.slug}'`)
    if (plan) configs.set(c.id, plan).set(c.slug, plan)
  }
  const attribution = readAttributionSettings(store.db).enabled
  const bodyCapture = readAppSettings(store.db).bodyCapture
  return { version: ++version, providers, keysByHash, workspaces, aliases, network, guardrails, configs, attribution, bodyCapture }
}

/** A config whose vault key is gone (it cannot be, short of a hand-edited database) is left out, not the whole table. */
function revealedConfig(config: unknown, vault: Vault, slug: string): unknown {
  try {
    return revealConfigSecrets(config, vault)
  } catch (err) {
    if (!isVaultError(err)) throw err
    log.error(`config '${slug}' refers to a key the vault cannot give; ignored until it is saved with the key again`, { error: err })
    return null
  }
}

/** Secrets the gateway will use are registered with the logger, so none can reach a log line. */
function readSecret(vault: Vault, id: string | null): Secret | null {
  if (!id || !vault.has(id)) return null
  const secret = vault.get(id)
  redact(secret.reveal())
  return secret
}

/** Guardrails by workspace, compiled now so the request path only looks them up. Sets were checked when saved. */
function compileWorkspaceGuardrails(store: Store): Map<string, CompiledGuardrails> {
  const out = new Map<string, CompiledGuardrails>()
  for (const [workspaceId, set] of store.guardrails.all()) {
    try {
      const compiled = compileGuardrails(set)
      if (compiled.input.length || compiled.output.length) out.set(workspaceId, compiled)
    } catch (err) {
      log.error('guardrails of a workspace could not be compiled; none apply', { workspaceId, error: err })
    }
  }
  return out
}

/** Saved configs were validated when saved; one that no longer validates is logged and skipped, never half-applied. */
function compileStoredConfig(json: unknown, what: string): LoadedConfig | null {
  if (json === null || json === undefined) return null
  const v = loadConfig(json)
  if (!v.ok) {
    log.error(`${what} is not a valid config; ignored`, { errors: v.errors.slice(0, 3) })
    return null
  }
  return v.config
}
