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
const binOf = (x: string) => `CASE ${ROLLUP_BIN_BOUNDS_MS.map((b, i) => `WHEN ${x} < ${b} THEN ${i}`).join(' ')} ELSE ${ROLLUP_BINS - 1} END`
const meta = (src: string, key: string) => `coalesce(CASE WHEN json_valid(${src}.metadata) THEN json_extract(${src}.metadata, '$.${key}') END, '')`
const dims = ['hour', 'workspace_id', 'api_key_id', 'provider_slug', 'model', 'project', 'branch']
const sums = ['requests', 'errors', 'input_tokens', 'output_tokens', 'cached_tokens', 'cost_micros', 'latency_sum', 'ttfb_sum', 'ttfb_count']
const hist = [...bins.map((i) => `l${i}`), ...bins.map((i) => `t${i}`)]

/** The rollup row of usage rows read as `src` (one row in the trigger, a group in the backfill). */
function rollupSelect(src: string, agg: (e: string) => string): string {
  return `SELECT ${src}.created_at / ${ROLLUP_HOUR_MS}, coalesce(${src}.workspace_id, ''), coalesce(${src}.api_key_id, ''),
      coalesce(${src}.provider_slug, ''), coalesce(${src}.model, ''), ${meta(src, 'project')}, ${meta(src, 'branch')},
      ${agg('1')}, ${agg(`${src}.status >= 400`)}, ${agg(`coalesce(${src}.input_tokens, 0)`)}, ${agg(`coalesce(${src}.output_tokens, 0)`)},
      ${agg(`coalesce(${src}.cached_tokens, 0)`)}, ${agg(`coalesce(${src}.cost_micros, 0)`)}, ${agg(`${src}.latency_ms`)},
      ${agg(`coalesce(${src}.ttfb_ms, 0)`)}, ${agg(`${src}.ttfb_ms IS NOT NULL`)},
      ${bins.map((i) => agg(`(${binOf(`${src}.latency_ms`)}) = ${i}`)).join(', ')},
      ${bins.map((i) => agg(`coalesce((${binOf(`${src}.ttfb_ms`)}) = ${i}, 0)`)).join(', ')}`
}

export const m008_usage_rollup: Migration = {
  version: 8,
  name: 'usage_rollup',
  up: `
    CREATE TABLE usage_rollup (
      ${dims.map((d) => (d === 'hour' ? 'hour INTEGER NOT NULL' : `${d} TEXT NOT NULL`)).join(',\n      ')},
      ${[...sums, ...hist].map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n      ')},
      PRIMARY KEY (${dims.join(', ')})
    ) WITHOUT ROWID;
    INSERT INTO usage_rollup (${[...dims, ...sums, ...hist].join(', ')})
      ${rollupSelect('u', (e) => `sum(${e})`)} FROM usage u GROUP BY 1, 2, 3, 4, 5, 6, 7;
    CREATE TRIGGER usage_rollup_on_insert AFTER INSERT ON usage BEGIN
      INSERT INTO usage_rollup (${[...dims, ...sums, ...hist].join(', ')})
        ${rollupSelect('new', (e) => e)} WHERE true
      ON CONFLICT DO UPDATE SET ${[...sums, ...hist].map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};
    END;
  `,
}
