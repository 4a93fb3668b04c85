/**
 * The governance commands: archive workspaces, provision integrations to workspaces (on/off, limits,
 * auto-provisioning with default limits), model access per integration (allow, deny, auto-enable),
 * custom models and prices, API key settings, budgets and rate limits per scope, and their live
 * counters. Also wraps three catalog commands: `workspaces:create` (auto-provisioning),
 * `integrations:create` (workspace-created integrations) and `integrations:list|get` (filters).
 * Every mutation ends with `ctx.changed()`: a fresh routing table and reloaded limits.
 */
import type {
  ApiKeyDetails, Integration, LimitPolicy, LimitPolicyView, LimitScopeKind, ModelAccess, ModelPriceView, Provisioning,
} from '../../preload/contract.ts'
import type { Price } from '../limits/Price.ts'
import { priceInputFrom } from '../limits/priceInput.ts'
import { providerKind } from '../providers/registry.ts'
import type { PolicyScopeKind } from '../store/governanceRepo.ts'
import { ControlError } from './ControlError.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'
import type { catalogHandlers } from './catalogHandlers.ts'

type Catalog = ReturnType<typeof catalogHandlers>

export function governanceHandlers(ctx: HandlerContext, catalog: Catalog) {
  const { store, routes, deps, changed } = ctx
  const g = store.governance
  const now = () => deps.governance?.clock() ?? Date.now()

  const integrationOr404 = (idOrSlug: string) => {
    const i = store.integrations.get(idOrSlug) ?? store.integrations.getBySlug(idOrSlug)
    if (!i) throw new ControlError('not_found', `no integration '${idOrSlug}'`, 'integrationId')
    return i
  }
  const workspaceOr404 = (idOrSlug: string, path = 'workspaceId') => {
    const w = store.workspaces.get(idOrSlug) ?? store.workspaces.getBySlug(idOrSlug)
    if (!w) throw new ControlError('not_found', `no workspace '${idOrSlug}'`, path)
    return w
  }
  const keyOr404 = (id: string) => {
    const k = store.apiKeys.get(id)
    if (!k) throw new ControlError('not_found', `no API key '${id}'`, 'id')
    return k
  }

  /** A scope's canonical id (slugs accepted) and its label; provisioning ids are `<integration>/<workspace>`. */
  function resolveScope(kind: LimitScopeKind, id: string): { id: string; label: string } {
    switch (kind) {
      case 'integration': {
        const i = integrationOr404(id)
        return { id: i.id, label: `integration '${i.slug}'` }
      }
      case 'provider': {
        const p = store.providers.get(id) ?? store.providers.getBySlug(id.replace(/^@/, ''))
        if (!p) throw new ControlError('not_found', `no provider '${id}'`, 'id')
        return { id: p.id, label: `@${p.slug}` }
      }
      case 'workspace': {
        const w = workspaceOr404(id, 'id')
        return { id: w.id, label: `workspace '${w.slug}'` }
      }
      case 'apiKey': {
        const k = keyOr404(id)
        return { id: k.id, label: `API key '${k.name}'` }
      }
      case 'provisioning': {
        const [i = '', w = ''] = id.split('/')
        const integration = integrationOr404(i)
        const ws = workspaceOr404(w, 'id')
        return { id: `${integration.id}/${ws.id}`, label: `integration '${integration.slug}' in workspace '${ws.slug}'` }
      }
    }
  }

  /** Budgets without a start get "now", so totals and N-day periods keep a stable anchor. */
  function stamped(policy: LimitPolicy | null): LimitPolicy | null {
    if (!policy) return null
    const at = now()
    return { ...policy, budgets: policy.budgets?.map((b) => (b.startsAt === undefined ? { ...b, startsAt: at } : b)) }
  }

  function setPolicy(kind: PolicyScopeKind, id: string, policy: LimitPolicy | null | undefined): void {
    if (policy === undefined) return
    g.setPolicy(kind, id, stamped(policy), now())
  }

  function decorate(i: Integration): Integration {
    const f = g.integrationFlags(i.id)
    return { ...i, createdInWorkspaceId: f.createdInWorkspaceId, autoProvision: i.workspaceIds === null || f.autoProvision }
  }

  function provisioning(integrationId: string): Provisioning {
    const i = integrationOr404(integrationId)
    const defaultLimits = g.policy('provisioningDefault', i.id)
    return {
      integrationId: i.id,
      autoProvision: i.workspaceIds === null || g.integrationFlags(i.id).autoProvision,
      defaultLimits,
      workspaces: store.workspaces.list().filter((w) => w.archivedAt === null).map((w) => {
        const enabled = i.workspaceIds === null || i.workspaceIds.includes(w.id)
        const own = g.policy('provisioning', `${i.id}/${w.id}`)
        return { workspaceId: w.id, slug: w.slug, enabled, limits: own ?? (enabled ? defaultLimits : null), usesDefaultLimits: own === null && enabled && defaultLimits !== null }
      }),
    }
  }

  function listedModels(integrationId: string): Map<string, ModelAccess['models'][number]['source']> {
    const i = integrationOr404(integrationId)
    const spec = providerKind(i.kind)
    const out = new Map<string, ModelAccess['models'][number]['source']>()
    for (const m of spec?.knownModels ?? []) out.set(m.id, 'known')
    for (const p of store.providers.list(i.id)) {
      const route = routes.current().providers.get(p.slug)
      if (spec?.staticModels && route) for (const m of spec.staticModels({ baseUrl: route.baseUrl, settings: i.settings })) out.set(m, 'deployment')
      for (const m of store.providers.discoveredModels(p.id)) if (!out.has(m)) out.set(m, 'discovered')
    }
    for (const c of g.customModels(i.id)) if (c.kind !== 'override') out.set(c.model, 'custom')
    return out
  }

  function modelAccess(integrationId: string): ModelAccess {
    const i = integrationOr404(integrationId)
    const states = g.modelAccess(i.id)
    const autoEnableNew = g.integrationFlags(i.id).autoEnableModels
    const listed = listedModels(i.id)
    for (const m of states.keys()) if (!listed.has(m)) listed.set(m, 'known')
    return {
      integrationId: i.id,
      autoEnableNew,
      models: [...listed].sort(([a], [b]) => a.localeCompare(b)).map(([model, source]) => ({
        model, source, enabled: states.get(model) ?? autoEnableNew, explicit: states.has(model),
      })),
    }
  }

  function keyDetails(id: string): ApiKeyDetails {
    const { hash: _h, ...k } = keyOr404(id)
    return { ...k, ...g.keySettings(k.id), limits: g.policy('apiKey', k.id) }
  }

  return {
    'workspaces:create': async (a) => {
      const w = await catalog['workspaces:create'](a)
      let added = false
      for (const i of store.integrations.list()) {
        if (i.workspaceIds === null || !g.integrationFlags(i.id).autoProvision) continue
        store.integrations.update({ ...i, workspaceIds: [...i.workspaceIds, w.id] })
        added = true
      }
      if (added) changed('workspace auto-provisioned')
      return w
    },
    'workspaces:archive': (a) => {
      const w = workspaceOr404(a.id, 'id')
      if (w.isDefault && a.archived !== false) throw new ControlError('invalid_input', 'the default workspace cannot be archived', 'id')
      g.setWorkspaceArchived(w.id, a.archived === false ? null : now())
      changed(a.archived === false ? 'workspace restored' : 'workspace archived')
      return workspaceOr404(w.id, 'id')
    },

    'integrations:create': async (a) => {
      const { workspaceId, ...rest } = a
      const ws = workspaceId === undefined ? null : workspaceOr404(workspaceId)
      const created = await catalog['integrations:create'](ws && rest.workspaceIds === undefined ? { ...rest, workspaceIds: [ws.id] } : rest)
      if (ws) g.setIntegrationFlags(created.id, { createdInWorkspaceId: ws.id })
      return decorate(created)
    },
    'integrations:get': (a) => decorate(catalog['integrations:get'](a)),
    'integrations:list': (a) => {
      const all = catalog['integrations:list']().map(decorate)
      const filter = a.filter ?? 'all'
      if (filter === 'all' && !a.workspaceId) return all
      if (!a.workspaceId) throw new ControlError('invalid_input', `filter '${filter}' needs a workspaceId`, 'workspaceId')
      const ws = workspaceOr404(a.workspaceId).id
      if (filter === 'workspace') return all.filter((i) => i.createdInWorkspaceId === ws)
      if (filter === 'connected') return all.filter((i) => i.workspaceIds === null || i.workspaceIds.includes(ws))
      return all
    },

    'limits:get': (a): LimitPolicyView => {
      const s = resolveScope(a.scope, a.id)
      return { scope: a.scope, id: s.id, label: s.label, policy: g.policy(a.scope, s.id) }
    },
    'limits:set': (a): LimitPolicyView => {
      const s = resolveScope(a.scope, a.id)
      setPolicy(a.scope, s.id, a.policy)
      changed('limits updated')
      return { scope: a.scope, id: s.id, label: s.label, policy: g.policy(a.scope, s.id) }
    },
    'limits:status': (a) => {
      const governance = deps.governance
      if (!governance) return []
      const id = a.scope && a.id ? resolveScope(a.scope, a.id).id : a.id
      return governance.governor.status(now(), { ...(a.scope ? { kind: a.scope } : {}), ...(id ? { id } : {}) })
    },
    'limitSettings:get': () => g.settings(),
    'limitSettings:set': (a) => {
      const next = { ...g.settings(), ...a }
      if (deps.governance) deps.governance.setSettings(next)
      else g.setSettings(next)
      changed('limit settings updated')
      return g.settings()
    },

    'provisioning:list': (a) => provisioning(a.integrationId),
    'provisioning:set': (a) => {
      const i = integrationOr404(a.integrationId)
      const w = workspaceOr404(a.workspaceId)
      if (a.enabled !== undefined) {
        let ids = i.workspaceIds
        if (ids === null && !a.enabled) {
          // From "every workspace" to a list: new workspaces keep getting it (auto-provision).
          ids = store.workspaces.list().map((x) => x.id).filter((x) => x !== w.id)
          g.setIntegrationFlags(i.id, { autoProvision: true })
        } else if (ids !== null) {
          ids = a.enabled ? [...new Set([...ids, w.id])] : ids.filter((x) => x !== w.id)
        }
        if (ids !== i.workspaceIds) store.integrations.update({ ...i, workspaceIds: ids })
      }
      setPolicy('provisioning', `${i.id}/${w.id}`, a.limits)
      changed('provisioning updated')
      return provisioning(i.id)
    },
    'provisioning:setDefaults': (a) => {
      const i = integrationOr404(a.integrationId)
      if (a.autoProvision !== undefined) {
        g.setIntegrationFlags(i.id, { autoProvision: a.autoProvision })
        // "Every workspace" implies new ones; turning auto-provisioning off keeps today's workspaces only.
        if (!a.autoProvision && i.workspaceIds === null) store.integrations.update({ ...i, workspaceIds: store.workspaces.list().map((w) => w.id) })
      }
      setPolicy('provisioningDefault', i.id, a.defaultLimits)
      changed('provisioning defaults updated')
      return provisioning(i.id)
    },

    'modelAccess:get': (a) => modelAccess(a.integrationId),
    'modelAccess:set': (a) => {
      const i = integrationOr404(a.integrationId)
      const changes: Array<[string, boolean]> = []
      if (a.all === 'enable' || a.all === 'disable') for (const m of listedModels(i.id).keys()) changes.push([m, a.all === 'enable'])
      for (const m of a.enable ?? []) changes.push([m, true])
      for (const m of a.disable ?? []) changes.push([m, false])
      g.setModelAccess(i.id, changes, a.all === 'reset')
      if (a.autoEnableNew !== undefined) g.setIntegrationFlags(i.id, { autoEnableModels: a.autoEnableNew })
      changed('model access updated')
      return modelAccess(i.id)
    },

    'customModels:list': (a) => g.customModels(integrationOr404(a.integrationId).id),
    'customModels:upsert': (a) => {
      const i = integrationOr404(a.integrationId)
      const existing = g.customModels(i.id).find((m) => m.model === a.model)
      g.upsertCustomModel(
        {
          integrationId: i.id,
          model: a.model,
          kind: a.kind ?? existing?.kind ?? 'private',
          price: a.price !== undefined ? a.price : (existing?.price ?? null),
          maxInputTokens: a.maxInputTokens !== undefined ? a.maxInputTokens : (existing?.maxInputTokens ?? null),
          maxOutputTokens: a.maxOutputTokens !== undefined ? a.maxOutputTokens : (existing?.maxOutputTokens ?? null),
        },
        now(),
      )
      changed('custom model saved')
      const saved = g.customModels(i.id).find((m) => m.model === a.model)
      if (!saved) throw new ControlError('internal_error', 'custom model was not saved')
      return saved
    },
    'customModels:delete': (a) => {
      const i = integrationOr404(a.integrationId)
      if (!g.customModels(i.id).some((m) => m.model === a.model)) throw new ControlError('not_found', `no custom model '${a.model}' on '${i.slug}'`, 'model')
      g.deleteCustomModel(i.id, a.model)
      changed('custom model deleted')
      return { deleted: true }
    },

    'pricing:list': (a) => {
      const slug = a.providerSlug.replace(/^@/, '')
      const route = routes.current().providers.get(slug)
      if (!route) throw new ControlError('not_found', `no provider @${slug}`, 'providerSlug')
      const models = a.models ?? [...route.models].sort()
      return models.map((model): ModelPriceView => {
        const p = route.prices.get(model) as Price | undefined
        return {
          providerSlug: slug,
          model,
          price: p ? { ...priceInputFrom(p), ...(p.tiers ? { tiers: p.tiers.map((t) => ({ aboveInputTokens: t.aboveInputTokens, ...priceInputFrom(t.prices) })) } : {}) } : null,
          source: p && 'source' in p ? p.source : null,
          maxInputTokens: p?.maxInputTokens ?? null,
          maxOutputTokens: p?.maxOutputTokens ?? route.maxOutputTokens?.get(model) ?? null,
        }
      })
    },
    'pricing:setIntegration': (a) => {
      const i = integrationOr404(a.integrationId)
      g.setIntegrationFlags(i.id, { price: a.price })
      changed('integration price updated')
      return { integrationId: i.id, price: g.integrationFlags(i.id).price }
    },

    'keys:get': (a) => keyDetails(a.id),
    'keys:update': (a) => {
      const k = keyOr404(a.id)
      for (const [n, s] of (a.providerSlugs ?? []).entries()) {
        if (!store.providers.getBySlug(s.replace(/^@/, ''))) throw new ControlError('not_found', `no provider @${s.replace(/^@/, '')}`, `providerSlugs[${n}]`)
      }
      const cur = g.keySettings(k.id)
      g.setKeySettings(k.id, {
        expiresAt: a.expiresAt !== undefined ? a.expiresAt : cur.expiresAt,
        scopes: a.scopes !== undefined ? a.scopes : cur.scopes,
        providerSlugs: a.providerSlugs !== undefined ? (a.providerSlugs?.map((s) => s.replace(/^@/, '')) ?? null) : cur.providerSlugs,
        defaultMetadata: a.defaultMetadata !== undefined ? a.defaultMetadata : cur.defaultMetadata,
        defaultConfig: a.defaultConfig !== undefined ? a.defaultConfig : cur.defaultConfig,
      })
      if (a.name !== undefined) g.renameKey(k.id, a.name)
      setPolicy('apiKey', k.id, a.limits)
      changed('key updated')
      return keyDetails(k.id)
    },
  } satisfies Partial<Handlers>
}
