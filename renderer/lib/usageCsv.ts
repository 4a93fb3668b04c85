/**
 * CSV export of the usage charts: one line per time bucket and group, with the figures the charts
 * show. Only aggregates and identifiers go in (ids, slugs, model names, metadata values), never a
 * key or a body. Cells that a spreadsheet would run as a formula are quoted with a leading '.
 * Pure.
 */
import type { UsageAnalytics, UsageMetrics } from '../../preload/contract.ts'

const header = ['bucket_start', 'group', 'requests', 'errors', 'error_rate', 'input_tokens', 'output_tokens', 'cached_tokens', 'cost_usd', 'latency_p50_ms', 'latency_p95_ms', 'ttfb_p50_ms', 'ttfb_p95_ms']

function cell(v: string | number | null): string {
  if (v === null) return ''
  if (typeof v === 'number') return String(v)
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** Exact decimal dollars from integer micro-USD (no float rounding). */
export function microsToUsd(micros: number): string {
  const sign = micros < 0 ? '-' : ''
  const abs = Math.abs(micros)
  return `${sign}${Math.floor(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}`
}

function line(t: number, group: string, m: UsageMetrics): string {
  return [
    new Date(t).toISOString(), group, m.requests, m.errors, m.requests ? Number((m.errors / m.requests).toFixed(4)) : null,
    m.inputTokens, m.outputTokens, m.cachedTokens, microsToUsd(m.costMicros), m.latencyP50Ms, m.latencyP95Ms, m.ttfbP50Ms, m.ttfbP95Ms,
  ].map(cell).join(',')
}

/** `label` turns a group key (an id) into what the user sees, e.g. a workspace slug. */
export function usageCsv(data: UsageAnalytics, label: (key: string) => string = (k) => k): string {
  const series = data.groups.length ? data.groups.map((g) => ({ name: label(g.key), points: g.points })) : [{ name: 'all', points: data.total.points }]
  const lines = [header.join(',')]
  data.buckets.forEach((t, i) => {
    for (const s of series) {
      const m = s.points[i]
      if (m && m.requests > 0) lines.push(line(t, s.name, m))
    }
  })
  return lines.join('\r\n') + '\r\n'
}
