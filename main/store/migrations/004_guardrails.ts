/**
 * Migration 4: guardrails. One guardrail set per workspace (JSON, the contract's `GuardrailSet`), and on
 * each usage row what the guardrails found and did (JSON: check, action, count, where; never the text).
 */
import type { Migration } from '../migrate.ts'

export const m004_guardrails: Migration = {
  version: 4,
  name: 'guardrails',
  up: `
    CREATE TABLE workspace_guardrails (
      workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
      guardrails   TEXT NOT NULL,
      updated_at   INTEGER NOT NULL
    );
    ALTER TABLE usage ADD COLUMN guardrails TEXT;
  `,
}
