/**
 * Reads every limit policy from the store and names its scope for people ("workspace 'ide'",
 * "@openai-prod", "API key 'ci'"), expanding an integration's default provisioning limits into one
 * policy per workspace it is provisioned to. Runs at start and after Control API changes, never per request.
 */
import type { LimitPolicy } from '../../preload/contract.ts'
import type { Store } from '../store/Store.ts'
import type { GovernorConfig, ScopeRef } from './createGovernor.ts'

export function compileLimits(store: Store): GovernorConfig {
  const settings = store.governance.settings()
  const integrations = new Map(store.integrations.list().map((i) => [i.id, i]))
  const providers = new Map(store.providers.list().map((p) => [p.id, p]))
  const workspaces = store.workspaces.list()
  const wsById = new Map(workspaces.map((w) => [w.id, w]))
  const keys = new Map(store.apiKeys.list().map((k) => [k.id, k]))
  const policies: Array<{ scope: ScopeRef; policy: LimitPolicy; setAt: number }> = []
  const explicitProvisioning = new Set<string>()
  const defaults: Array<{ integrationId: string; policy: LimitPolicy; setAt: number }> = []

  for (const { kind, id, policy, setAt } of store.governance.policies()) {
    if (kind === 'provisioningDefault') {
      if (integrations.has(id)) defaults.push({ integrationId: id, policy, setAt })
      continue
    }
    const label = labelOf(kind, id)
    if (label === null) continue
    if (kind === 'provisioning') explicitProvisioning.add(id)
    policies.push({ scope: { kind, id, label }, policy, setAt })
  }
  for (const d of defaults) {
    const i = integrations.get(d.integrationId)
    if (!i) continue
    const wsIds = i.workspaceIds ?? workspaces.filter((w) => w.archivedAt === null).map((w) => w.id)
    for (const w of wsIds) {
      const id = `${i.id}/${w}`
      const label = labelOf('provisioning', id)
      if (explicitProvisioning.has(id) || label === null) continue
      policies.push({ scope: { kind: 'provisioning', id, label }, policy: d.policy, setAt: d.setAt })
    }
  }
  // Read when a budget needs it: the system zone is costly to read (limits/zonedTime.ts).
  return {
    get timeZone() {
      return settings.timeZone
    },
    policies,
  }

  function labelOf(kind: string, id: string): string | null {
    switch (kind) {
      case 'integration': {
        const i = integrations.get(id)
        return i ? `integration '${i.slug}'` : null
      }
      case 'provisioning': {
        const [iid = '', wid = ''] = id.split('/')
        const i = integrations.get(iid)
        const w = wsById.get(wid)
        return i && w ? `integration '${i.slug}' in workspace '${w.slug}'` : null
      }
      case 'provider': {
        const p = providers.get(id)
        return p ? `@${p.slug}` : null
      }
      case 'workspace': {
        const w = wsById.get(id)
        return w ? `workspace '${w.slug}'` : null
      }
      case 'apiKey': {
        const k = keys.get(id)
        return k ? `API key '${k.name}'` : null
      }
      default:
        return null
    }
  }
}
