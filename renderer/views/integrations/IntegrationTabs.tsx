/**
 * The Integrations screen's three lists: Connected (available to the selected workspace), Workspace-
 * created (made inside it), and All providers (every supported kind, searchable, with what it needs
 * and a way into the connect wizard). Pure filtering; the table itself stays in IntegrationsView.
 */
import { useState } from 'react'
import type { Integration, ProviderKind } from '../../../preload/contract.ts'
import type { Navigate } from '../../lib/routes.ts'
import { needs } from '../connect/ConnectForm.tsx'

export type IntegrationTab = 'connected' | 'workspace' | 'all'

export function filterIntegrations(items: Integration[], tab: IntegrationTab, workspaceId: string | null): Integration[] {
  if (tab === 'workspace') return items.filter((i) => workspaceId !== null && i.createdInWorkspaceId === workspaceId)
  if (tab === 'connected') return items.filter((i) => i.workspaceIds === null || workspaceId === null || i.workspaceIds.includes(workspaceId))
  return items
}

export function TabBar({ tab, onTab }: { tab: IntegrationTab; onTab: (t: IntegrationTab) => void }) {
  const labels: Record<IntegrationTab, string> = { connected: 'Connected', workspace: 'Workspace-created', all: 'All providers' }
  return (
    <div className="segmented integration-tabs" role="tablist" aria-label="Integration lists">
      {(Object.keys(labels) as IntegrationTab[]).map((t) => (
        <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'active' : undefined} onClick={() => onTab(t)}>
          {labels[t]}
        </button>
      ))}
    </div>
  )
}

export function AllProviders({ kinds, items, onNavigate }: { kinds: ProviderKind[]; items: Integration[]; onNavigate: Navigate }) {
  const [query, setQuery] = useState('')
  const shown = kinds.filter((k) => `${k.name} ${k.id}`.toLowerCase().includes(query.trim().toLowerCase()))
  return (
    <div className="card table-card" role="tabpanel" aria-label="All providers">
      <div className="table-toolbar">
        <label className="field">
          <span className="field-label">Search providers</span>
          <input type="search" value={query} placeholder="Anthropic, Ollama…" onChange={(e) => setQuery(e.target.value)} />
        </label>
      </div>
      <table className="table" aria-label="Supported providers">
        <thead>
          <tr>
            <th>Provider</th>
            <th>Type</th>
            <th>Needs</th>
            <th>Connected</th>
            <th className="col-actions" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {shown.map((k) => {
            const n = items.filter((i) => i.kind === k.id).length
            return (
              <tr key={k.id}>
                <td className="strong">{k.name}</td>
                <td className="muted">{k.category}</td>
                <td>{needs(k)}</td>
                <td>{n ? <span className="badge badge-ok">{n}</span> : <span className="muted">—</span>}</td>
                <td className="col-actions">
                  <button type="button" className="btn btn-small" aria-label={`Connect ${k.name}`} onClick={() => onNavigate('connect')}>
                    Connect
                  </button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
