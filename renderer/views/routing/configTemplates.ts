/**
 * Starting points for a routing config, filled with the user's own providers: try in order,
 * spread by weight, or pick by request metadata.
 */
export type ConfigTemplate = { id: 'fallback' | 'loadbalance' | 'conditional'; label: string; config: Record<string, unknown> }

export function configTemplates(providers: string[], model = 'gpt-4o-mini'): ConfigTemplate[] {
  const [a = '@provider-a', b = providers[0] === undefined ? '@provider-b' : (providers[1] ?? providers[0])] = providers.map((p) => `@${p}`)
  return [
    {
      id: 'fallback',
      label: 'Fallback',
      config: { strategy: { mode: 'fallback', on_status_codes: [429, 500, 502, 503] }, targets: [{ provider: a, override_params: { model } }, { provider: b, override_params: { model } }] },
    },
    {
      id: 'loadbalance',
      label: 'Load balance',
      config: { strategy: { mode: 'loadbalance' }, targets: [{ provider: a, weight: 0.7 }, { provider: b, weight: 0.3 }] },
    },
    {
      id: 'conditional',
      label: 'Conditional',
      config: {
        strategy: { mode: 'conditional', conditions: [{ query: { 'metadata.tier': { $eq: 'pro' } }, then: 'pro' }], default: 'standard' },
        targets: [
          { name: 'pro', provider: a },
          { name: 'standard', provider: b },
        ],
      },
    },
  ]
}

/** A config's JSON for display, with any inline `api_key` masked (keeps the last four characters). */
export function maskedConfigText(config: unknown): string {
  return JSON.stringify(config, (k, v: unknown) => (k === 'api_key' && typeof v === 'string' ? `••••${v.slice(-4)}` : v), 2)
}
