/**
 * The window's Settings, persisted as JSON in the `meta` table under `app_settings` (no migration).
 * Port and host are read at start (flags and env vars win); retention prunes usage rows; the desktop
 * shell reads `launchAtLogin` and `notifyThresholds`; log capture reads `bodyCapture`.
 * Absent or unreadable fields fall back to the defaults.
 */
import type { AppSettings } from '../../preload/contract.ts'
import type { Db } from '../store/openDb.ts'

export type StoredAppSettings = Omit<AppSettings, 'dataDir' | 'vaultBackend'>

export const defaultAppSettings: StoredAppSettings = {
  port: 8787,
  host: '127.0.0.1',
  logRetentionDays: null,
  bodyCapture: false,
  notifyThresholds: [80, 100],
  launchAtLogin: false,
}

export function readAppSettings(db: Db): StoredAppSettings {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'app_settings'").get() as { value: string } | undefined
  let v: Partial<StoredAppSettings>
  try {
    v = row ? (JSON.parse(row.value) as Partial<StoredAppSettings>) : {}
  } catch {
    v = {}
  }
  const d = defaultAppSettings
  const int = (x: unknown, min: number, max: number) => (Number.isInteger(x) && (x as number) >= min && (x as number) <= max ? (x as number) : null)
  return {
    port: int(v.port, 0, 65535) ?? d.port,
    host: typeof v.host === 'string' && v.host ? v.host : d.host,
    logRetentionDays: v.logRetentionDays === null ? null : (int(v.logRetentionDays, 1, 3650) ?? d.logRetentionDays),
    bodyCapture: typeof v.bodyCapture === 'boolean' ? v.bodyCapture : d.bodyCapture,
    notifyThresholds: Array.isArray(v.notifyThresholds) ? v.notifyThresholds.filter((t) => int(t, 1, 1000) !== null) : d.notifyThresholds,
    launchAtLogin: typeof v.launchAtLogin === 'boolean' ? v.launchAtLogin : d.launchAtLogin,
  }
}

export function writeAppSettings(db: Db, settings: StoredAppSettings): void {
  db.prepare("INSERT INTO meta (key, value) VALUES ('app_settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(settings))
}

/** Deletes usage rows (and their captured bodies) older than the retention; returns how many rows went. */
export function pruneUsage(db: Db, retentionDays: number | null, now: number): number {
  if (retentionDays === null) return 0
  const before = now - retentionDays * 86_400_000
  db.prepare('DELETE FROM usage_bodies WHERE created_at < ?').run(before)
  db.prepare('DELETE FROM usage_meta WHERE usage_id IN (SELECT id FROM usage WHERE created_at < ?)').run(before)
  return db.prepare('DELETE FROM usage WHERE created_at < ?').run(before).changes
}
