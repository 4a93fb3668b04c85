/**
 * Rows of governance: limit policies per scope, model access and custom models per integration,
 * integration flags (auto-provision, auto-enable models, integration-wide price), API key settings,
 * raised budget alerts and the limit settings. Also the usage history that limit counters are
 * rebuilt from. Read at start and on Control API changes, never per request.
 */
import type { CustomModel, LimitPolicy, LimitSettings, PriceInput } from '../../preload/contract.ts'
import type { UsageHistory } from '../limits/createGovernor.ts'
import { withSystemTimeZone } from '../limits/zonedTime.ts'
import type { Statement } from 'better-sqlite3'
import type { Db } from './openDb.ts'

/** `provisioningDefault` holds an integration's default limits for the workspaces it is provisioned to. */
export type PolicyScopeKind = 'integration' | 'provisioning' | 'provisioningDefault' | 'provider' | 'workspace' | 'apiKey'

export type KeySettings = {
  expiresAt: number | null
  scopes: string[] | null
  providerSlugs: string[] | null
  defaultMetadata: Record<string, string> | null
  defaultConfig: Record<string, unknown> | null
}

export type IntegrationFlags = { autoProvision: boolean; autoEnableModels: boolean; price: PriceInput | null; createdInWorkspaceId: string | null }

type CustomRow = { integration_id: string; model: string; kind: string; price: string | null; max_input_tokens: number | null; max_output_tokens: number | null; updated_at: number }

const json = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T))
const str = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v))

const toCustom = (r: CustomRow): CustomModel => ({
  integrationId: r.integration_id,
  model: r.model,
  kind: r.kind as CustomModel['kind'],
  price: json<PriceInput>(r.price),
  maxInputTokens: r.max_input_tokens,
  maxOutputTokens: r.max_output_tokens,
  updatedAt: r.updated_at,
})

/** Usage columns by scope; provisioning ids are `<integrationId>/<workspaceId>`. */
const scopeWhere: Record<string, string> = {
  integration: 'integration_id = ?',
  provider: 'provider_id = ?',
  workspace: 'workspace_id = ?',
  apiKey: 'api_key_id = ?',
  provisioning: 'integration_id = ? AND workspace_id = ?',
}

/** The defaults under `saved` (a zone saved in Settings wins; the system's is read only when asked for). */
export const defaultLimitSettings = (saved: Partial<LimitSettings> = {}): LimitSettings =>
  saved.timeZone === undefined ? withSystemTimeZone({ defaultMaxOutputTokens: 4096, ...saved }) : { defaultMaxOutputTokens: 4096, ...saved, timeZone: saved.timeZone }

export function governanceRepo(db: Db) {
  const policyGet = db.prepare<[string, string], { policy: string; set_at: number }>('SELECT policy, set_at FROM limit_policies WHERE scope_kind = ? AND scope_id = ?')
  const policyAll = db.prepare<[], { scope_kind: string; scope_id: string; policy: string; set_at: number }>('SELECT * FROM limit_policies ORDER BY scope_kind, scope_id')
  const policyPut = db.prepare('INSERT INTO limit_policies (scope_kind, scope_id, policy, set_at) VALUES (?, ?, ?, ?) ON CONFLICT (scope_kind, scope_id) DO UPDATE SET policy = excluded.policy, set_at = excluded.set_at')
  const policyDel = db.prepare<[string, string]>('DELETE FROM limit_policies WHERE scope_kind = ? AND scope_id = ?')
  const accessOf = db.prepare<[string], { model: string; enabled: number }>('SELECT model, enabled FROM model_access WHERE integration_id = ? ORDER BY model')
  const accessAll = db.prepare<[], { integration_id: string; model: string; enabled: number }>('SELECT * FROM model_access')
  const accessPut = db.prepare('INSERT INTO model_access (integration_id, model, enabled) VALUES (?, ?, ?) ON CONFLICT (integration_id, model) DO UPDATE SET enabled = excluded.enabled')
  const accessClear = db.prepare<[string]>('DELETE FROM model_access WHERE integration_id = ?')
  const customOf = db.prepare<[string], CustomRow>('SELECT * FROM custom_models WHERE integration_id = ? ORDER BY model')
  const customAll = db.prepare<[], CustomRow>('SELECT * FROM custom_models ORDER BY integration_id, model')
  const customPut = db.prepare(
    `INSERT INTO custom_models (integration_id, model, kind, price, max_input_tokens, max_output_tokens, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (integration_id, model) DO UPDATE SET kind = excluded.kind, price = excluded.price, max_input_tokens = excluded.max_input_tokens,
       max_output_tokens = excluded.max_output_tokens, updated_at = excluded.updated_at`,
  )
  const customDel = db.prepare<[string, string]>('DELETE FROM custom_models WHERE integration_id = ? AND model = ?')
  const flagsOf = db.prepare<[string], { auto_provision: number; auto_enable_models: number; price: string | null; created_in_workspace_id: string | null }>(
    'SELECT auto_provision, auto_enable_models, price, created_in_workspace_id FROM integrations WHERE id = ?',
  )
  const keyOf = db.prepare<[string], { expires_at: number | null; scopes: string | null; provider_slugs: string | null; default_metadata: string | null; default_config: string | null }>(
    'SELECT expires_at, scopes, provider_slugs, default_metadata, default_config FROM api_keys WHERE id = ?',
  )
  const keyPut = db.prepare('UPDATE api_keys SET expires_at = ?, scopes = ?, provider_slugs = ?, default_metadata = ?, default_config = ? WHERE id = ?')
  const alertPut = db.prepare('INSERT OR IGNORE INTO budget_alerts (counter_key, period_start, alert, at) VALUES (?, ?, ?, ?)')
  const alertsOf = db.prepare<[string, number], { alert: string }>('SELECT alert FROM budget_alerts WHERE counter_key = ? AND period_start = ?')
  const settingGet = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'limit_settings'")
  const settingPut = db.prepare("INSERT INTO meta (key, value) VALUES ('limit_settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
  const totals = new Map<string, Statement<unknown[], { cost: number; tokens: number }>>()
  const calls = new Map<string, Statement<unknown[], { at: number; tokens: number }>>()

  const scopeArgs = (kind: string, id: string): string[] => (kind === 'provisioning' ? id.split('/') : [id])

  const history: UsageHistory = {
    totals(scope, since, until) {
      const where = scopeWhere[scope.kind]
      if (!where) return { costMicros: 0, tokens: 0 }
      let stmt = totals.get(scope.kind)
      if (!stmt) {
        stmt = db.prepare<unknown[], { cost: number; tokens: number }>(
          `SELECT coalesce(sum(cost_micros), 0) AS cost, coalesce(sum(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)), 0) AS tokens
           FROM usage WHERE ${where} AND created_at >= ? AND created_at < ? AND admitted = 1`,
        )
        totals.set(scope.kind, stmt)
      }
      const r = stmt.get(...scopeArgs(scope.kind, scope.id), since, Number.isFinite(until) ? until : Number.MAX_SAFE_INTEGER)
      return { costMicros: r?.cost ?? 0, tokens: r?.tokens ?? 0 }
    },
    calls(scope, since) {
      const where = scopeWhere[scope.kind]
      if (!where) return []
      let stmt = calls.get(scope.kind)
      if (!stmt) {
        stmt = db.prepare<unknown[], { at: number; tokens: number }>(
          `SELECT created_at AS at, coalesce(input_tokens, 0) + coalesce(output_tokens, 0) AS tokens
           FROM usage WHERE ${where} AND created_at >= ? AND admitted = 1 ORDER BY created_at`,
        )
        calls.set(scope.kind, stmt)
      }
      return stmt.all(...scopeArgs(scope.kind, scope.id), since)
    },
    alerts: (key, periodStart) => alertsOf.all(key, periodStart).map((r) => r.alert),
  }

  return {
    history,
    policy(kind: PolicyScopeKind, id: string): LimitPolicy | null {
      const r = policyGet.get(kind, id)
      return r ? (JSON.parse(r.policy) as LimitPolicy) : null
    },
    policies: () => policyAll.all().map((r) => ({ kind: r.scope_kind as PolicyScopeKind, id: r.scope_id, policy: JSON.parse(r.policy) as LimitPolicy, setAt: r.set_at })),
    setPolicy(kind: PolicyScopeKind, id: string, policy: LimitPolicy | null, now: number): void {
      if (policy === null) policyDel.run(kind, id)
      else policyPut.run(kind, id, JSON.stringify(policy), now)
    },
    modelAccess(integrationId: string): Map<string, boolean> {
      return new Map(accessOf.all(integrationId).map((r) => [r.model, r.enabled === 1]))
    },
    allModelAccess(): Map<string, Map<string, boolean>> {
      const out = new Map<string, Map<string, boolean>>()
      for (const r of accessAll.all()) {
        const m = out.get(r.integration_id) ?? new Map<string, boolean>()
        m.set(r.model, r.enabled === 1)
        out.set(r.integration_id, m)
      }
      return out
    },
    setModelAccess: db.transaction((integrationId: string, changes: ReadonlyArray<[string, boolean]>, clearFirst: boolean) => {
      if (clearFirst) accessClear.run(integrationId)
      for (const [model, enabled] of changes) accessPut.run(integrationId, model, enabled ? 1 : 0)
    }),
    customModels: (integrationId: string): CustomModel[] => customOf.all(integrationId).map(toCustom),
    allCustomModels: (): CustomModel[] => customAll.all().map(toCustom),
    upsertCustomModel(m: Omit<CustomModel, 'updatedAt'>, now: number): void {
      customPut.run(m.integrationId, m.model, m.kind, str(m.price), m.maxInputTokens, m.maxOutputTokens, now)
    },
    deleteCustomModel: (integrationId: string, model: string): void => void customDel.run(integrationId, model),
    integrationFlags(id: string): IntegrationFlags {
      const r = flagsOf.get(id)
      return {
        autoProvision: r?.auto_provision === 1,
        autoEnableModels: r ? r.auto_enable_models === 1 : true,
        price: json<PriceInput>(r?.price ?? null),
        createdInWorkspaceId: r?.created_in_workspace_id ?? null,
      }
    },
    setIntegrationFlags(id: string, f: Partial<IntegrationFlags>): void {
      if (f.autoProvision !== undefined) db.prepare('UPDATE integrations SET auto_provision = ? WHERE id = ?').run(f.autoProvision ? 1 : 0, id)
      if (f.autoEnableModels !== undefined) db.prepare('UPDATE integrations SET auto_enable_models = ? WHERE id = ?').run(f.autoEnableModels ? 1 : 0, id)
      if (f.price !== undefined) db.prepare('UPDATE integrations SET price = ? WHERE id = ?').run(str(f.price), id)
      if (f.createdInWorkspaceId !== undefined) db.prepare('UPDATE integrations SET created_in_workspace_id = ? WHERE id = ?').run(f.createdInWorkspaceId, id)
    },
    keySettings(id: string): KeySettings {
      const r = keyOf.get(id)
      return {
        expiresAt: r?.expires_at ?? null,
        scopes: json<string[]>(r?.scopes ?? null),
        providerSlugs: json<string[]>(r?.provider_slugs ?? null),
        defaultMetadata: json<Record<string, string>>(r?.default_metadata ?? null),
        defaultConfig: json<Record<string, unknown>>(r?.default_config ?? null),
      }
    },
    setKeySettings(id: string, k: KeySettings): void {
      keyPut.run(k.expiresAt, str(k.scopes), str(k.providerSlugs), str(k.defaultMetadata), str(k.defaultConfig), id)
    },
    setWorkspaceArchived(id: string, at: number | null): void {
      db.prepare('UPDATE workspaces SET archived_at = ? WHERE id = ?').run(at, id)
    },
    renameKey(id: string, name: string): void {
      db.prepare('UPDATE api_keys SET name = ? WHERE id = ?').run(name, id)
    },
    recordAlert(counterKey: string, periodStart: number, alert: string, at: number): void {
      alertPut.run(counterKey, periodStart, alert, at)
    },
    settings(): LimitSettings {
      const r = settingGet.get()
      return defaultLimitSettings(r ? (JSON.parse(r.value) as Partial<LimitSettings>) : {})
    },
    setSettings(s: LimitSettings): void {
      settingPut.run(JSON.stringify(s))
    },
  }
}

export type GovernanceRepo = ReturnType<typeof governanceRepo>
