/**
 * Usage screen: summary cards (totals, per provider, per day) from `usage:summary` and the latest
 * requests from `usage:query`, newest first. Cost arrives as integer micro-USD and is formatted here.
 */
import { useEffect, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { UsageRow, UsageSummaryRow } from '../../../preload/contract.ts'
import { EmptyState } from '../../components/EmptyState.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { format } from '../../lib/format.ts'
import type { Navigate } from '../../lib/routes.ts'
import { useStores } from '../../lib/useStores.ts'
import { totalUsage, type UsageRange, type UsageScope } from '../../stores/usage.ts'

const rangeLabels: Record<UsageRange, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' }

export function UsageView({ onNavigate }: { onNavigate: Navigate }) {
  const stores = useStores()
  const state = useStore(stores.usage)
  const workspaces = useStore(stores.workspaces)
  const gatewayUrl = useStore(stores.status, (s) => s.status?.gatewayUrl ?? null)
  const selectedWorkspace = workspaces.selectedId

  useEffect(() => {
    void stores.usage.getState().load(selectedWorkspace)
  }, [stores, selectedWorkspace])

  const workspaceNames = new Map(workspaces.items.map((w) => [w.id, w.slug]))
  const totals = totalUsage(state.byProvider)

  return (
    <section className="view">
      <PageHeader
        title="Usage"
        description="Requests through the gateway, with tokens and cost. Recorded locally; nothing leaves this machine."
        actions={
          <>
            <div className="segmented" role="group" aria-label="Time range">
              {(Object.keys(rangeLabels) as UsageRange[]).map((r) => (
                <button
                  key={r}
                  type="button"
                  className={r === state.range ? 'active' : undefined}
                  aria-pressed={r === state.range}
                  title={rangeLabels[r]}
                  onClick={() => void state.setRange(r)}
                >
                  {r}
                </button>
              ))}
            </div>
            <select
              aria-label="Scope"
              value={state.scope}
              onChange={(e) => void state.setScope(e.target.value as UsageScope)}
            >
              <option value="all">All workspaces</option>
              <option value="workspace">This workspace</option>
            </select>
            <button type="button" className="btn" disabled={state.loading} onClick={() => void state.load()}>
              {state.loading ? 'Loading…' : 'Refresh'}
            </button>
          </>
        }
      />
      <ErrorNote error={state.error} />
      <div className="cards">
        <SummaryCard label="Requests" value={totals.requests.toLocaleString('en-US')}>
          {totals.errors > 0 ? (
            <span className="text-danger">
              {totals.errors} error{totals.errors === 1 ? '' : 's'}
            </span>
          ) : (
            'no errors'
          )}
        </SummaryCard>
        <SummaryCard label="Cost" value={format.usd(totals.costMicros)}>
          {rangeLabels[state.range].toLowerCase()}
        </SummaryCard>
        <SummaryCard label="Input tokens" value={format.tokensCompact(totals.inputTokens)}>
          {format.tokensCompact(totals.cachedTokens)} cached
        </SummaryCard>
        <SummaryCard label="Output tokens" value={format.tokensCompact(totals.outputTokens)}>
          {state.byProvider.length} provider{state.byProvider.length === 1 ? '' : 's'}
        </SummaryCard>
      </div>
      {state.byProvider.length > 0 || state.byDay.length > 0 ? (
        <div className="split">
          <ByProvider rows={state.byProvider} />
          <ByDay rows={state.byDay} />
        </div>
      ) : null}
      {state.rows.length === 0 ? (
        state.loading || state.error ? null : (
          <EmptyState
            title={`No requests in the ${rangeLabels[state.range].toLowerCase()}`}
            action={{ label: 'Create an API key', onClick: () => onNavigate('keys') }}
          >
            Point a client at {gatewayUrl ? <code>{gatewayUrl}</code> : 'the gateway'} with an API key, and call a
            model as <code>@provider/model</code>. Each request shows up here.
          </EmptyState>
        )
      ) : (
        <div className="card table-card">
          <table className="table table-dense" aria-label="Requests">
            <thead>
              <tr>
                <th>Time</th>
                <th>Workspace</th>
                <th>Provider</th>
                <th>Model</th>
                <th>Status</th>
                <th className="num">Latency</th>
                <th className="num">In</th>
                <th className="num">Out</th>
                <th className="num">Cached</th>
                <th className="num">Cost</th>
              </tr>
            </thead>
            <tbody>
              {state.rows.map((row) => (
                <UsageTableRow key={row.id} row={row} workspace={row.workspaceId ? workspaceNames.get(row.workspaceId) : undefined} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function SummaryCard(props: { label: string; value: string; children: ReactNode }) {
  return (
    <div className="card stat">
      <div className="stat-label">{props.label}</div>
      <div className="stat-value">{props.value}</div>
      <div className="stat-sub">{props.children}</div>
    </div>
  )
}

function UsageTableRow({ row, workspace }: { row: UsageRow; workspace: string | undefined }) {
  const failed = row.status >= 400 || row.error !== null
  return (
    <tr title={row.error ?? row.traceId}>
      <td className="mono nowrap">{format.dateTime(row.createdAt)}</td>
      <td className="mono">{workspace ?? row.workspaceId ?? '—'}</td>
      <td className="mono">{row.providerSlug ? `@${row.providerSlug}` : '—'}</td>
      <td className="mono truncate">{row.model ?? '—'}</td>
      <td>
        <span className={`badge ${failed ? 'badge-error' : 'badge-ok'}`}>{row.status}</span>
        {row.stream ? <span className="badge badge-muted">stream</span> : null}
      </td>
      <td className="num mono">{format.latency(row.latencyMs)}</td>
      <td className="num mono">{format.tokens(row.inputTokens)}</td>
      <td className="num mono">{format.tokens(row.outputTokens)}</td>
      <td className="num mono">{format.tokens(row.cachedTokens)}</td>
      <td className="num mono">{format.usd(row.costMicros)}</td>
    </tr>
  )
}

function ByProvider({ rows }: { rows: UsageSummaryRow[] }) {
  return (
    <div className="card">
      <div className="card-title">By provider</div>
      {rows.length === 0 ? (
        <div className="muted small">No requests.</div>
      ) : (
        <table className="table table-dense" aria-label="Usage by provider">
          <thead>
            <tr>
              <th>Provider</th>
              <th className="num">Requests</th>
              <th className="num">Tokens in/out</th>
              <th className="num">Avg latency</th>
              <th className="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <td className="mono strong">{r.key ? `@${r.key}` : '(none)'}</td>
                <td className="num mono">
                  {r.requests}
                  {r.errors > 0 ? <span className="text-danger"> ({r.errors} err)</span> : null}
                </td>
                <td className="num mono">
                  {format.tokensCompact(r.inputTokens)} / {format.tokensCompact(r.outputTokens)}
                </td>
                <td className="num mono">{format.latency(r.avgLatencyMs)}</td>
                <td className="num mono">{format.usd(r.costMicros)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

function ByDay({ rows }: { rows: UsageSummaryRow[] }) {
  const byCost = rows.some((r) => r.costMicros > 0)
  const valueOf = (r: UsageSummaryRow) => (byCost ? r.costMicros : r.requests)
  const max = Math.max(1, ...rows.map(valueOf))
  return (
    <div className="card">
      <div className="card-title">By day · {byCost ? 'cost' : 'requests'}</div>
      {rows.length === 0 ? (
        <div className="muted small">No requests.</div>
      ) : (
        <div className="bars" role="list" aria-label="Usage by day">
          {rows.map((r) => (
            <div key={r.key} className="bar-row" role="listitem">
              <span className="bar-label mono">{r.key}</span>
              <span className="bar-track">
                <span className="bar-fill" style={{ width: `${Math.max(2, (valueOf(r) / max) * 100)}%` }} />
              </span>
              <span className="bar-value mono">{byCost ? format.usd(r.costMicros) : r.requests}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  )
}
