/**
 * Migration 7: crash-safe usage.
 *  - `usage.usage_source`: where a row's token figures come from. NULL: the upstream reported them
 *    (every row before this migration); 'delivered': the client left before the upstream's usage,
 *    and the gateway charged what it had sent (output counted, input at its estimate).
 *  - `usage_journal`: rows committed one by one as calls finish (one JSON value each, no index, so a
 *    commit is one small append), moved into `usage` in batches; what a crash leaves here is moved
 *    at the next start (store/UsageWriter.ts).
 */
import type { Migration } from '../migrate.ts'

export const m007_crash_safe_usage: Migration = {
  version: 7,
  name: 'crash_safe_usage',
  up: `
    ALTER TABLE usage ADD COLUMN usage_source TEXT CHECK (usage_source IS NULL OR usage_source IN ('delivered'));
    CREATE TABLE usage_journal (
      id  INTEGER PRIMARY KEY,
      row TEXT NOT NULL
    );
  `,
}
