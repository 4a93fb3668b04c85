/**
 * Migration 8: an hourly rollup of `usage` for the analytics charts, so that every chart query reads
 * a few thousand rollup rows instead of scanning up to millions of usage rows. One row per hour and
 * (workspace, API key, provider, model, project, branch); `project` and `branch` come from the
 * request metadata. Latency and TTFB are kept as fixed-bin histograms (bounds below) so p50/p95 can
 * be estimated from any sum of rows. A trigger keeps it current on every insert (the usage writer
 * batches inserts, so this stays off the response path); existing rows are backfilled here.
 */
import type { Migration } from '../migrate.ts'

/** Upper bounds (exclusive, ms) of the histogram bins; the last bin is open-ended. Frozen with this migration. */
export const ROLLUP_BIN_BOUNDS_MS = [5, 10, 25, 50, 100, 200, 350, 500, 750, 1000, 1500, 2500, 4000, 6500, 10000, 20000, 45000] as const
export const ROLLUP_BINS = ROLLUP_BIN_BOUNDS_MS.length + 1
export const ROLLUP_HOUR_MS = 3_600_000

const bins = Array.from({ length: ROLLUP_BINS }, (_, i) => i)
/** The bin of a duration in ms; NULL stays NULL (a failed call has no TTFB). */
const binOf = (x: string) => `CASE WHEN ${x} IS NULL THEN NULL ${ROLLUP_BIN_BOUNDS_MS.map((b, i) => `WHEN ${x} < ${b} THEN ${i}`).join(' ')} ELSE ${ROLLUP_BINS - 1} END`
export const ROLLUP_DIMS = ['hour', 'workspace_id', 'api_key_id', 'provider_slug', 'model', 'project', 'branch']
export const ROLLUP_SUMS = ['requests', 'errors', 'input_tokens', 'output_tokens', 'cached_tokens', 'cost_micros', 'latency_sum', 'ttfb_sum', 'ttfb_count']
export const ROLLUP_HIST = [...bins.map((i) => `l${i}`), ...bins.map((i) => `t${i}`)]

/**
 * The rollup row(s) of usage rows read as `src` (the new row in the trigger, all rows in the
 * backfill), aggregated with `agg`. The inner SELECT works out each row's bins and metadata once;
 * `dims` replaces the grouping columns (migration 12's metadata rollup groups by key, value and hour).
 */
export function rollupSelect(src: string, agg: (e: string) => string, tail: string, dims?: { outer: string; inner: string }): string {
  return `SELECT ${dims?.outer ?? 'hour, workspace_id, api_key_id, provider_slug, model, project, branch'},
      ${agg('1')}, ${agg('failed')}, ${agg('input_tokens')}, ${agg('output_tokens')}, ${agg('cached_tokens')}, ${agg('cost_micros')},
      ${agg('latency_ms')}, ${agg('coalesce(ttfb_ms, 0)')}, ${agg('ttfb_ms IS NOT NULL')},
      ${bins.map((i) => agg(`lb = ${i}`)).join(', ')},
      ${bins.map((i) => agg(`coalesce(tb = ${i}, 0)`)).join(', ')}
    FROM (SELECT ${dims?.inner ?? `${src}.created_at / ${ROLLUP_HOUR_MS} AS hour, coalesce(${src}.workspace_id, '') AS workspace_id,
        coalesce(${src}.api_key_id, '') AS api_key_id, coalesce(${src}.provider_slug, '') AS provider_slug, coalesce(${src}.model, '') AS model,
        coalesce(CASE WHEN json_valid(${src}.metadata) THEN ${src}.metadata ->> '$.project' END, '') AS project,
        coalesce(CASE WHEN json_valid(${src}.metadata) THEN ${src}.metadata ->> '$.branch' END, '') AS branch`},
        ${src}.status >= 400 AS failed, coalesce(${src}.input_tokens, 0) AS input_tokens, coalesce(${src}.output_tokens, 0) AS output_tokens,
        coalesce(${src}.cached_tokens, 0) AS cached_tokens, coalesce(${src}.cost_micros, 0) AS cost_micros,
        ${src}.latency_ms AS latency_ms, ${src}.ttfb_ms AS ttfb_ms, ${binOf(`${src}.latency_ms`)} AS lb, ${binOf(`${src}.ttfb_ms`)} AS tb
      ${tail})`
}

export const m008_usage_rollup: Migration = {
  version: 8,
  name: 'usage_rollup',
  up: `
    CREATE TABLE usage_rollup (
      ${ROLLUP_DIMS.map((d) => (d === 'hour' ? 'hour INTEGER NOT NULL' : `${d} TEXT NOT NULL`)).join(',\n      ')},
      ${[...ROLLUP_SUMS, ...ROLLUP_HIST].map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n      ')},
      PRIMARY KEY (${ROLLUP_DIMS.join(', ')})
    ) WITHOUT ROWID;
    INSERT INTO usage_rollup (${[...ROLLUP_DIMS, ...ROLLUP_SUMS, ...ROLLUP_HIST].join(', ')})
      ${rollupSelect('u', (e) => `sum(${e})`, 'FROM usage u')} GROUP BY 1, 2, 3, 4, 5, 6, 7;
    CREATE TRIGGER usage_rollup_on_insert AFTER INSERT ON usage BEGIN
      INSERT INTO usage_rollup (${[...ROLLUP_DIMS, ...ROLLUP_SUMS, ...ROLLUP_HIST].join(', ')})
        ${rollupSelect('new', (e) => e, '')} WHERE true
      ON CONFLICT DO UPDATE SET ${[...ROLLUP_SUMS, ...ROLLUP_HIST].map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};
    END;
  `,
}
