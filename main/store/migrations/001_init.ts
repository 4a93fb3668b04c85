/** Migration 1: the catalog (workspaces, integrations, providers, models, keys), the vault's rows and usage. */
import type { Migration } from '../migrate.ts'

export const m001_init: Migration = {
  version: 1,
  name: 'init',
  up: `
    CREATE TABLE meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE secrets (
      id         TEXT PRIMARY KEY,
      envelope   BLOB NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE workspaces (
      id          TEXT PRIMARY KEY,
      slug        TEXT NOT NULL UNIQUE,
      name        TEXT NOT NULL,
      is_default  INTEGER NOT NULL DEFAULT 0,
      created_at  INTEGER NOT NULL,
      archived_at INTEGER
    );
    CREATE TABLE integrations (
      id              TEXT PRIMARY KEY,
      slug            TEXT NOT NULL UNIQUE,
      name            TEXT NOT NULL,
      kind            TEXT NOT NULL,
      settings        TEXT NOT NULL DEFAULT '{}',
      secret_id       TEXT,
      secret_hint     TEXT,
      all_workspaces  INTEGER NOT NULL DEFAULT 1,
      created_at      INTEGER NOT NULL,
      updated_at      INTEGER NOT NULL
    );
    CREATE TABLE integration_workspaces (
      integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
      workspace_id   TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      PRIMARY KEY (integration_id, workspace_id)
    );
    CREATE TABLE providers (
      id             TEXT PRIMARY KEY,
      slug           TEXT NOT NULL UNIQUE,
      name           TEXT NOT NULL,
      integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
      created_at     INTEGER NOT NULL
    );
    CREATE TABLE models (
      provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
      model       TEXT NOT NULL,
      source      TEXT NOT NULL,
      created_at  INTEGER NOT NULL,
      PRIMARY KEY (provider_id, model)
    );
    CREATE TABLE api_keys (
      id           TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id),
      name         TEXT NOT NULL,
      hash         TEXT NOT NULL UNIQUE,
      prefix       TEXT NOT NULL,
      created_at   INTEGER NOT NULL,
      revoked_at   INTEGER,
      last_used_at INTEGER
    );
    CREATE TABLE usage (
      id            INTEGER PRIMARY KEY,
      created_at    INTEGER NOT NULL,
      workspace_id  TEXT,
      api_key_id    TEXT,
      provider_slug TEXT,
      model         TEXT,
      endpoint      TEXT NOT NULL,
      status        INTEGER NOT NULL,
      stream        INTEGER NOT NULL DEFAULT 0,
      latency_ms    INTEGER NOT NULL,
      ttfb_ms       INTEGER,
      input_tokens  INTEGER,
      output_tokens INTEGER,
      cached_tokens INTEGER,
      cost_micros   INTEGER,
      metadata      TEXT,
      trace_id      TEXT NOT NULL,
      error         TEXT
    );
    CREATE INDEX usage_by_time ON usage(created_at);
    CREATE INDEX usage_by_workspace_time ON usage(workspace_id, created_at);
    CREATE INDEX usage_by_trace ON usage(trace_id);
  `,
}
