/**
 * Saved routing configs: validated with the path of every offending field, versioned on each save,
 * addressable by id or slug (`x-portkey-config: <slug>`), live for the next request.
 */
import { loadConfig } from '../routing/config/loadConfig.ts'
import { providerReferences } from '../routing/config/providerReferences.ts'
import { ControlError } from './ControlError.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'

export function configHandlers(ctx: HandlerContext) {
  const { store, changed } = ctx

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
    'configs:list': () => store.configs.list(),
    'configs:get': (a) => {
      const c = configOr404(a.id)
      if (a.version === undefined || a.version === c.version) return c
      const body = store.configs.version(c.id, a.version)
      if (!body) throw new ControlError('not_found', `config '${c.slug}' has no version ${a.version}`, 'version')
      return { ...c, version: a.version, config: body }
    },
    'configs:create': (a) => {
      if (store.configs.get(a.slug)) throw new ControlError('conflict', `a config '${a.slug}' already exists`, 'slug')
      const c = store.configs.create({ slug: a.slug, name: a.name ?? a.slug, config: checked(a.config) })
      changed('config created')
      return c
    },
    'configs:update': (a) => {
      const current = configOr404(a.id)
      if (a.slug && a.slug !== current.slug && store.configs.get(a.slug)) throw new ControlError('conflict', `a config '${a.slug}' already exists`, 'slug')
      const c = store.configs.update(current, {
        slug: a.slug ?? current.slug,
        name: a.name ?? current.name,
        config: a.config === undefined ? current.config : checked(a.config),
      })
      changed('config updated')
      return c
    },
    'configs:delete': (a) => {
      store.configs.delete(configOr404(a.id).id)
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
