/**
 * Reads of the `usage` table: rows for the log view, aggregates for dashboards.
 * Writes go through `UsageWriter` (batched, off the response path).
 */
import type { AttemptRecord, GuardrailResult, UsageQuery, UsageRow, UsageSummaryQuery, UsageSummaryRow } from '../../preload/contract.ts'
import type { Db } from './openDb.ts'

type Row = {
  id: number
  created_at: number
  workspace_id: string | null
  api_key_id: string | null
  provider_slug: string | null
  model: string | null
  endpoint: string
  status: number
  stream: number
  latency_ms: number
  ttfb_ms: number | null
  input_tokens: number | null
  output_tokens: number | null
  cached_tokens: number | null
  cost_micros: number | null
  metadata: string | null
  trace_id: string
  error: string | null
  cache_write_tokens: number | null
  reasoning_tokens: number | null
  integration_id: string | null
  provider_id: string | null
  admitted: number
  guardrails: string | null
  usage_source: 'delivered' | null
  attempts: string | null
}

const toUsage = (r: Row): UsageRow => ({
  id: r.id,
  createdAt: r.created_at,
  workspaceId: r.workspace_id,
  apiKeyId: r.api_key_id,
  providerSlug: r.provider_slug,
  model: r.model,
  endpoint: r.endpoint,
  status: r.status,
  stream: r.stream === 1,
  latencyMs: r.latency_ms,
  ttfbMs: r.ttfb_ms,
  inputTokens: r.input_tokens,
  outputTokens: r.output_tokens,
  cachedTokens: r.cached_tokens,
  costMicros: r.cost_micros,
  metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, string>),
  traceId: r.trace_id,
  error: r.error,
  cacheWriteTokens: r.cache_write_tokens,
  reasoningTokens: r.reasoning_tokens,
  integrationId: r.integration_id,
  providerId: r.provider_id,
  admitted: r.admitted === 1,
  guardrails: r.guardrails === null ? null : (JSON.parse(r.guardrails) as GuardrailResult[]),
  usageSource: r.usage_source ?? null,
  attempts: r.attempts === null ? null : (JSON.parse(r.attempts) as AttemptRecord[]),
})

function where(q: Omit<UsageQuery, 'limit' | 'offset'>): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = []
  const params: Record<string, unknown> = {}
  const add = (sql: string, name: string, value: unknown) => {
    parts.push(sql)
    params[name] = value
  }
  if (q.since !== undefined) add('created_at >= @since', 'since', q.since)
  if (q.until !== undefined) add('created_at < @until', 'until', q.until)
  if (q.workspaceId) add('workspace_id = @workspaceId', 'workspaceId', q.workspaceId)
  if (q.providerSlug) add('provider_slug = @providerSlug', 'providerSlug', q.providerSlug)
  if (q.model) add('model = @model', 'model', q.model)
  if (q.traceId) add('trace_id = @traceId', 'traceId', q.traceId)
  if (q.status === 'ok') parts.push('status < 400')
  if (q.status === 'error') parts.push('status >= 400')
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params }
}

const groupColumn: Record<Exclude<NonNullable<UsageSummaryQuery['groupBy']>, 'day'>, string> = {
  provider: 'provider_slug',
  model: 'model',
  workspace: 'workspace_id',
  apiKey: 'api_key_id',
  // Metadata keys set by attribution (gateway/attributeCall.ts) or by the client.
  project: "json_extract(metadata, '$.project')",
  branch: "json_extract(metadata, '$.branch')",
}

/** Day buckets are built from 15-minute UTC buckets so that every zone (including +5:30, +5:45) and DST work. */
const BUCKET_MS = 15 * 60 * 1000

type Agg = Omit<UsageSummaryRow, 'key' | 'avgLatencyMs'> & { key: string | null; latencySum: number }

export function usageRepo(db: Db) {
  return {
    query(q: UsageQuery): UsageRow[] {
      const w = where(q)
      const sql = `SELECT * FROM usage ${w.sql} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`
      return db
        .prepare<Record<string, unknown>, Row>(sql)
        .all({ ...w.params, limit: q.limit ?? 100, offset: q.offset ?? 0 })
        .map(toUsage)
    },
    /** Rows matching conditions built by `usageAnalytics` (the log list), newest first. */
    select(where: string[], params: Record<string, unknown>, limit: number): UsageRow[] {
      const sql = `SELECT * FROM usage ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT @limit`
      return db.prepare<Record<string, unknown>, Row>(sql).all({ ...params, limit }).map(toUsage)
    },
    get(id: number): UsageRow | null {
      const row = db.prepare<[number], Row>('SELECT * FROM usage WHERE id = ?').get(id)
      return row ? toUsage(row) : null
    },
    count: (): number => (db.prepare('SELECT count(*) AS n FROM usage').get() as { n: number }).n,
    summary(q: UsageSummaryQuery): UsageSummaryRow[] {
      const w = where(q)
      const groupBy = q.groupBy ?? 'day'
      const key = groupBy === 'day' ? `created_at / ${BUCKET_MS}` : groupColumn[groupBy]
      const sql = `SELECT ${key} AS key, count(*) AS requests, sum(status >= 400) AS errors,
          coalesce(sum(input_tokens), 0) AS inputTokens, coalesce(sum(output_tokens), 0) AS outputTokens,
          coalesce(sum(cached_tokens), 0) AS cachedTokens, coalesce(sum(cost_micros), 0) AS costMicros,
          sum(latency_ms) AS latencySum
        FROM usage ${w.sql} GROUP BY 1`
      let rows = db.prepare<Record<string, unknown>, Agg>(sql).all(w.params)
      if (groupBy === 'day') rows = mergeIntoDays(rows, q.timeZone)
      return rows
        .map(({ latencySum, ...r }) => ({ ...r, key: r.key ?? '(none)', avgLatencyMs: r.requests ? Math.round(latencySum / r.requests) : 0 }))
        .sort((a, b) => (groupBy === 'day' ? a.key.localeCompare(b.key) : b.costMicros - a.costMicros || b.requests - a.requests))
    },
  }
}

function mergeIntoDays(rows: Agg[], timeZone: string | undefined): Agg[] {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
  const days = new Map<string, Agg>()
  for (const r of rows) {
    const day = fmt.format(new Date(Number(r.key) * BUCKET_MS))
    const d = days.get(day)
    if (!d) {
      days.set(day, { ...r, key: day })
      continue
    }
    d.requests += r.requests
    d.errors += r.errors
    d.inputTokens += r.inputTokens
    d.outputTokens += r.outputTokens
    d.cachedTokens += r.cachedTokens
    d.costMicros += r.costMicros
    d.latencySum += r.latencySum
  }
  return [...days.values()]
}

export type UsageRepo = ReturnType<typeof usageRepo>
