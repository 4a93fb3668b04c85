/**
 * Migration 9: budget grants, the desktop's "+$5 today". Each top-up is its own row (never folded
 * into a policy), so reports can list it and the governor adds it to the scope's USD budgets only
 * until `expires_at` (the next local midnight). The index serves "grants still active" at reload.
 */
import type { Migration } from '../migrate.ts'

export const m009_budget_grants: Migration = {
  version: 9,
  name: 'budget_grants',
  up: `
    CREATE TABLE budget_grants (
      id            TEXT PRIMARY KEY,
      scope_kind    TEXT NOT NULL,
      scope_id      TEXT NOT NULL,
      unit          TEXT NOT NULL CHECK (unit IN ('usd')),
      amount_micros INTEGER NOT NULL CHECK (amount_micros > 0),
      granted_at    INTEGER NOT NULL,
      expires_at    INTEGER NOT NULL CHECK (expires_at > granted_at),
      note          TEXT
    );
    CREATE INDEX budget_grants_by_expiry ON budget_grants(expires_at);
  `,
}
