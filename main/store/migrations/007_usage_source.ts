/**
 * Migration 7: where a usage row's token figures come from. NULL: the upstream reported them (every
 * row before this migration); 'delivered': the client left before the upstream's usage, and the
 * gateway charged what it had sent (output counted, input at its estimate).
 */
import type { Migration } from '../migrate.ts'

export const m007_usage_source: Migration = {
  version: 7,
  name: 'usage_source',
  up: `
    ALTER TABLE usage ADD COLUMN usage_source TEXT CHECK (usage_source IS NULL OR usage_source IN ('delivered'));
  `,
}
