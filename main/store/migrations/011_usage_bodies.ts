/**
 * Migration 11: captured request and response bodies (Settings → body capture, off by default), for
 * the Logs drawer. A row belongs to the usage row with the same trace id and start time (bodies are
 * written by their own queue, before or after the usage row). Text only, already scrubbed and
 * redacted; each side capped, `*_truncated` says it was cut; `bytes` lets the total be bounded.
 */
import type { Migration } from '../migrate.ts'

export const m011_usage_bodies: Migration = {
  version: 11,
  name: 'usage_bodies',
  up: `
    CREATE TABLE usage_bodies (
      id                 INTEGER PRIMARY KEY,
      trace_id           TEXT NOT NULL,
      created_at         INTEGER NOT NULL,
      request            TEXT,
      response           TEXT,
      request_truncated  INTEGER NOT NULL DEFAULT 0 CHECK (request_truncated IN (0, 1)),
      response_truncated INTEGER NOT NULL DEFAULT 0 CHECK (response_truncated IN (0, 1)),
      bytes              INTEGER NOT NULL CHECK (bytes >= 0)
    );
    CREATE INDEX usage_bodies_by_trace ON usage_bodies(trace_id, created_at);
    CREATE INDEX usage_bodies_by_time ON usage_bodies(created_at);
  `,
}
