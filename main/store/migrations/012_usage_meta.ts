/**
 * Migration 12: metadata filters and grouping without reading JSON, and the rollup kept by the writer.
 * - `usage_meta`: one row per (usage row, metadata key) with a string value, so a chart filtered or
 *   grouped by any metadata key reads an index instead of json_extract over every row in range.
 *   Bounded: string values only, at most META_MAX_KEYS keys per row, keys up to META_MAX_KEY and values
 *   up to META_MAX_VALUE characters (a longer value is not indexed; a filter on one reads the rows).
 *   The values are the usage row's own, already scrubbed, metadata. Pruned with the usage rows.
 * - `usage_meta_rollup`: the hourly rollup of migration 8 per metadata (key, value) instead of per
 *   dimension, so a long-range chart filtered by one metadata pair, or grouped by one key, reads a few
 *   thousand rows (rows without the key: the usage rollup's total minus the key's groups).
 * - The per-row rollup trigger of migration 8 (~38 µs CPU a row) is dropped: the usage writer now
 *   updates usage_rollup and usage_meta once per batch, over the ids it just inserted (usageDerived.ts).
 * Existing rows are backfilled here.
 */
import type { Migration } from '../migrate.ts'
import { ROLLUP_DIMS, ROLLUP_HIST, ROLLUP_HOUR_MS, ROLLUP_SUMS, rollupSelect } from './008_usage_rollup.ts'

export const META_MAX_KEYS = 16
export const META_MAX_KEY = 64
export const META_MAX_VALUE = 200

/** Rolls the usage rows with ids in [@first, @last] into usage_rollup (the select of migration 8, summed). */
export const ROLLUP_UPSERT = `INSERT INTO usage_rollup (${[...ROLLUP_DIMS, ...ROLLUP_SUMS, ...ROLLUP_HIST].join(', ')})
  ${rollupSelect('u', (e) => `sum(${e})`, 'FROM usage u WHERE u.id BETWEEN @first AND @last')} WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT DO UPDATE SET ${[...ROLLUP_SUMS, ...ROLLUP_HIST].map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`

/** The metadata pairs of the usage rows in `range` (a WHERE on `u`), within the bounds above. */
const metaSelect = (range: string) => `SELECT usage_id, key, value, created_at FROM (
    SELECT u.id AS usage_id, j.key AS key, j.value AS value, u.created_at AS created_at,
      row_number() OVER (PARTITION BY u.id ORDER BY j.id) AS n
    FROM usage u, json_each(u.metadata) j
    WHERE ${range} AND json_valid(u.metadata) AND json_type(u.metadata) = 'object'
      AND j.type = 'text' AND length(j.key) <= ${META_MAX_KEY} AND length(j.value) <= ${META_MAX_VALUE})
  WHERE n <= ${META_MAX_KEYS}`

const metaCols = ['key', 'value', 'hour', ...ROLLUP_SUMS, ...ROLLUP_HIST].join(', ')
/** The metadata rollup of the usage rows whose pairs are read by `tail` (m: usage_meta, u: usage). */
const metaRollupSelect = (tail: string) =>
  `${rollupSelect('u', (e) => `sum(${e})`, tail, { outer: 'key, value, hour', inner: `m.key AS key, m.value AS value, u.created_at / ${ROLLUP_HOUR_MS} AS hour` })} WHERE true GROUP BY 1, 2, 3`

/** Rolls the metadata pairs of the usage rows with ids in [@first, @last] into usage_meta_rollup (after META_INSERT). */
export const META_ROLLUP_UPSERT = `INSERT INTO usage_meta_rollup (${metaCols})
  ${metaRollupSelect('FROM usage_meta m JOIN usage u ON u.id = m.usage_id WHERE m.usage_id BETWEEN @first AND @last')}
  ON CONFLICT DO UPDATE SET ${[...ROLLUP_SUMS, ...ROLLUP_HIST].map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`

/** Indexes the metadata of the usage rows with ids in [@first, @last]. */
export const META_INSERT = `INSERT OR IGNORE INTO usage_meta (usage_id, key, value, created_at) ${metaSelect('u.id BETWEEN @first AND @last')}`

export const m012_usage_meta: Migration = {
  version: 12,
  name: 'usage_meta',
  up: `
    DROP TRIGGER usage_rollup_on_insert;
    CREATE TABLE usage_meta (
      usage_id   INTEGER NOT NULL,
      key        TEXT NOT NULL,
      value      TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (usage_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX usage_meta_by_value ON usage_meta(key, value, created_at);
    INSERT INTO usage_meta (usage_id, key, value, created_at) ${metaSelect('u.metadata IS NOT NULL')};
    CREATE TABLE usage_meta_rollup (
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      hour INTEGER NOT NULL,
      ${[...ROLLUP_SUMS, ...ROLLUP_HIST].map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n      ')},
      PRIMARY KEY (key, value, hour)
    ) WITHOUT ROWID;
    INSERT INTO usage_meta_rollup (${metaCols}) ${metaRollupSelect('FROM usage_meta m JOIN usage u ON u.id = m.usage_id')};
  `,
}
