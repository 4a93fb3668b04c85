/**
 * Migration 6: the exact-match response cache. One row per cache key (sha256 of target + canonical
 * request); `bytes` is the row's size for the total-size bound; the time index serves both max-age
 * pruning and oldest-first eviction, and covers the size sum.
 */
import type { Migration } from '../migrate.ts'

export const m006_response_cache: Migration = {
  version: 6,
  name: 'response_cache',
  up: `
    CREATE TABLE response_cache (
      key           TEXT PRIMARY KEY,
      status        INTEGER NOT NULL,
      headers       TEXT NOT NULL,
      body          BLOB NOT NULL,
      stream        INTEGER NOT NULL CHECK (stream IN (0, 1)),
      input_tokens  INTEGER,
      output_tokens INTEGER,
      cost_micros   INTEGER,
      bytes         INTEGER NOT NULL,
      created_at    INTEGER NOT NULL
    );
    CREATE INDEX response_cache_by_time ON response_cache(created_at, bytes);
  `,
}
