/** Step 2: which workspaces may use the integration, a monthly budget per workspace, and auto-provisioning of new ones. */
import { Loading } from '../../components/Loading.tsx'
import { useState } from 'react'
import { useStore } from 'zustand'
import { Toggle } from '../../components/Toggle.tsx'
import { useStores } from '../../lib/useStores.ts'

export function ProvisionStep({ onNext }: { onNext: () => void }) {
  const stores = useStores()
  const state = useStore(stores.wizard)
  const p = state.provisioning
  if (!p) return <Loading what="workspaces" />
  return (
    <div className="card form" role="group" aria-label="Provision to workspaces">
      <div className="form-title">Provision to workspaces</div>
      <Toggle label="Provision to new workspaces automatically" checked={p.autoProvision} disabled={state.busy} onChange={(v) => void state.setAutoProvision(v)} />
      <table className="table" aria-label="Workspaces">
        <thead>
          <tr>
            <th>Workspace</th>
            <th>Enabled</th>
            <th>Monthly budget (USD)</th>
          </tr>
        </thead>
        <tbody>
          {p.workspaces.map((w) => (
            <ProvisionRow key={w.workspaceId} row={w} />
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={onNext}>
          Next: choose models
        </button>
      </div>
    </div>
  )
}

type Row = NonNullable<ReturnType<ReturnType<typeof useStores>['wizard']['getState']>['provisioning']>['workspaces'][number]

function ProvisionRow({ row }: { row: Row }) {
  const stores = useStores()
  const state = useStore(stores.wizard)
  const current = row.limits?.budgets?.find((b) => b.unit === 'usd')
  const [usd, setUsd] = useState(current && current.unit === 'usd' ? String(current.limitMicros / 1_000_000) : '')
  const saveBudget = () => {
    const limits = usd.trim() ? { budgets: [{ unit: 'usd' as const, limitMicros: Math.round(Number(usd) * 1_000_000), period: { kind: 'monthly' as const } }] } : null
    void state.provision(row.workspaceId, row.enabled, limits)
  }
  return (
    <tr>
      <td className="mono">{row.slug}</td>
      <td>
        <label className="check">
          <input type="checkbox" checked={row.enabled} disabled={state.busy} onChange={(e) => void state.provision(row.workspaceId, e.target.checked)} />
          <span className="sr-only">Provision to {row.slug}</span>
        </label>
      </td>
      <td>
        <span className="form-inline">
          <input className="input-small" inputMode="decimal" aria-label={`Monthly budget for ${row.slug}`} value={usd} placeholder="no limit" onChange={(e) => setUsd(e.target.value)} />
          <button type="button" className="btn btn-small" disabled={state.busy || !row.enabled} onClick={saveBudget}>
            Set
          </button>
        </span>
      </td>
    </tr>
  )
}
