/**
 * Whether calls are attributed to a project and branch read from the agent's prompt (on by default),
 * persisted as JSON in the `meta` table under `attribution_settings`.
 */
import type { AttributionSettings } from '../../preload/contract.ts'
import type { Db } from '../store/openDb.ts'

export function readAttributionSettings(db: Db): AttributionSettings {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'attribution_settings'").get() as { value: string } | undefined
  try {
    const v = row ? (JSON.parse(row.value) as Partial<AttributionSettings>) : {}
    return { enabled: typeof v.enabled === 'boolean' ? v.enabled : true }
  } catch {
    return { enabled: true }
  }
}

export function writeAttributionSettings(db: Db, settings: AttributionSettings): void {
  db.prepare("INSERT INTO meta (key, value) VALUES ('attribution_settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
    JSON.stringify({ enabled: settings.enabled }),
  )
}
