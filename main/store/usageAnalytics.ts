/**
 * The queries behind the usage charts, the filter menus and the log list. Charts read the hourly
 * rollup (migration 8) unless the range is short or the query needs arbitrary metadata, in which
 * case they aggregate the usage rows. Either way latency and TTFB percentiles come from the same
 * fixed-bin histograms, so both paths agree. Reads only.
 */
import type { UsageAnalytics, UsageAnalyticsQuery, UsageFacets, UsageFilter, UsageLogQuery, UsageMetrics, UsageRow, UsageSeries, UsageSummaryRow } from '../../preload/contract.ts'
import { ROLLUP_BIN_BOUNDS_MS, ROLLUP_BINS, ROLLUP_HOUR_MS } from './migrations/008_usage_rollup.ts'
import { META_MAX_KEY, META_MAX_VALUE } from './migrations/012_usage_meta.ts'
import type { Db } from './openDb.ts'
import { usageRepo } from './usageRepo.ts'

const MINUTE = 60_000
const HOUR = ROLLUP_HOUR_MS
const DAY = 24 * HOUR
/** Ranges up to this long are charted from the rows, in 5-minute buckets. */
const ROWS_SPAN_MS = 6 * HOUR

/** Running sums of one bucket of one series. */
type Acc = Omit<UsageSummaryRow, 'key' | 'avgLatencyMs'> & {
  latencySum: number
  lat: number[]
  ttfb: number[]
}

const newAcc = (): Acc => ({
  requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costMicros: 0, latencySum: 0,
  lat: new Array<number>(ROLLUP_BINS).fill(0), ttfb: new Array<number>(ROLLUP_BINS).fill(0),
})

function addAcc(into: Acc, a: Acc): void {
  into.requests += a.requests
  into.errors += a.errors
  into.inputTokens += a.inputTokens
  into.outputTokens += a.outputTokens
  into.cachedTokens += a.cachedTokens
  into.costMicros += a.costMicros
  into.latencySum += a.latencySum
  for (let i = 0; i < ROLLUP_BINS; i++) {
    into.lat[i] = (into.lat[i] as number) + (a.lat[i] as number)
    into.ttfb[i] = (into.ttfb[i] as number) + (a.ttfb[i] as number)
  }
}

/** The bin of a duration, as the migration's CASE computes it. */
export function binOf(ms: number): number {
  for (let i = 0; i < ROLLUP_BIN_BOUNDS_MS.length; i++) if (ms < (ROLLUP_BIN_BOUNDS_MS[i] as number)) return i
  return ROLLUP_BINS - 1
}

/** The p-quantile of a histogram, interpolated inside its bin; the open last bin answers its lower bound. */
export function percentileOf(hist: readonly number[], p: number): number | null {
  const n = hist.reduce((a, b) => a + b, 0)
  if (n === 0) return null
  const target = p * n
  let seen = 0
  for (let i = 0; i < hist.length; i++) {
    const c = hist[i] as number
    if (c > 0 && seen + c >= target) {
      const lo = i === 0 ? 0 : (ROLLUP_BIN_BOUNDS_MS[i - 1] as number)
      const hi = ROLLUP_BIN_BOUNDS_MS[i]
      if (hi === undefined) return lo
      return Math.round(lo + ((hi - lo) * (target - seen)) / c)
    }
    seen += c
  }
  return null
}

function metricsOf(a: Acc): UsageMetrics {
  return {
    requests: a.requests,
    errors: a.errors,
    inputTokens: a.inputTokens,
    outputTokens: a.outputTokens,
    cachedTokens: a.cachedTokens,
    costMicros: a.costMicros,
    avgLatencyMs: a.requests ? Math.round(a.latencySum / a.requests) : null,
    latencyP50Ms: percentileOf(a.lat, 0.5),
    latencyP95Ms: percentileOf(a.lat, 0.95),
    ttfbP50Ms: percentileOf(a.ttfb, 0.5),
    ttfbP95Ms: percentileOf(a.ttfb, 0.95),
  }
}

/** Bucket width for a range: about 24–200 points whatever the span. */
export function bucketFor(spanMs: number): number {
  if (spanMs <= ROWS_SPAN_MS) return 5 * MINUTE
  if (spanMs <= 3 * DAY) return HOUR
  if (spanMs <= 21 * DAY) return 6 * HOUR
  return DAY
}

const rollupColumn: Record<string, string> = {
  workspace: 'workspace_id', provider: 'provider_slug', model: 'model', apiKey: 'api_key_id', project: 'project', branch: 'branch',
}
const rowColumn: Record<string, string> = {
  workspace: "coalesce(workspace_id, '')", provider: "coalesce(provider_slug, '')", model: "coalesce(model, '')", apiKey: "coalesce(api_key_id, '')",
  project: "coalesce(json_extract(metadata, '$.project'), '')", branch: "coalesce(json_extract(metadata, '$.branch'), '')",
}
const filterKeys = ['workspaceId', 'providerSlug', 'model', 'apiKeyId', 'project', 'branch'] as const
const filterDim: Record<(typeof filterKeys)[number], string> = {
  workspaceId: 'workspace', providerSlug: 'provider', model: 'model', apiKeyId: 'apiKey', project: 'project', branch: 'branch',
}

/** Whether usage_meta holds this pair (only strings within its bounds are indexed). */
const indexed = (key: string, value: unknown) =>
  typeof value === 'string' && key.length <= META_MAX_KEY && value.length <= META_MAX_VALUE

/** JSON path of a metadata key, quoted so any key is safe. */
const metaPath = (key: string) => `$."${key.replace(/["\\]/g, '')}"`

function rowWhere(f: Partial<UsageFilter>, params: Record<string, unknown>): string[] {
  const parts: string[] = []
  if (f.since !== undefined) {
    parts.push('created_at >= @since')
    params.since = f.since
  }
  if (f.until !== undefined) {
    parts.push('created_at < @until')
    params.until = f.until
  }
  for (const k of filterKeys) {
    const v = f[k]
    if (v === undefined) continue
    parts.push(`${rowColumn[filterDim[k]]} = @${k}`)
    params[k] = v
  }
  Object.entries(f.metadata ?? {}).forEach(([k, v], i) => {
    params[`mv${i}`] = v
    if (!indexed(k, v)) {
      parts.push(`json_extract(metadata, @mk${i}) = @mv${i}`)
      params[`mk${i}`] = metaPath(k)
      return
    }
    // The metadata index (migration 12) names the matching rows; its time bounds keep the range scan short.
    const time = `${f.since !== undefined ? ' AND created_at >= @since' : ''}${f.until !== undefined ? ' AND created_at < @until' : ''}`
    parts.push(`id IN (SELECT usage_id FROM usage_meta WHERE key = @mk${i} AND value = @mv${i}${time})`)
    params[`mk${i}`] = k
  })
  return parts
}

const histCols = (p: 'l' | 't') => Array.from({ length: ROLLUP_BINS }, (_, i) => `sum(${p}${i})`).join(', ')

export function usageAnalytics(db: Db) {
  const rows = usageRepo(db)

  function analytics(q: UsageAnalyticsQuery, now: number = Date.now()): UsageAnalytics {
    const until = q.until ?? now
    const span = Math.max(1, until - q.since)
    const bucketMs = bucketFor(span)
    const offset = (q.utcOffsetMinutes ?? 0) * MINUTE
    const first = Math.floor((q.since + offset) / bucketMs) * bucketMs - offset
    const buckets: number[] = []
    for (let t = first; t < until; t += bucketMs) buckets.push(t)
    const firstBucket = Math.floor((first + offset) / bucketMs)
    const indexOf = (t: number) => Math.floor((t + offset) / bucketMs) - firstBucket

    const group = q.groupBy ?? null
    const metaGroup = group?.startsWith('metadata:') ? group.slice('metadata:'.length) : null
    const metaFilters = Object.entries(q.metadata ?? {})
    const longRollup = span > ROWS_SPAN_MS && !filterKeys.some((k) => q[k] !== undefined)
    // One metadata key to group by, or one metadata pair to filter by, alone: the metadata rollup (migration 12).
    const byMetaKey = longRollup && metaGroup !== null && metaGroup.length <= META_MAX_KEY && metaFilters.length === 0
    const metaPair = longRollup && group === null && metaFilters.length === 1 && indexed(...(metaFilters[0] as [string, string])) ? metaFilters[0] : undefined
    const metaRollup = byMetaKey || metaPair !== undefined
    const useRows = !metaRollup && (span <= ROWS_SPAN_MS || metaGroup !== null || metaFilters.length > 0)
    const series = new Map<string, Acc[]>()
    const bucketsOf = (key: string) => {
      let s = series.get(key)
      if (!s) series.set(key, (s = buckets.map(newAcc)))
      return s
    }

    if (useRows) {
      const params: Record<string, unknown> = {}
      const where = rowWhere({ ...q, until }, params)
      let key = "''"
      if (metaGroup !== null) {
        // One primary-key lookup in the metadata index per row instead of parsing its JSON.
        key = metaGroup.length <= META_MAX_KEY
          ? `coalesce((SELECT value FROM usage_meta WHERE usage_id = usage.id AND key = @gk), '')`
          : `coalesce(json_extract(metadata, @gk), '')`
        params.gk = metaGroup.length <= META_MAX_KEY ? metaGroup : metaPath(metaGroup)
      } else if (group) key = rowColumn[group] as string
      const sql = `SELECT created_at AS t, ${key} AS g, status, input_tokens AS i, output_tokens AS o, cached_tokens AS c,
          cost_micros AS m, latency_ms AS l, ttfb_ms AS f FROM usage WHERE ${where.join(' AND ')}`
      type R = { t: number; g: string | number; status: number; i: number | null; o: number | null; c: number | null; m: number | null; l: number; f: number | null }
      for (const r of db.prepare<Record<string, unknown>, R>(sql).iterate(params)) {
        const b = bucketsOf(String(r.g))[indexOf(r.t)]
        if (!b) continue
        b.requests++
        if (r.status >= 400) b.errors++
        b.inputTokens += r.i ?? 0
        b.outputTokens += r.o ?? 0
        b.cachedTokens += r.c ?? 0
        b.costMicros += r.m ?? 0
        b.latencySum += r.l
        const li = binOf(r.l)
        b.lat[li] = (b.lat[li] as number) + 1
        if (r.f !== null) {
          const fi = binOf(r.f)
          b.ttfb[fi] = (b.ttfb[fi] as number) + 1
        }
      }
    } else {
      // Buckets are formed in SQL (integer division: numbers are bound as REAL), so only buckets × groups rows reach JS.
      const params: Record<string, unknown> = {
        h0: Math.floor(q.since / HOUR),
        h1: Math.ceil(until / HOUR),
        off: offset,
        bms: bucketMs,
      }
      const where = ['hour >= @h0', 'hour < @h1']
      for (const k of filterKeys) {
        const v = q[k]
        if (v === undefined) continue
        where.push(`${rollupColumn[filterDim[k]]} = @${k}`)
        params[k] = v
      }
      /** Adds (sign 1) or takes away (-1) the rollup rows of `table` into the series named by `key`. */
      const read = (table: string, key: string, cond: string[], sign: number, alsoFrom?: string) => {
        const sql = `SELECT (hour * ${HOUR} + CAST(@off AS INTEGER)) / CAST(@bms AS INTEGER) AS b, ${key} AS g, sum(requests) AS requests, sum(errors) AS errors, sum(input_tokens) AS i,
            sum(output_tokens) AS o, sum(cached_tokens) AS c, sum(cost_micros) AS m, sum(latency_sum) AS ls,
            ${histCols('l')}, ${histCols('t')}
          FROM ${table} WHERE ${cond.join(' AND ')} GROUP BY b, g`
        for (const r of db.prepare<Record<string, unknown>, Record<string, number | string>>(sql).raw().iterate(params) as Iterable<Array<number | string>>) {
          for (const [name, s] of alsoFrom === undefined ? [[String(r[1]), sign] as const] : [[String(r[1]), sign] as const, [alsoFrom, -sign] as const]) {
            const b = bucketsOf(name)[Number(r[0]) - firstBucket]
            if (!b) continue
            b.requests += s * Number(r[2])
            b.errors += s * Number(r[3])
            b.inputTokens += s * Number(r[4])
            b.outputTokens += s * Number(r[5])
            b.cachedTokens += s * Number(r[6])
            b.costMicros += s * Number(r[7])
            b.latencySum += s * Number(r[8])
            for (let i = 0; i < ROLLUP_BINS; i++) {
              b.lat[i] = (b.lat[i] as number) + s * Number(r[9 + i])
              b.ttfb[i] = (b.ttfb[i] as number) + s * Number(r[9 + ROLLUP_BINS + i])
            }
          }
        }
      }
      if (metaPair) {
        params.mk = metaPair[0]
        params.mv = metaPair[1]
        read('usage_meta_rollup', "''", [...where, 'key = @mk', 'value = @mv'], 1)
      } else if (byMetaKey) {
        // Rows without the key are every row (the usage rollup) less those with it.
        params.gk = metaGroup
        read('usage_rollup', "''", where, 1)
        read('usage_meta_rollup', 'value', [...where, 'key = @gk'], 1, '')
        if (series.get('')?.every((a) => a.requests === 0)) series.delete('')
      } else read('usage_rollup', group ? (rollupColumn[group] as string) : "''", where, 1)
    }

    const total = buckets.map(newAcc)
    const ranked = [...series.entries()].map(([key, accs]) => {
      const sum = newAcc()
      accs.forEach((a, i) => (addAcc(sum, a), addAcc(total[i] as Acc, a)))
      return { key, accs, sum }
    })
    ranked.sort((a, b) => b.sum.costMicros - a.sum.costMicros || b.sum.requests - a.sum.requests || a.key.localeCompare(b.key))
    const maxGroups = q.maxGroups ?? 8
    if (group && ranked.length > maxGroups) {
      const rest = ranked.splice(maxGroups - 1)
      const other = { key: '(other)', accs: buckets.map(newAcc), sum: newAcc() }
      for (const r of rest) {
        r.accs.forEach((a, i) => addAcc(other.accs[i] as Acc, a))
        addAcc(other.sum, r.sum)
      }
      ranked.push(other)
    }
    const toSeries = (key: string, accs: Acc[]): UsageSeries => {
      const sum = newAcc()
      for (const a of accs) addAcc(sum, a)
      return { key, totals: metricsOf(sum), points: accs.map(metricsOf) }
    }
    return {
      bucketMs,
      buckets,
      total: toSeries('total', total),
      groups: group ? ranked.map((r) => toSeries(r.key === '' ? '(none)' : r.key, r.accs)) : [],
      source: useRows ? 'rows' : 'rollup',
    }
  }

  function facets(q: { since: number; until?: number }, now: number = Date.now()): UsageFacets {
    const params = { h0: Math.floor(q.since / HOUR), h1: Math.ceil((q.until ?? now) / HOUR) }
    const distinct = (col: string) =>
      (db.prepare(`SELECT DISTINCT ${col} AS v FROM usage_rollup WHERE hour >= @h0 AND hour < @h1 AND ${col} != '' ORDER BY 1 LIMIT 500`).all(params) as Array<{ v: string }>).map((r) => r.v)
    // Metadata keys: from the latest rows only (a key nobody sent lately is not worth a menu entry).
    const keys = db
      .prepare(`SELECT DISTINCT j.key AS v FROM (SELECT metadata FROM usage WHERE metadata IS NOT NULL ORDER BY created_at DESC LIMIT 2000) u, json_each(u.metadata) j ORDER BY 1 LIMIT 100`)
      .all() as Array<{ v: string }>
    return {
      workspaces: distinct('workspace_id'),
      providers: distinct('provider_slug'),
      models: distinct('model'),
      apiKeys: distinct('api_key_id'),
      projects: distinct('project'),
      branches: distinct('branch'),
      metadataKeys: keys.map((r) => r.v),
    }
  }

  function logs(q: UsageLogQuery): UsageRow[] {
    const params: Record<string, unknown> = {}
    const where = rowWhere(q, params)
    if (q.status === 'ok') where.push('status < 400')
    if (q.status === 'error') where.push('status >= 400')
    if (q.search) {
      where.push(`(model LIKE @s ESCAPE '\\' OR provider_slug LIKE @s ESCAPE '\\' OR trace_id LIKE @s ESCAPE '\\' OR error LIKE @s ESCAPE '\\' OR metadata LIKE @s ESCAPE '\\' OR endpoint LIKE @s ESCAPE '\\')`)
      params.s = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    }
    if (q.before) {
      where.push('(created_at < @bAt OR (created_at = @bAt AND id < @bId))')
      params.bAt = q.before.createdAt
      params.bId = q.before.id
    }
    return rows.select(where, params, q.limit ?? 200)
  }

  return { analytics, facets, logs }
}

export type UsageAnalyticsRepo = ReturnType<typeof usageAnalytics>
