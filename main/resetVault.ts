/**
 * Starting a new vault when the old one cannot be opened (its data key lost or replaced, its
 * metadata gone): the secrets sealed with the old key are unreadable, so they are deleted, and so is
 * every reference to them, so nothing points at a secret that no longer exists. Integrations keep
 * their settings without a credential; configs lose only their `api_key` members that lived in the
 * vault. Usage, API keys, budgets and everything else stay. The next `openVault` makes a new key.
 * Only ever on the user's say-so (the CLI asks, the desktop dialog offers it): the vault itself never
 * re-keys over secrets on its own.
 */
import { dropVaultKeys } from './routing/config/configSecrets.ts'
import type { Db } from './store/openDb.ts'

/** What a reset throws away: shown to the user before they confirm, and again after. */
export type VaultResetImpact = {
  /** Encrypted secrets deleted. */
  secrets: number
  /** Slugs of the integrations whose API key must be entered again. */
  integrations: string[]
  /** Slugs of the saved configs with an `api_key` to enter again. */
  configs: string[]
}

const VAULT_META = ['vault_id', 'vault_backend', 'key_check']

export function vaultResetImpact(db: Db): VaultResetImpact {
  const secrets = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM secrets').get()?.n ?? 0
  const integrations = db.prepare<[], { slug: string }>('SELECT slug FROM integrations WHERE secret_id IS NOT NULL ORDER BY slug').all().map((r) => r.slug)
  const configs = db
    .prepare<[], { slug: string; body: string }>('SELECT c.slug, v.body FROM configs c JOIN config_versions v ON v.config_id = c.id AND v.version = c.version ORDER BY c.slug')
    .all()
    .filter((r) => dropVaultKeys(JSON.parse(r.body)).dropped > 0)
    .map((r) => r.slug)
  return { secrets, integrations, configs }
}

/** Deletes the vault (metadata and secrets) and every reference to its secrets, in one transaction. */
export function resetVault(db: Db, now = Date.now()): VaultResetImpact {
  return db.transaction(() => {
    const impact = vaultResetImpact(db)
    db.prepare('DELETE FROM secrets').run()
    db.prepare(`DELETE FROM meta WHERE key IN (${VAULT_META.map(() => '?').join(', ')})`).run(...VAULT_META)
    db.prepare('UPDATE integrations SET secret_id = NULL, secret_hint = NULL, updated_at = ? WHERE secret_id IS NOT NULL').run(now)
    // Every version, so a rollback cannot bring a reference back.
    const versions = db.prepare<[], { config_id: string; version: number; body: string }>('SELECT config_id, version, body FROM config_versions').all()
    const rewrite = db.prepare<[string, string, number]>('UPDATE config_versions SET body = ? WHERE config_id = ? AND version = ?')
    for (const v of versions) {
      const { config, dropped } = dropVaultKeys(JSON.parse(v.body))
      if (dropped > 0) rewrite.run(JSON.stringify(config), v.config_id, v.version)
    }
    return impact
  }).immediate()
}

const list = (what: string, slugs: string[]): string => `${what} ${slugs.map((s) => `'${s}'`).join(', ')}`

/**
 * One paragraph for a prompt or dialog (`ahead`) or for the notice after the reset (`done`): what it
 * deletes and which API keys must be entered again.
 */
export function describeVaultReset(i: VaultResetImpact, when: 'ahead' | 'done'): string {
  const again = [i.integrations.length ? list(i.integrations.length === 1 ? 'integration' : 'integrations', i.integrations) : '', i.configs.length ? list(i.configs.length === 1 ? 'config' : 'configs', i.configs) : '']
    .filter(Boolean)
    .join(' and ')
  const secrets = `${i.secrets} stored secret${i.secrets === 1 ? '' : 's'}`
  return (
    (when === 'ahead'
      ? `Starting a new vault deletes the ${secrets} that cannot be decrypted`
      : `A new vault was started and the ${secrets} that could not be decrypted ${i.secrets === 1 ? 'was' : 'were'} deleted`) +
    (again ? `; the API keys of ${again} must ${when === 'ahead' ? 'then ' : ''}be entered again.` : '.') +
    (when === 'ahead' ? ' Usage logs, API keys, budgets, settings and everything else stay.' : '')
  )
}
