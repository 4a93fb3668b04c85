/**
 * The catalog's commands: status, provider kinds, workspaces, integrations (credentials into the
 * vault), @slug providers, models, API keys, usage reads and setup files. Every mutation ends with
 * `ctx.changed()`, which swaps in a fresh routing table.
 */
import type { AIProvider, Integration, ModelEntry, ProviderKind } from '../../preload/contract.ts'
import { providerKind, providerKinds } from '../providers/registry.ts'
import { generateApiKey } from '../store/apiKeysRepo.ts'
import type { IntegrationRecord } from '../store/integrationsRepo.ts'
import { applyConfig } from './applyConfig.ts'
import { ControlError } from './ControlError.ts'
import { discoverModels } from './discoverModels.ts'
import { discoverOnCreate } from './discoverOnCreate.ts'
import { integrationSecret } from './integrationSecret.ts'
import { validateIntegration } from './validateIntegration.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'

const publicIntegration = ({ secretId: _secretId, ...i }: IntegrationRecord): Integration => i

export function catalogHandlers(ctx: HandlerContext) {
  const { store, vault, routes, deps, changed, invoke } = ctx

  function integrationOr404(id: string): IntegrationRecord {
    const i = store.integrations.get(id) ?? store.integrations.getBySlug(id)
    if (!i) throw new ControlError('not_found', `no integration '${id}'`)
    return i
  }

  function providerOr404(id: string): AIProvider {
    const p = store.providers.get(id) ?? store.providers.getBySlug(id)
    if (!p) throw new ControlError('not_found', `no provider '${id}'`)
    return p
  }

  function workspaceOr404(id: string) {
    const w = store.workspaces.get(id) ?? store.workspaces.getBySlug(id)
    if (!w) throw new ControlError('not_found', `no workspace '${id}'`)
    return w
  }

  function checkWorkspaces(ids: string[] | null | undefined): string[] | null {
    if (ids === undefined || ids === null) return null
    return ids.map((w) => workspaceOr404(w).id)
  }

  function modelsOf(p: AIProvider): ModelEntry[] {
    const spec = providerKind(p.kind)
    const route = routes.current().providers.get(p.slug)
    if (!spec) return []
    const prices = new Map(spec.knownModels.map((m) => [m.id, m]))
    const integration = store.integrations.get(p.integrationId)
    const deployments = new Set(spec.staticModels && integration && route ? spec.staticModels({ baseUrl: route.baseUrl, settings: integration.settings }) : [])
    const discovered = new Set(store.providers.discoveredModels(p.id))
    const all = new Set([...spec.knownModels.map((m) => m.id), ...deployments, ...discovered])
    return [...all].sort().map((model) => {
      const price = prices.get(model)
      return {
        providerSlug: p.slug,
        model,
        source: deployments.has(model) ? 'deployment' : discovered.has(model) ? 'discovered' : 'known',
        inputPriceMicrosPerMTok: spec.category === 'self-hosted' ? 0 : (price?.inputPrice ?? null),
        outputPriceMicrosPerMTok: spec.category === 'self-hosted' ? 0 : (price?.outputPrice ?? null),
      }
    })
  }

  return {
    'system:status': () => ({
      version: deps.status.version,
      gatewayUrl: deps.status.gatewayUrl(),
      vaultBackend: vault.backend,
      warnings: [...vault.warnings, ...deps.status.warnings()],
      dataDir: deps.status.dataDir,
    }),

    'providerKinds:list': () =>
      [...providerKinds.values()].map(
        (s): ProviderKind => ({ id: s.id, name: s.name, category: s.category, defaultBaseUrl: s.baseUrl, needsApiKey: s.needsApiKey, docs: s.docs }),
      ),

    'workspaces:list': () => store.workspaces.list(),
    'workspaces:create': (a) => {
      if (store.workspaces.getBySlug(a.slug)) throw new ControlError('conflict', `a workspace '${a.slug}' already exists`, 'slug')
      const w = store.workspaces.create({ slug: a.slug, name: a.name ?? a.slug })
      changed('workspace created')
      return w
    },
    'workspaces:update': (a) => {
      const w = workspaceOr404(a.id)
      if (a.slug && a.slug !== w.slug && store.workspaces.getBySlug(a.slug)) {
        throw new ControlError('conflict', `a workspace '${a.slug}' already exists`, 'slug')
      }
      store.workspaces.update({ id: w.id, slug: a.slug ?? w.slug, name: a.name ?? w.name })
      changed('workspace updated')
      return workspaceOr404(w.id)
    },

    'integrations:list': () => store.integrations.list().map(publicIntegration),
    'integrations:get': (a) => publicIntegration(integrationOr404(a.id)),
    'integrations:create': async (a) => {
      const spec = providerKind(a.kind)
      if (!spec) {
        throw new ControlError('invalid_input', `unknown provider kind '${a.kind}' (kinds: ${[...providerKinds.keys()].join(', ')})`, 'kind')
      }
      if (store.integrations.getBySlug(a.slug)) throw new ControlError('conflict', `an integration '${a.slug}' already exists`, 'slug')
      const settings = a.settings ?? {}
      const secret = integrationSecret(spec, a)
      validateIntegration(spec, settings, secret !== undefined, secret?.text)
      const workspaceIds = checkWorkspaces(a.workspaceIds)
      const record = store.db.transaction(() => {
        const created = store.integrations.create({
          slug: a.slug,
          name: a.name ?? spec.name,
          kind: spec.id,
          settings,
          secretId: null,
          secretHint: null,
          workspaceIds,
        })
        let result = created
        if (secret !== undefined) {
          const secretId = `${created.id}:apiKey`
          vault.put(secretId, secret.text)
          result = store.integrations.update({ ...created, secretId, credentialHint: secret.hint })
        }
        // "Create once, use at once": an @slug provider with the integration's slug, when that slug is free.
        if (!store.providers.getBySlug(a.slug)) store.providers.create({ slug: a.slug, name: a.name ?? spec.name, integrationId: created.id })
        return result
      })()
      changed('integration created')
      await discoverOnCreate(ctx, record.id, a.slug)
      return publicIntegration(store.integrations.get(record.id) ?? record)
    },
    'integrations:update': (a) => {
      const current = integrationOr404(a.id)
      const spec = providerKind(current.kind)
      if (!spec) throw new ControlError('invalid_input', `unknown provider kind '${current.kind}'`, 'kind')
      if (a.slug && a.slug !== current.slug && store.integrations.getBySlug(a.slug)) {
        throw new ControlError('conflict', `an integration '${a.slug}' already exists`, 'slug')
      }
      const settings = a.settings ?? current.settings
      const secret = integrationSecret(spec, a)
      validateIntegration(spec, settings, secret !== undefined || current.hasCredential, secret?.text)
      const next: IntegrationRecord = {
        ...current,
        slug: a.slug ?? current.slug,
        name: a.name ?? current.name,
        settings,
        workspaceIds: a.workspaceIds === undefined ? current.workspaceIds : checkWorkspaces(a.workspaceIds),
      }
      const saved = store.db.transaction(() => {
        if (secret !== undefined) {
          const secretId = current.secretId ?? `${current.id}:apiKey`
          vault.put(secretId, secret.text)
          next.secretId = secretId
          next.credentialHint = secret.hint
        }
        return store.integrations.update(next)
      })()
      changed('integration updated')
      return publicIntegration(saved)
    },
    'integrations:delete': (a) => {
      const current = integrationOr404(a.id)
      store.db.transaction(() => {
        if (current.secretId) vault.delete(current.secretId)
        store.integrations.delete(current.id)
      })()
      changed('integration deleted')
      return { deleted: true }
    },

    'providers:list': (a) => store.providers.list(a.integrationId ? integrationOr404(a.integrationId).id : undefined),
    'providers:create': (a) => {
      const integration = integrationOr404(a.integrationId)
      if (store.providers.getBySlug(a.slug)) throw new ControlError('conflict', `a provider @${a.slug} already exists`, 'slug')
      const p = store.providers.create({ slug: a.slug, name: a.name ?? a.slug, integrationId: integration.id })
      changed('provider created')
      return p
    },
    'providers:update': (a) => {
      const p = providerOr404(a.id)
      if (a.slug && a.slug !== p.slug && store.providers.getBySlug(a.slug)) {
        throw new ControlError('conflict', `a provider @${a.slug} already exists`, 'slug')
      }
      const saved = store.providers.update({ id: p.id, slug: a.slug ?? p.slug, name: a.name ?? p.name })
      changed('provider updated')
      return saved
    },
    'providers:delete': (a) => {
      store.providers.delete(providerOr404(a.id).id)
      changed('provider deleted')
      return { deleted: true }
    },

    'models:list': (a) => {
      const table = routes.current()
      const ws = a.workspaceId ? workspaceOr404(a.workspaceId).id : undefined
      const providers = a.providerSlug ? [providerOr404(a.providerSlug)] : store.providers.list()
      return providers
        .filter((p) => {
          const r = table.providers.get(p.slug)
          return !ws || !r?.workspaceIds || r.workspaceIds.has(ws)
        })
        .flatMap(modelsOf)
    },
    'models:refresh': async (a) => {
      const p = providerOr404(a.providerSlug)
      const route = routes.current().providers.get(p.slug)
      if (!route) throw new ControlError('invalid_input', `provider @${p.slug} is not routable (check its integration's base URL)`)
      const models = await discoverModels(route)
      store.providers.replaceDiscoveredModels(p.id, models)
      changed('models discovered')
      return modelsOf(p)
    },

    'keys:list': (a) => store.apiKeys.list(a.workspaceId ? workspaceOr404(a.workspaceId).id : undefined).map(({ hash: _h, ...k }) => k),
    'keys:create': (a) => {
      const workspace = a.workspaceId ? workspaceOr404(a.workspaceId) : store.workspaces.ensureDefault()
      const key = a.key ?? generateApiKey()
      if (store.apiKeys.getByKey(key)) throw new ControlError('conflict', 'that key value is already in use', 'key')
      const { hash: _h, ...created } = store.apiKeys.create({ name: a.name, workspaceId: workspace.id, key })
      changed('key created')
      return { ...created, key }
    },
    'keys:revoke': (a) => {
      const k = store.apiKeys.get(a.id)
      if (!k) throw new ControlError('not_found', `no API key '${a.id}'`)
      store.apiKeys.revoke(k.id)
      changed('key revoked')
      const { hash: _h, ...revoked } = store.apiKeys.get(k.id) as NonNullable<typeof k>
      return revoked
    },

    'usage:query': (a) => {
      store.usageWriter.flush() // a query right after a request should see it
      return store.usage.query(a)
    },
    'usage:summary': (a) => {
      store.usageWriter.flush()
      return store.usage.summary(a)
    },

    'config:apply': (a) =>
      applyConfig(a.document, {
        invoke,
        store,
        env: { ...(deps.env ?? process.env), ...a.env },
        secretMatches: (secretId, value) => vault.has(secretId) && vault.get(secretId).reveal() === value,
      }),
  } satisfies Partial<Handlers>
}
