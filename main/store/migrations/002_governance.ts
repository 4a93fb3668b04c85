/**
 * Migration 2: governance. Limits per scope, per-model access and custom models per integration,
 * workspace-created integrations and auto-provisioning, API key expiry/scopes/defaults, raised
 * budget alerts, and the usage columns counters are rebuilt from (which integration and provider,
 * whether the call was admitted, cache-write and reasoning tokens).
 */
import type { Migration } from '../migrate.ts'

export const m002_governance: Migration = {
  version: 2,
  name: 'governance',
  up: `
    ALTER TABLE integrations ADD COLUMN created_in_workspace_id TEXT REFERENCES workspaces(id);
    ALTER TABLE integrations ADD COLUMN auto_provision INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE integrations ADD COLUMN auto_enable_models INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE integrations ADD COLUMN price TEXT;

    ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
    ALTER TABLE api_keys ADD COLUMN scopes TEXT;
    ALTER TABLE api_keys ADD COLUMN provider_slugs TEXT;
    ALTER TABLE api_keys ADD COLUMN default_metadata TEXT;
    ALTER TABLE api_keys ADD COLUMN default_config TEXT;

    CREATE TABLE limit_policies (
      scope_kind TEXT NOT NULL,
      scope_id   TEXT NOT NULL,
      policy     TEXT NOT NULL,
      set_at     INTEGER NOT NULL,
      PRIMARY KEY (scope_kind, scope_id)
    );
    CREATE TABLE model_access (
      integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
      model          TEXT NOT NULL,
      enabled        INTEGER NOT NULL,
      PRIMARY KEY (integration_id, model)
    );
    CREATE TABLE custom_models (
      integration_id    TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
      model             TEXT NOT NULL,
      kind              TEXT NOT NULL,
      price             TEXT,
      max_input_tokens  INTEGER,
      max_output_tokens INTEGER,
      updated_at        INTEGER NOT NULL,
      PRIMARY KEY (integration_id, model)
    );
    CREATE TABLE budget_alerts (
      counter_key  TEXT NOT NULL,
      period_start INTEGER NOT NULL,
      alert        TEXT NOT NULL,
      at           INTEGER NOT NULL,
      PRIMARY KEY (counter_key, period_start, alert)
    );

    ALTER TABLE usage ADD COLUMN integration_id TEXT;
    ALTER TABLE usage ADD COLUMN provider_id TEXT;
    ALTER TABLE usage ADD COLUMN admitted INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage ADD COLUMN cache_write_tokens INTEGER;
    ALTER TABLE usage ADD COLUMN reasoning_tokens INTEGER;
    -- Before limits existed, every call that resolved to a provider was sent to it.
    UPDATE usage SET admitted = 1,
      provider_id = (SELECT p.id FROM providers p WHERE p.slug = usage.provider_slug),
      integration_id = (SELECT p.integration_id FROM providers p WHERE p.slug = usage.provider_slug)
      WHERE provider_slug IS NOT NULL;
    CREATE INDEX usage_by_key_time ON usage(api_key_id, created_at);
    CREATE INDEX usage_by_provider_time ON usage(provider_id, created_at);
    CREATE INDEX usage_by_integration_time ON usage(integration_id, created_at);
  `,
}
