/**
 * Saved routing configs: validated with the path of every offending field, versioned on each save,
 * addressable by id or slug (`x-portkey-config: <slug>`), live for the next request. Their `api_key`
 * values go into the vault (versions keep a reference) and come back masked (configSecrets.ts).
 */
import type { SavedConfig } from '../../preload/contract.ts'
import { ConfigSecretError, configSecretIds, maskConfigSecrets, sealConfigSecrets } from '../routing/config/configSecrets.ts'
import { loadConfig } from '../routing/config/loadConfig.ts'
import { providerReferences } from '../routing/config/providerReferences.ts'
import { ControlError } from './ControlError.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'

export function configHandlers(ctx: HandlerContext) {
  const { store, vault, changed } = ctx
  const masked = (c: SavedConfig): SavedConfig => ({ ...c, config: maskConfigSecrets(c.config) })
  function sealed(config: Record<string, unknown>, previous?: unknown): Record<string, unknown> {
    try {
      return sealConfigSecrets(config, vault, previous)
    } catch (err) {
      if (err instanceof ConfigSecretError) throw new ControlError('invalid_input', err.message, 'config')
      throw err
    }
  }

  function checked(config: unknown): Record<string, unknown> {
    const v = loadConfig(config)
    if (!v.ok) {
      const first = v.errors[0]
      const more = v.errors.length > 1 ? ` (and ${v.errors.length - 1} more)` : ''
      throw new ControlError('invalid_input', `config.${first?.path ?? ''}: ${first?.message ?? 'invalid'}${more}`.replace('config.:', 'config:'), `config.${first?.path ?? ''}`.replace(/\.$/, ''))
    }
    return config as Record<string, unknown>
  }

  function configOr404(id: string) {
    const c = store.configs.get(id)
    if (!c) throw new ControlError('not_found', `no config '${id}'`, 'id')
    return c
  }

  return {
    'configs:list': () => store.configs.list().map(masked),
    'configs:get': (a) => {
      const c = configOr404(a.id)
      if (a.version === undefined || a.version === c.version) return masked(c)
      const body = store.configs.version(c.id, a.version)
      if (!body) throw new ControlError('not_found', `config '${c.slug}' has no version ${a.version}`, 'version')
      return masked({ ...c, version: a.version, config: body })
    },
    'configs:create': (a) => {
      if (store.configs.get(a.slug)) throw new ControlError('conflict', `a config '${a.slug}' already exists`, 'slug')
      const c = store.configs.create({ slug: a.slug, name: a.name ?? a.slug, config: sealed(checked(a.config)) })
      changed('config created')
      return masked(c)
    },
    'configs:update': (a) => {
      const current = configOr404(a.id)
      if (a.slug && a.slug !== current.slug && store.configs.get(a.slug)) throw new ControlError('conflict', `a config '${a.slug}' already exists`, 'slug')
      const c = store.configs.update(current, {
        slug: a.slug ?? current.slug,
        name: a.name ?? current.name,
        config: a.config === undefined ? current.config : sealed(checked(a.config), current.config),
      })
      changed('config updated')
      return masked(c)
    },
    'configs:delete': (a) => {
      const c = configOr404(a.id)
      store.configs.delete(c.id)
      for (const id of configSecretIds(c.config)) vault.delete(id)
      changed('config deleted')
      return { deleted: true }
    },
    'configs:validate': (a) => {
      const v = loadConfig(a.config)
      // Warnings, not errors: the provider may well be created after the config.
      const warnings = providerReferences(a.config)
        .filter((r) => !store.providers.getBySlug(r.slug))
        .map((r) => ({ path: r.path, message: `no provider @${r.slug} exists yet; requests routed here will fail until it does` }))
      return v.ok ? { ok: true, errors: [], warnings } : { ok: false, errors: v.errors, warnings }
    },
  } satisfies Partial<Handlers>
}
