/**
 * The catalog providers a routing config names, with the path of each mention: `provider: "@slug"`
 * and `virtual_key: "slug"`, at any depth of `targets`. A plain `provider` (`openai`) is a provider
 * kind, not a catalog entry; a `@slug/` on an `override_params.model` is dropped by the target's own
 * provider (attemptView.ts), which every target must name, so neither is listed.
 */
export type ProviderReference = { path: string; slug: string }

export function providerReferences(config: unknown, path = ''): ProviderReference[] {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return []
  const node = config as Record<string, unknown>
  const at = (key: string) => (path ? `${path}.${key}` : key)
  const refs: ProviderReference[] = []
  if (typeof node.provider === 'string' && node.provider.startsWith('@')) refs.push({ path: at('provider'), slug: node.provider.slice(1) })
  if (typeof node.virtual_key === 'string' && node.virtual_key) refs.push({ path: at('virtual_key'), slug: node.virtual_key.replace(/^@/, '') })
  if (Array.isArray(node.targets)) node.targets.forEach((t, i) => refs.push(...providerReferences(t, at(`targets[${i}]`))))
  return refs
}
