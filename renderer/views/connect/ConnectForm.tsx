/**
 * Step 1 of the wizard: a searchable list of every supported provider with what it needs, then its
 * form. The slug is checked while typing; the key is a password field and leaves in one command.
 */
import { Loading } from '../../components/Loading.tsx'
import { parseHeaderLines } from '../../lib/parseHeaderLines.ts'
import { useState, type FormEvent } from 'react'
import type { ProviderKind } from '../../../preload/contract.ts'
import { emptyIntegrationDraft, type IntegrationDraft } from '../../stores/integrations.ts'
import { slugProblem } from '../../stores/wizard.ts'
import { Toggle } from '../../components/Toggle.tsx'

type Custom = { baseUrl: string; headers: Record<string, string>; workspaceOnly: boolean }

type Props = {
  kinds: ProviderKind[]
  loading: boolean
  takenSlugs: string[]
  busy: boolean
  onSubmit: (draft: IntegrationDraft, kind: ProviderKind | undefined, custom: Custom) => Promise<boolean>
}

export function needs(kind: ProviderKind): string {
  if (kind.category === 'azure') return 'API key, endpoint, deployments'
  if (kind.category === 'self-hosted') return kind.needsApiKey ? 'Base URL, API key' : kind.defaultBaseUrl ? 'Nothing (runs locally)' : 'Base URL'
  return kind.needsApiKey ? 'API key' : 'Credentials file'
}

export function ConnectForm({ kinds, loading, takenSlugs, busy, onSubmit }: Props) {
  const [query, setQuery] = useState('')
  const [draft, setDraft] = useState<IntegrationDraft>(emptyIntegrationDraft)
  const [slugTouched, setSlugTouched] = useState(false)
  const [custom, setCustom] = useState(false)
  const [baseUrl, setBaseUrl] = useState('')
  const [headers, setHeaders] = useState('')
  const [deployments, setDeployments] = useState('')
  const [workspaceOnly, setWorkspaceOnly] = useState(false)
  const kind = kinds.find((k) => k.id === draft.kind)
  const shown = kinds.filter((k) => `${k.name} ${k.id}`.toLowerCase().includes(query.trim().toLowerCase()))
  const problem = slugTouched || draft.slug ? slugProblem(draft.slug, takenSlugs) : null

  const pick = (k: ProviderKind) => {
    setDraft((d) => ({ ...d, kind: k.id, slug: slugTouched ? d.slug : suggest(k.id, takenSlugs) }))
    setCustom(k.category === 'self-hosted')
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!kind || slugProblem(draft.slug, takenSlugs)) return
    const hdrs = parseHeaderLines(headers)
    const rows = deployments
      .split('\n')
      .map((l) => l.split('=').map((x) => x.trim()))
      .filter((p) => p[0] && p[1])
      .map(([alias = '', deployment = '']) => ({ alias, deployment, model: '' }))
    const next = { ...draft, baseUrl: kind.category === 'self-hosted' ? baseUrl : '', azureDeployments: rows }
    await onSubmit(next, kind, { baseUrl: custom && kind.category !== 'self-hosted' ? baseUrl.trim() : '', headers: custom ? hdrs : {}, workspaceOnly })
  }

  return (
    <div className="split wizard-split">
      <div className="card" role="group" aria-label="Providers">
        <label className="field">
          <span className="field-label">Search providers</span>
          <input type="search" value={query} placeholder="OpenAI, Ollama, Bedrock…" onChange={(e) => setQuery(e.target.value)} />
        </label>
        {loading ? (
          <Loading what="providers" />
        ) : shown.length === 0 ? (
          <p className="muted">No provider matches “{query}”.</p>
        ) : (
          <ul className="kind-list" aria-label="Supported providers">
            {shown.map((k) => (
              <li key={k.id}>
                <button type="button" className={k.id === draft.kind ? 'kind kind-active' : 'kind'} aria-pressed={k.id === draft.kind} onClick={() => pick(k)}>
                  <span className="strong">{k.name}</span>
                  <span className="muted small">{needs(k)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <form className="card form" aria-label="Connect provider" onSubmit={(e) => void submit(e)}>
        {!kind ? (
          <p className="muted">Choose a provider on the left.</p>
        ) : (
          <>
            <div className="form-title">{kind.name}</div>
            <div className="form-grid">
              <label className="field">
                <span className="field-label">Name</span>
                <input value={draft.name} placeholder={`${kind.name} (work)`} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
              </label>
              <label className="field">
                <span className="field-label">Slug</span>
                <input
                  required
                  value={draft.slug}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby="slug-hint"
                  onChange={(e) => {
                    setSlugTouched(true)
                    setDraft({ ...draft, slug: e.target.value })
                  }}
                />
                <span id="slug-hint" className={problem ? 'field-hint text-danger' : 'field-hint'} aria-live="polite">
                  {problem ?? `Clients write @${draft.slug || 'slug'}/model`}
                </span>
              </label>
              {kind.needsApiKey || kind.category === 'self-hosted' ? (
                <label className="field">
                  <span className="field-label">API key{kind.needsApiKey ? '' : ' (optional)'}</span>
                  <input type="password" autoComplete="off" required={kind.needsApiKey} value={draft.apiKey} onChange={(e) => setDraft({ ...draft, apiKey: e.target.value })} />
                </label>
              ) : null}
              {kind.category === 'azure' ? (
                <>
                  <label className="field">
                    <span className="field-label">Azure endpoint</span>
                    <input required value={draft.azureEndpoint} placeholder="https://my-resource.openai.azure.com" onChange={(e) => setDraft({ ...draft, azureEndpoint: e.target.value })} />
                  </label>
                  <label className="field">
                    <span className="field-label">Deployments (alias = deployment, one a line; the first is the default)</span>
                    <textarea rows={3} className="mono" value={deployments} placeholder="gpt-4o = prod-gpt4o" onChange={(e) => setDeployments(e.target.value)} />
                  </label>
                </>
              ) : null}
            </div>
            {kind.category !== 'azure' ? (
              <Toggle
                label={kind.category === 'self-hosted' ? 'Self-hosted server' : 'Custom host (proxy or self-hosted copy of the API)'}
                hint="Speaks this provider's API at your own URL, with optional auth headers."
                checked={custom}
                disabled={kind.category === 'self-hosted'}
                onChange={setCustom}
              />
            ) : null}
            {custom ? (
              <div className="form-grid">
                <label className="field">
                  <span className="field-label">Base URL{kind.defaultBaseUrl ? ' (optional)' : ''}</span>
                  <input
                    type="url"
                    required={kind.category === 'self-hosted' && !kind.defaultBaseUrl}
                    value={baseUrl}
                    placeholder={kind.defaultBaseUrl ?? 'http://127.0.0.1:8000/v1'}
                    onChange={(e) => setBaseUrl(e.target.value)}
                  />
                </label>
                <label className="field">
                  <span className="field-label">Headers (Name: value, one a line)</span>
                  <textarea rows={2} className="mono" value={headers} placeholder="x-team: ml" onChange={(e) => setHeaders(e.target.value)} />
                </label>
              </div>
            ) : null}
            <Toggle
              label="Only for the current workspace"
              hint="Marks it workspace-created and provisions it to this workspace alone."
              checked={workspaceOnly}
              onChange={setWorkspaceOnly}
            />
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={busy || problem !== null}>
                {busy ? 'Connecting…' : 'Connect'}
              </button>
              <a className="form-link" href={kind.docs} target="_blank" rel="noreferrer">
                {kind.name} docs
              </a>
            </div>
          </>
        )}
      </form>
    </div>
  )
}

function suggest(kindId: string, taken: string[]): string {
  const base = kindId.replace(/[^a-z0-9_-]/g, '-').slice(0, 50)
  if (!taken.includes(base)) return base
  for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`
}
