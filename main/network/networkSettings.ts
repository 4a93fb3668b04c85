/**
 * The network settings (custom-host policy), persisted as JSON in the `meta` table under
 * `network_settings`. Absent or unreadable: the defaults (loopback allowed, nothing allow-listed).
 */
import type { Db } from '../store/openDb.ts'
import { defaultNetworkSettings, type NetworkSettings } from './upstreamHost.ts'

export function readNetworkSettings(db: Db): NetworkSettings {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'network_settings'").get() as { value: string } | undefined
  if (!row) return { ...defaultNetworkSettings, allowHosts: [] }
  try {
    const v = JSON.parse(row.value) as Partial<NetworkSettings>
    return {
      allowLoopback: typeof v.allowLoopback === 'boolean' ? v.allowLoopback : defaultNetworkSettings.allowLoopback,
      allowHosts: Array.isArray(v.allowHosts) ? v.allowHosts.filter((h): h is string => typeof h === 'string') : [],
    }
  } catch {
    return { ...defaultNetworkSettings, allowHosts: [] }
  }
}

export function writeNetworkSettings(db: Db, settings: NetworkSettings): void {
  db.prepare("INSERT INTO meta (key, value) VALUES ('network_settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
    JSON.stringify({ allowLoopback: settings.allowLoopback, allowHosts: settings.allowHosts }),
  )
}
