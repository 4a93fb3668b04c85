/**
 * One API key's settings: scopes (endpoints), provider restriction, expiry, default config and
 * metadata, and its own budget. Each empty field means "no restriction".
 */
import { useState, type FormEvent } from 'react'
import { useStore } from 'zustand'
import type { ApiKeyDetails, ApiKeyScope, ApiKeyUpdate } from '../../../preload/contract.ts'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { useStores } from '../../lib/useStores.ts'

const ENDPOINTS: ApiKeyScope[] = ['chat', 'messages', 'responses', 'completions', 'embeddings', 'models', 'count_tokens']

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean)

export function KeySettings({ apiKey }: { apiKey: ApiKeyDetails }) {
  const stores = useStores()
  const state = useStore(stores.workspaceAdmin)
  const [scopes, setScopes] = useState<ApiKeyScope[] | null>(apiKey.scopes as ApiKeyScope[] | null)
  const [providers, setProviders] = useState((apiKey.providerSlugs ?? []).join(', '))
  const [expires, setExpires] = useState(apiKey.expiresAt ? new Date(apiKey.expiresAt).toISOString().slice(0, 10) : '')
  const [metadata, setMetadata] = useState(apiKey.defaultMetadata ? JSON.stringify(apiKey.defaultMetadata) : '')
  const [config, setConfig] = useState(apiKey.defaultConfig ? JSON.stringify(apiKey.defaultConfig, null, 2) : '')
  const usd = apiKey.limits?.budgets?.find((b) => b.unit === 'usd')
  const [budget, setBudget] = useState(usd && usd.unit === 'usd' ? String(usd.limitMicros / 1_000_000) : '')
  const [local, setLocal] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setSaved(false)
    let meta: Record<string, string> | null
    let cfg: Record<string, unknown> | null
    try {
      meta = metadata.trim() ? (JSON.parse(metadata) as Record<string, string>) : null
      cfg = config.trim() ? (JSON.parse(config) as Record<string, unknown>) : null
    } catch (err) {
      setLocal(`Not valid JSON: ${(err as Error).message}`)
      return
    }
    setLocal(null)
    const others = (apiKey.limits?.budgets ?? []).filter((b) => b.unit !== 'usd')
    const budgets = budget.trim() ? [...others, { unit: 'usd' as const, limitMicros: Math.round(Number(budget) * 1_000_000), period: { kind: 'monthly' as const } }] : others
    const limits = budgets.length || apiKey.limits?.rateLimits?.length ? { ...apiKey.limits, budgets } : null
    const update: ApiKeyUpdate = {
      id: apiKey.id,
      scopes: scopes && scopes.length ? scopes : null,
      providerSlugs: list(providers).length ? list(providers).map((p) => p.replace(/^@/, '')) : null,
      expiresAt: expires ? Date.parse(`${expires}T23:59:59`) : null,
      defaultMetadata: meta,
      defaultConfig: cfg,
      limits,
    }
    setSaved(await state.updateKey(update))
  }

  return (
    <form className="card form" aria-label={`Settings of key ${apiKey.name}`} onSubmit={(e) => void submit(e)}>
      <div className="form-title">
        Settings of <span className="mono">{apiKey.name}</span>
      </div>
      <fieldset className="fieldset">
        <legend className="field-label">Endpoints it may call (none ticked: all)</legend>
        <div className="checks">
          {ENDPOINTS.map((ep) => (
            <label key={ep} className="check">
              <input
                type="checkbox"
                checked={scopes?.includes(ep) ?? false}
                onChange={(e) => setScopes((s) => (e.target.checked ? [...(s ?? []), ep] : (s ?? []).filter((x) => x !== ep)))}
              />
              <code>{ep}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Providers (slugs, comma-separated; empty: all)</span>
          <input value={providers} placeholder="openai-prod, anthropic" onChange={(e) => setProviders(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Expires on (empty: never)</span>
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Monthly budget, USD (empty: none)</span>
          <input inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Default metadata (JSON)</span>
          <input className="mono" value={metadata} placeholder='{"team": "ml"}' onChange={(e) => setMetadata(e.target.value)} />
        </label>
      </div>
      <label className="field">
        <span className="field-label">Default routing config (JSON; empty: none)</span>
        <textarea className="mono" rows={4} value={config} spellCheck={false} onChange={(e) => setConfig(e.target.value)} />
      </label>
      {local ? (
        <p className="note note-error" role="alert">
          {local}
        </p>
      ) : null}
      <ErrorNote error={state.keyError} />
      {saved ? (
        <p className="note note-ok" role="status">
          Key settings saved; they apply to its next request.
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={state.busy}>
          Save key settings
        </button>
        <button type="button" className="btn btn-ghost" onClick={state.closeKey}>
          Close
        </button>
      </div>
    </form>
  )
}
