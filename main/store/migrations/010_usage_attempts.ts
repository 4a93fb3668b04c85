/**
 * Migration 10: `usage.attempts`, the route a request took through a routing config (JSON): the
 * targets tried in order, each with its status, error, retries, or `skipped: 'circuit_open'`. NULL
 * for requests without a config (the row's provider is the whole path) and for earlier rows.
 */
import type { Migration } from '../migrate.ts'

export const m010_usage_attempts: Migration = {
  version: 10,
  name: 'usage_attempts',
  up: `ALTER TABLE usage ADD COLUMN attempts TEXT CHECK (attempts IS NULL OR json_valid(attempts));`,
}
