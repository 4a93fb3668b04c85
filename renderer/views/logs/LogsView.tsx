/**
 * Logs: every request, newest first, live. A search box and filters query the server; the list is
 * virtualised (100,000 rows stay smooth) and pages in more as you scroll; a row opens the detail
 * drawer. The live tail can be paused: then new rows are only counted.
 */
import { memo, useCallback, useEffect, useMemo, useState } from 'react'
import { useStore } from 'zustand'
import type { UsageRow } from '../../../preload/contract.ts'
import { EmptyState } from '../../components/EmptyState.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { VirtualList } from '../../components/VirtualList.tsx'
import { format } from '../../lib/format.ts'
import { useStores } from '../../lib/useStores.ts'
import { MAX_LOG_ROWS } from '../../stores/logs.ts'
import { LiveBadge } from '../usage/LiveBadge.tsx'
import { LogDetail } from './LogDetail.tsx'
import '../usage/analytics.css'

const ROW_HEIGHT = 30
const columns = ['Time', 'Status', 'Provider', 'Model', 'Workspace', 'Latency', 'TTFB', 'Tokens in/out', 'Cost', 'Project'] as const

export function LogsView() {
  const stores = useStores()
  const state = useStore(stores.logs)
  const facets = useStore(stores.usage, (s) => s.facets)
  const workspaces = useStore(stores.workspaces, (s) => s.items)
  const keys = useStore(stores.keys, (s) => s.items)
  const [active, setActive] = useState<number | null>(null)
  const [search, setSearch] = useState(state.filters.search ?? '')
  const [height, setHeight] = useState(() => Math.max(300, window.innerHeight - 260))

  useEffect(() => {
    void stores.logs.getState().load()
    if (!stores.usage.getState().facets) void stores.usage.getState().load()
    const onResize = () => setHeight(Math.max(300, window.innerHeight - 260))
    window.addEventListener('resize', onResize)
    return () => window.removeEventListener('resize', onResize)
  }, [stores])

  // Search as you type, once typing pauses.
  useEffect(() => {
    if ((state.filters.search ?? '') === search) return
    const t = setTimeout(() => void stores.logs.getState().setFilters({ search }), 250)
    return () => clearTimeout(t)
  }, [search, state.filters.search, stores])

  const wsNames = useMemo(() => new Map(workspaces.map((w) => [w.id, w.slug])), [workspaces])
  const keyNames = useMemo(() => new Map(keys.map((k) => [k.id, k.name])), [keys])
  const selected = state.selectedId === null ? null : (state.rows.find((r) => r.id === state.selectedId) ?? null)
  const loadMore = useCallback(() => void stores.logs.getState().loadMore(), [stores])
  const renderRow = useCallback((row: UsageRow) => <LogCells row={row} workspace={row.workspaceId ? wsNames.get(row.workspaceId) : undefined} />, [wsNames])

  return (
    <section className="view view-wide">
      <PageHeader
        title="Logs"
        description="Every request through the gateway, newest first. Click a row (or press Enter) for its detail."
        actions={
          <>
            <LiveBadge />
            <button type="button" className="btn" aria-pressed={state.live} onClick={() => void state.setLive(!state.live)}>
              {state.live ? 'Pause tail' : state.missed ? `Resume (${state.missed} new)` : 'Resume tail'}
            </button>
          </>
        }
      />
      <div className="filter-bar card" role="search" aria-label="Search the logs">
        <label className="inline-field grow">
          <span>Search</span>
          <input type="search" aria-label="Search" placeholder="model, provider, trace id, error, metadata…" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label className="inline-field">
          <span>Status</span>
          <select aria-label="Status" value={state.filters.status ?? ''} onChange={(e) => void state.setFilters({ status: (e.target.value || undefined) as 'ok' | 'error' | undefined })}>
            <option value="">Any</option>
            <option value="ok">Succeeded</option>
            <option value="error">Failed</option>
          </select>
        </label>
        <FacetSelect label="Provider" value={state.filters.providerSlug} options={facets?.providers} onChange={(providerSlug) => void state.setFilters({ providerSlug })} />
        <FacetSelect label="Model" value={state.filters.model} options={facets?.models} onChange={(model) => void state.setFilters({ model })} />
        <FacetSelect label="Project" value={state.filters.project} options={facets?.projects} onChange={(project) => void state.setFilters({ project })} />
      </div>
      <ErrorNote error={state.error} />
      {state.rows.length === 0 && !state.loading ? (
        Object.keys(state.filters).length ? (
          <EmptyState title="No request matches">Change the search or the filters.</EmptyState>
        ) : (
          <EmptyState title="No requests yet">Requests through the gateway appear here as they finish, without a reload.</EmptyState>
        )
      ) : (
        <div className="logs-layout">
          <div className="card log-table">
            <div role="table" aria-label="Request log" aria-rowcount={state.hasMore ? -1 : state.rows.length + 1}>
            <div role="rowgroup" className="log-head">
              <div role="row" aria-rowindex={1} className="vrow">
                {columns.map((c) => (
                  <span key={c} role="columnheader" className={`cell cell-${c.split(' ')[0]?.toLowerCase()}`}>
                    {c}
                  </span>
                ))}
              </div>
            </div>
            <VirtualList
              items={state.rows}
              rowHeight={ROW_HEIGHT}
              height={height}
              label="Requests"
              activeIndex={active}
              onActivate={setActive}
              onOpen={(i) => state.select(state.rows[i]?.id ?? null)}
              renderRow={renderRow}
              onNearEnd={loadMore}
            />
            </div>
            <div className="log-foot muted small" aria-live="polite">
              {state.rows.length.toLocaleString('en-US')} requests
              {state.rows.length >= MAX_LOG_ROWS ? ' (the newest; search or filter to reach older ones)' : state.hasMore ? ' (more load as you scroll)' : ''}
              {state.loadingMore ? ' · loading…' : ''}
            </div>
          </div>
          {selected ? (
            <LogDetail
              row={selected}
              workspace={selected.workspaceId ? wsNames.get(selected.workspaceId) : undefined}
              apiKey={selected.apiKeyId ? keyNames.get(selected.apiKeyId) : undefined}
              onClose={() => state.select(null)}
            />
          ) : null}
        </div>
      )}
    </section>
  )
}

/** Memoised: while scrolling, the rows that stay in view are not rendered again. */
const LogCells = memo(function LogCells({ row, workspace }: { row: UsageRow; workspace: string | undefined }) {
  const failed = row.status >= 400
  return (
    <>
      <span role="cell" className="cell cell-time mono">{format.dateTime(row.createdAt)}</span>
      <span role="cell" className="cell cell-status">
        <span className={`badge ${failed ? 'badge-error' : 'badge-ok'}`}>{row.status}</span>
      </span>
      <span role="cell" className="cell cell-provider mono truncate">{row.providerSlug ? `@${row.providerSlug}` : '—'}</span>
      <span role="cell" className="cell cell-model mono truncate">{row.model ?? '—'}</span>
      <span role="cell" className="cell cell-workspace mono truncate">{workspace ?? row.workspaceId ?? '—'}</span>
      <span role="cell" className="cell cell-latency mono num">{format.latency(row.latencyMs)}</span>
      <span role="cell" className="cell cell-ttfb mono num">{row.ttfbMs === null ? '—' : format.latency(row.ttfbMs)}</span>
      <span role="cell" className="cell cell-tokens mono num">
        {format.tokensCompact(row.inputTokens ?? 0)} / {format.tokensCompact(row.outputTokens ?? 0)}
      </span>
      <span role="cell" className="cell cell-cost mono num">{format.usd(row.costMicros)}</span>
      <span role="cell" className="cell cell-project mono truncate">{row.metadata?.project ?? ''}</span>
    </>
  )
})

function FacetSelect(props: { label: string; value: string | undefined; options: string[] | undefined; onChange(v: string | undefined): void }) {
  const options = props.options ?? []
  return (
    <label className="inline-field">
      <span>{props.label}</span>
      <select aria-label={props.label} value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value || undefined)}>
        <option value="">All</option>
        {props.value && !options.includes(props.value) ? <option value={props.value}>{props.value}</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  )
}
