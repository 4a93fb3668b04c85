/**
 * Models screen: the models one AI provider offers (known and priced, discovered upstream, or Azure
 * deployments), with "Refresh from upstream". Scoped to the workspace selected in the header.
 */
import { Fragment, useEffect } from 'react'
import { useStore } from 'zustand'
import { EmptyState } from '../../components/EmptyState.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { format } from '../../lib/format.ts'
import type { Navigate } from '../../lib/routes.ts'
import { useStores } from '../../lib/useStores.ts'

const sourceLabels = { known: 'Known', discovered: 'Discovered', deployment: 'Deployment' } as const

import { ModelDetail } from './ModelDetail.tsx'

export function ModelsView({ onNavigate }: { onNavigate: Navigate }) {
  const stores = useStores()
  const state = useStore(stores.models)
  const providers = useStore(stores.providers)
  const workspaceId = useStore(stores.workspaces, (s) => s.selectedId)
  const catalog = useStore(stores.catalog)
  const gatewayUrl = useStore(stores.status, (s) => s.status?.gatewayUrl ?? 'http://127.0.0.1:8787')

  useEffect(() => {
    void stores.providers.getState().load()
  }, [stores])

  const selected = providers.items.find((p) => p.slug === state.providerSlug) ?? providers.items[0] ?? null
  const selectedSlug = selected?.slug ?? null

  useEffect(() => {
    if (selectedSlug !== null) void stores.models.getState().load(selectedSlug, workspaceId ?? undefined)
    if (selectedSlug !== null) void stores.catalog.getState().load(selectedSlug)
  }, [stores, selectedSlug, workspaceId])

  const noProviders = !providers.loading && providers.error === null && providers.items.length === 0

  return (
    <section className="view">
      <PageHeader
        title="Models"
        description="What each provider can serve. Clients name a model as @provider/model."
        actions={
          selected ? (
            <>
              <label className="inline-field">
                <span>Provider</span>
                <select
                  value={selected.slug}
                  onChange={(e) => state.select(e.target.value)}
                >
                  {providers.items.map((p) => (
                    <option key={p.id} value={p.slug}>
                      @{p.slug}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="btn"
                disabled={state.refreshing || state.providerSlug === null}
                onClick={() => void state.refresh()}
              >
                {state.refreshing ? 'Refreshing…' : 'Refresh from upstream'}
              </button>
            </>
          ) : null
        }
      />
      <ErrorNote error={providers.error} />
      {noProviders ? (
        <EmptyState title="No providers yet" action={{ label: 'Create a provider', onClick: () => onNavigate('providers') }}>
          Models belong to an AI provider. Create one from an integration, then refresh its model list here.
        </EmptyState>
      ) : null}
      <ErrorNote error={state.refreshError} />
      <ErrorNote error={state.error} />
      {state.refreshedAt !== null ? (
        <div className="muted small">Refreshed from upstream at {format.dateTime(state.refreshedAt)}.</div>
      ) : null}
      {selected && state.entries.length === 0 && !state.loading && state.error === null ? (
        <EmptyState
          title={`No models known for @${selected.slug}`}
          action={{ label: 'Refresh from upstream', onClick: () => void state.refresh() }}
        >
          Ask the provider for its model list, or call any model by name: <code>@{selected.slug}/&lt;model&gt;</code>.
        </EmptyState>
      ) : null}
      {state.entries.length > 0 ? (
        <div className="card table-card">
          <table className="table" aria-label="Models">
            <thead>
              <tr>
                <th>Model</th>
                <th>Source</th>
                <th className="num">Input price</th>
                <th className="num">Output price</th>
                <th className="num">Context</th>
                <th>Price source</th>
                <th className="col-actions" aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {state.entries.map((m) => (
                <Fragment key={`${m.providerSlug}/${m.model}`}>
                <tr>
                  <td className="mono">
                    <span className="muted">@{m.providerSlug}/</span>
                    <span className="strong">{m.model}</span>
                  </td>
                  <td>
                    <span className={`badge badge-${m.source}`}>{sourceLabels[m.source]}</span>
                  </td>
                  <td className="num mono">{format.pricePerMTok(m.inputPriceMicrosPerMTok)}</td>
                  <td className="num mono">{format.pricePerMTok(m.outputPriceMicrosPerMTok)}</td>
                  <td className="num mono">{catalog.prices[m.model]?.maxInputTokens?.toLocaleString('en-US') ?? '—'}</td>
                  <td className="muted">{catalog.prices[m.model]?.source?.kind ?? '—'}</td>
                  <td className="col-actions">
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      aria-expanded={catalog.open === m.model}
                      aria-label={`${catalog.open === m.model ? 'Hide' : 'Use it'}: ${m.model}`}
                      onClick={() => catalog.toggle(m.model)}
                    >
                      {catalog.open === m.model ? 'Hide' : 'Use it'}
                    </button>
                  </td>
                </tr>
                {catalog.open === m.model ? (
                  <tr>
                    <td colSpan={7}>
                      <ModelDetail id={`@${m.providerSlug}/${m.model}`} gatewayUrl={gatewayUrl} price={catalog.prices[m.model]} />
                    </td>
                  </tr>
                ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  )
}
