/** Migration 5: saved routing configs (Portkey's JSON shape), versioned: every save is a new version. */
import type { Migration } from '../migrate.ts'

export const m005_configs: Migration = {
  version: 5,
  name: 'configs',
  up: `
    CREATE TABLE configs (
      id          TEXT PRIMARY KEY,
      slug        TEXT NOT NULL UNIQUE,
      name        TEXT NOT NULL,
      version     INTEGER NOT NULL,
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL
    );
    CREATE TABLE config_versions (
      config_id  TEXT NOT NULL REFERENCES configs(id) ON DELETE CASCADE,
      version    INTEGER NOT NULL,
      body       TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (config_id, version)
    );
  `,
}
