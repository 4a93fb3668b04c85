/**
 * Numbered migrations, applied in order inside one transaction each; `user_version` records the
 * schema version. A database newer than this build is refused rather than guessed at.
 */
import type { Db } from './openDb.ts'
import { m001_init } from './migrations/001_init.ts'
import { m002_governance } from './migrations/002_governance.ts'
import { m003_model_aliases } from './migrations/003_model_aliases.ts'
import { m004_guardrails } from './migrations/004_guardrails.ts'
import { m005_configs } from './migrations/005_configs.ts'
import { m006_response_cache } from './migrations/006_response_cache.ts'
import { m007_crash_safe_usage } from './migrations/007_crash_safe_usage.ts'
import { m008_usage_rollup } from './migrations/008_usage_rollup.ts'
import { m009_budget_grants } from './migrations/009_budget_grants.ts'
import { m010_usage_attempts } from './migrations/010_usage_attempts.ts'
import { m011_usage_bodies } from './migrations/011_usage_bodies.ts'
import { m012_usage_meta } from './migrations/012_usage_meta.ts'

export type Migration = { version: number; name: string; up: string | ((db: Db) => void) }

export const migrations: readonly Migration[] = [m001_init, m002_governance, m003_model_aliases, m004_guardrails, m005_configs, m006_response_cache, m007_crash_safe_usage, m008_usage_rollup, m009_budget_grants, m010_usage_attempts, m011_usage_bodies, m012_usage_meta]

// Numbers were reserved per branch, so the list may have gaps: the latest is the highest, not the count.
export const latestVersion = Math.max(...migrations.map((m) => m.version))

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Brings `db` to `target` (default: latest). Each migration commits with its version bump. */
export function migrate(db: Db, target: number = latestVersion): void {
  const current = schemaVersion(db)
  if (current > latestVersion) {
    throw new Error(
      `database schema version ${current} is newer than this Switchyard (${latestVersion}); upgrade Switchyard`,
    )
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up)
      else m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}
