/** Migration 3: model aliases per workspace or API key (what a client asks for → an `@slug/model` target). */
import type { Migration } from '../migrate.ts'

export const m003_model_aliases: Migration = {
  version: 3,
  name: 'model_aliases',
  up: `
    CREATE TABLE model_aliases (
      id           TEXT PRIMARY KEY,
      workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
      api_key_id   TEXT REFERENCES api_keys(id) ON DELETE CASCADE,
      position     INTEGER NOT NULL,
      pattern      TEXT NOT NULL,
      target       TEXT NOT NULL,
      created_at   INTEGER NOT NULL,
      CHECK ((workspace_id IS NULL) <> (api_key_id IS NULL))
    );
    CREATE INDEX model_aliases_by_workspace ON model_aliases(workspace_id, position);
    CREATE INDEX model_aliases_by_key ON model_aliases(api_key_id, position);
  `,
}
