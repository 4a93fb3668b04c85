/**
 * Usage analytics: cost, requests and errors, tokens, latency p50/p95 and TTFB over time, filtered
 * by workspace, provider, model, API key, project, branch or any metadata key, optionally grouped by
 * one of them, with a CSV export. Refetches (quietly) when the live feed says usage was recorded.
 */
import { useEffect, useState, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { UsageAnalytics, UsageMetrics } from '../../../preload/contract.ts'
import { EmptyState } from '../../components/EmptyState.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { TimeChart, type ChartSeries } from '../../components/TimeChart.tsx'
import { format } from '../../lib/format.ts'
import type { Navigate } from '../../lib/routes.ts'
import { usageCsv } from '../../lib/usageCsv.ts'
import { useStores } from '../../lib/useStores.ts'
import type { UsageFilters, UsageGroupBy, UsageRange } from '../../stores/usage.ts'
import { LiveBadge } from './LiveBadge.tsx'
import './analytics.css'

const rangeLabels: Record<UsageRange, string> = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' }
const groupLabels: Record<string, string> = { workspace: 'Workspace', provider: 'Provider', model: 'Model', apiKey: 'API key', project: 'Project', branch: 'Branch' }

const ms = (v: number | null) => (v === null ? '—' : format.latency(v))
const pct = (errors: number, requests: number) => (requests ? `${((errors / requests) * 100).toFixed(errors / requests < 0.1 ? 1 : 0)}%` : '—')

export function UsageView({ onNavigate }: { onNavigate: Navigate }) {
  const stores = useStores()
  const state = useStore(stores.usage)
  const workspaces = useStore(stores.workspaces, (s) => s.items)
  const keys = useStore(stores.keys, (s) => s.items)
  const revision = useStore(stores.live, (s) => s.revisions['usage:recorded'])
  const gatewayUrl = useStore(stores.status, (s) => s.status?.gatewayUrl ?? null)

  useEffect(() => {
    void stores.usage.getState().load()
  }, [stores])
  useEffect(() => {
    if (revision > 0) void stores.usage.getState().refresh()
  }, [stores, revision])

  const names = new Map<string, string>([...workspaces.map((w) => [w.id, w.slug] as const), ...keys.map((k) => [k.id, k.name] as const)])
  const label = (key: string) => names.get(key) ?? key
  const data = state.data
  const totals = data?.total.totals

  return (
    <section className="view view-wide">
      <PageHeader
        title="Usage"
        description="Cost, traffic, tokens and latency over time, from the requests recorded on this machine."
        actions={
          <>
            <LiveBadge />
            <div className="segmented" role="group" aria-label="Time range">
              {(Object.keys(rangeLabels) as UsageRange[]).map((r) => (
                <button key={r} type="button" className={r === state.range ? 'active' : undefined} aria-pressed={r === state.range} title={rangeLabels[r]} onClick={() => void state.setRange(r)}>
                  {r}
                </button>
              ))}
            </div>
            <button type="button" className="btn" disabled={!data || data.total.totals.requests === 0} onClick={() => data && download(data, label, state.range)}>
              Export CSV
            </button>
          </>
        }
      />
      <Filters label={label} />
      <ErrorNote error={state.error} />
      {totals ? (
        <div className="cards cards-6">
          <Stat label="Requests" value={totals.requests.toLocaleString('en-US')}>
            {rangeLabels[state.range].toLowerCase()}
          </Stat>
          <Stat label="Error rate" value={pct(totals.errors, totals.requests)}>
            {totals.errors.toLocaleString('en-US')} failed
          </Stat>
          <Stat label="Cost" value={format.usd(totals.costMicros)}>
            {totals.requests ? `${format.usd(Math.round(totals.costMicros / totals.requests))} per request` : '—'}
          </Stat>
          <Stat label="Tokens" value={format.tokensCompact(totals.inputTokens + totals.outputTokens)}>
            {format.tokensCompact(totals.inputTokens)} in · {format.tokensCompact(totals.outputTokens)} out
          </Stat>
          <Stat label="Latency p50 / p95" value={`${ms(totals.latencyP50Ms)} / ${ms(totals.latencyP95Ms)}`}>
            avg {ms(totals.avgLatencyMs)}
          </Stat>
          <Stat label="TTFB p50 / p95" value={`${ms(totals.ttfbP50Ms)} / ${ms(totals.ttfbP95Ms)}`}>
            time to first byte
          </Stat>
        </div>
      ) : null}
      {data && totals && totals.requests === 0 && !state.loading ? (
        <EmptyState title={`No requests in the ${rangeLabels[state.range].toLowerCase()}`} action={{ label: 'Create an API key', onClick: () => onNavigate('keys') }}>
          Point a client at {gatewayUrl ? <code>{gatewayUrl}</code> : 'the gateway'} with an API key and call a model as <code>@provider/model</code>. Requests show up here
          within a second or two; no reload needed.
        </EmptyState>
      ) : data ? (
        <>
          <Charts data={data} label={label} />
          {data.groups.length ? <Breakdown data={data} label={label} by={state.groupBy} /> : null}
        </>
      ) : null}
    </section>
  )
}

function Stat(props: { label: string; value: string; children: ReactNode }) {
  return (
    <div className="card stat">
      <div className="stat-label">{props.label}</div>
      <div className="stat-value">{props.value}</div>
      <div className="stat-sub">{props.children}</div>
    </div>
  )
}

function Charts({ data, label }: { data: UsageAnalytics; label: (k: string) => string }) {
  const pick = (points: UsageMetrics[], f: (m: UsageMetrics) => number | null) => points.map((m) => (m.requests ? f(m) : null))
  const zero = (points: UsageMetrics[], f: (m: UsageMetrics) => number) => points.map(f)
  const grouped = data.groups.length > 0
  const per = (f: (m: UsageMetrics) => number | null, fill: boolean): ChartSeries[] =>
    data.groups.map((g) => ({ label: label(g.key), values: fill ? g.points.map((m) => f(m) ?? 0) : pick(g.points, f) }))
  const t = data.total.points
  const cost: ChartSeries[] = grouped ? per((m) => m.costMicros, true) : [{ label: 'Cost', values: zero(t, (m) => m.costMicros), kind: 'bars' }]
  const requests: ChartSeries[] = grouped
    ? per((m) => m.requests, true)
    : [
        { label: 'Requests', values: zero(t, (m) => m.requests), kind: 'bars' },
        { label: 'Errors', values: zero(t, (m) => m.errors) },
      ]
  const tokens: ChartSeries[] = grouped
    ? per((m) => m.inputTokens + m.outputTokens, true)
    : [
        { label: 'Input', values: zero(t, (m) => m.inputTokens) },
        { label: 'Output', values: zero(t, (m) => m.outputTokens) },
      ]
  const latency: ChartSeries[] = grouped
    ? per((m) => m.latencyP95Ms, false).map((s) => ({ ...s, label: `${s.label} p95` }))
    : [
        { label: 'p50', values: pick(t, (m) => m.latencyP50Ms) },
        { label: 'p95', values: pick(t, (m) => m.latencyP95Ms) },
        { label: 'TTFB p50', values: pick(t, (m) => m.ttfbP50Ms) },
      ]
  const errorRate: ChartSeries[] = (grouped ? data.groups : [data.total]).map((g) => ({
    label: grouped ? label(g.key) : 'Error rate',
    values: g.points.map((m) => (m.requests ? (m.errors / m.requests) * 100 : null)),
  }))
  const tot = data.total.totals
  return (
    <div className="chart-grid">
      <TimeChart title="Cost over time" summary={`${format.usd(tot.costMicros)} in total`} x={data.buckets} series={cost} format={(v) => format.usd(Math.round(v))} />
      <TimeChart title="Requests over time" summary={`${tot.requests} requests, ${tot.errors} failed`} x={data.buckets} series={requests} format={(v) => format.tokensCompact(Math.round(v))} />
      <TimeChart title="Tokens over time" summary={`${tot.inputTokens} input and ${tot.outputTokens} output tokens`} x={data.buckets} series={tokens} format={(v) => format.tokensCompact(Math.round(v))} />
      <TimeChart title="Latency over time" summary={`p50 ${ms(tot.latencyP50Ms)}, p95 ${ms(tot.latencyP95Ms)}, TTFB p50 ${ms(tot.ttfbP50Ms)}`} x={data.buckets} series={latency} format={(v) => format.latency(Math.round(v))} />
      <TimeChart title="Error rate over time" summary={pct(tot.errors, tot.requests)} x={data.buckets} series={errorRate} format={(v) => `${v.toFixed(v < 10 ? 1 : 0)}%`} />
    </div>
  )
}

function Breakdown({ data, label, by }: { data: UsageAnalytics; label: (k: string) => string; by: UsageGroupBy }) {
  const title = by ? (groupLabels[by] ?? by.replace(/^metadata:/, '')) : ''
  return (
    <div className="card table-card">
      <table className="table table-dense" aria-label={`Usage by ${title.toLowerCase()}`}>
        <thead>
          <tr>
            <th scope="col">{title}</th>
            <th scope="col" className="num">Requests</th>
            <th scope="col" className="num">Error rate</th>
            <th scope="col" className="num">Tokens in / out</th>
            <th scope="col" className="num">Cost</th>
            <th scope="col" className="num">p50</th>
            <th scope="col" className="num">p95</th>
            <th scope="col" className="num">TTFB p50</th>
          </tr>
        </thead>
        <tbody>
          {data.groups.map((g) => (
            <tr key={g.key}>
              <td className="mono strong">{label(g.key)}</td>
              <td className="num mono">{g.totals.requests.toLocaleString('en-US')}</td>
              <td className="num mono">{pct(g.totals.errors, g.totals.requests)}</td>
              <td className="num mono">
                {format.tokensCompact(g.totals.inputTokens)} / {format.tokensCompact(g.totals.outputTokens)}
              </td>
              <td className="num mono">{format.usd(g.totals.costMicros)}</td>
              <td className="num mono">{ms(g.totals.latencyP50Ms)}</td>
              <td className="num mono">{ms(g.totals.latencyP95Ms)}</td>
              <td className="num mono">{ms(g.totals.ttfbP50Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

const filterMenus: Array<{ key: Exclude<keyof UsageFilters, 'metadata'>; label: string; facet: 'workspaces' | 'providers' | 'models' | 'apiKeys' | 'projects' | 'branches' }> = [
  { key: 'workspaceId', label: 'Workspace', facet: 'workspaces' },
  { key: 'providerSlug', label: 'Provider', facet: 'providers' },
  { key: 'model', label: 'Model', facet: 'models' },
  { key: 'apiKeyId', label: 'API key', facet: 'apiKeys' },
  { key: 'project', label: 'Project', facet: 'projects' },
  { key: 'branch', label: 'Branch', facet: 'branches' },
]

function Filters({ label }: { label: (k: string) => string }) {
  const stores = useStores()
  const state = useStore(stores.usage)
  const facets = state.facets
  const [metaKey, setMetaKey] = useState(state.filters.metadata?.key ?? '')
  const [metaValue, setMetaValue] = useState(state.filters.metadata?.value ?? '')
  const applyMeta = () => void state.setFilter('metadata', metaKey && metaValue ? { key: metaKey, value: metaValue } : undefined)
  return (
    <div className="filter-bar card" role="group" aria-label="Filters">
      {filterMenus.map((m) => {
        const current = state.filters[m.key] ?? ''
        const options = facets?.[m.facet] ?? []
        return (
          <label key={m.key} className="inline-field">
            <span>{m.label}</span>
            <select aria-label={m.label} value={current} onChange={(e) => void state.setFilter(m.key, e.target.value || undefined)}>
              <option value="">All</option>
              {current && !options.includes(current) ? <option value={current}>{label(current)}</option> : null}
              {options.map((o) => (
                <option key={o} value={o}>
                  {label(o)}
                </option>
              ))}
            </select>
          </label>
        )
      })}
      <form
        className="inline-field"
        aria-label="Metadata filter"
        onSubmit={(e) => {
          e.preventDefault()
          applyMeta()
        }}
      >
        <span>Metadata</span>
        <select aria-label="Metadata key" value={metaKey} onChange={(e) => setMetaKey(e.target.value)}>
          <option value="">key…</option>
          {(facets?.metadataKeys ?? []).map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <input aria-label="Metadata value" placeholder="value" value={metaValue} onChange={(e) => setMetaValue(e.target.value)} onBlur={applyMeta} size={10} />
      </form>
      <label className="inline-field">
        <span>Group by</span>
        <select aria-label="Group by" value={state.groupBy ?? ''} onChange={(e) => void state.setGroupBy((e.target.value || null) as UsageGroupBy)}>
          <option value="">Nothing</option>
          {Object.entries(groupLabels).map(([k, l]) => (
            <option key={k} value={k}>
              {l}
            </option>
          ))}
          {(facets?.metadataKeys ?? [])
            .filter((k) => k !== 'project' && k !== 'branch')
            .map((k) => (
              <option key={k} value={`metadata:${k}`}>
                metadata: {k}
              </option>
            ))}
        </select>
      </label>
    </div>
  )
}

function download(data: UsageAnalytics, label: (k: string) => string, range: UsageRange): void {
  const blob = new Blob([usageCsv(data, label)], { type: 'text/csv;charset=utf-8' })
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = `switchyard-usage-${range}-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.csv`
  a.click()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}
