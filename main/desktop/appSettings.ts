/**
 * The desktop app's settings (top-up amount, notifications, Claude Code route choices), persisted as
 * JSON in `meta` under `app_settings`. Absent or unreadable fields take their defaults.
 */
import type { DesktopSettings as AppSettings } from '../../preload/contract.ts'
import { defaultTopUpMicros } from '../limits/topUpGrant.ts'
import type { Db } from '../store/openDb.ts'

export const defaultAppSettings = (): AppSettings => ({ topUpMicros: defaultTopUpMicros, notifications: true, claudeRoutes: [] })

export function readAppSettings(db: Db): AppSettings {
  const d = defaultAppSettings()
  const row = db.prepare("SELECT value FROM meta WHERE key = 'app_settings'").get() as { value: string } | undefined
  if (!row) return d
  try {
    const v = JSON.parse(row.value) as Partial<AppSettings>
    return {
      topUpMicros: Number.isSafeInteger(v.topUpMicros) && (v.topUpMicros ?? 0) > 0 ? (v.topUpMicros as number) : d.topUpMicros,
      notifications: typeof v.notifications === 'boolean' ? v.notifications : d.notifications,
      claudeRoutes: Array.isArray(v.claudeRoutes) ? v.claudeRoutes.filter((c) => typeof c?.name === 'string' && typeof c?.target === 'string') : d.claudeRoutes,
    }
  } catch {
    return d
  }
}

export function writeAppSettings(db: Db, s: AppSettings): void {
  db.prepare("INSERT INTO meta (key, value) VALUES ('app_settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(s))
}
