/**
 * The catalog providers a routing config names, with the path of each mention: `provider: "@slug"`,
 * `virtual_key: "slug"` and an `override_params.model` of `@slug/model` (on a node naming no provider),
 * at any depth of `targets`.
 * A plain `provider` (`openai`) is a provider kind, not a catalog entry, and is not listed.
 */
export type ProviderReference = { path: string; slug: string }

export function providerReferences(config: unknown, path = ''): ProviderReference[] {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return []
  const node = config as Record<string, unknown>
  const at = (key: string) => (path ? `${path}.${key}` : key)
  const refs: ProviderReference[] = []
  if (typeof node.provider === 'string' && node.provider.startsWith('@')) refs.push({ path: at('provider'), slug: node.provider.slice(1) })
  if (typeof node.virtual_key === 'string' && node.virtual_key) refs.push({ path: at('virtual_key'), slug: node.virtual_key.replace(/^@/, '') })
  const params = node.override_params
  const model = params && typeof params === 'object' ? (params as Record<string, unknown>).model : undefined
  // A target that names its provider drops the `@slug/` of its model (attemptView.ts): no reference then.
  const namesProvider = Boolean(node.provider || node.virtual_key)
  if (!namesProvider && typeof model === 'string' && model.startsWith('@') && model.includes('/')) {
    refs.push({ path: at('override_params.model'), slug: model.slice(1, model.indexOf('/')) })
  }
  if (Array.isArray(node.targets)) node.targets.forEach((t, i) => refs.push(...providerReferences(t, `${path ? path + '.' : ''}targets[${i}]`)))
  return refs
}
