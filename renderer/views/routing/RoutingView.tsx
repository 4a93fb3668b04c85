/**
 * Routing: for a saved config, a dry run (which target a sample request would hit, in order), its
 * version history with a diff against the current version and restore, and templates to start a new
 * config; then the workspace's model aliases (ordered: drag or move, test a name, save).
 */
import { Loading } from '../../components/Loading.tsx'
import { useEffect, useState, type FormEvent } from 'react'
import { useStore } from 'zustand'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { EmptyState } from '../../components/EmptyState.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { lineDiff } from '../../lib/lineDiff.ts'
import { useStores } from '../../lib/useStores.ts'
import { AliasesCard } from './AliasesCard.tsx'
import { configTemplates, maskedConfigText } from './configTemplates.ts'
import { DiffView } from './DiffView.tsx'

export function RoutingView() {
  const stores = useStores()
  const configs = useStore(stores.configs)
  const providers = useStore(stores.providers)
  const [selected, setSelected] = useState('')

  useEffect(() => {
    void stores.configs.getState().load()
    void stores.providers.getState().load()
  }, [stores])

  const current = configs.items.find((c) => c.id === selected) ?? configs.items[0] ?? null

  return (
    <section className="view">
      <PageHeader
        title="Routing"
        description="Try a config before clients use it, see how it changed, and map the model names clients send to your providers."
      />
      <ErrorNote error={configs.error} />
      <Templates providerSlugs={providers.items.map((p) => p.slug)} />
      {configs.loading && configs.items.length === 0 ? (
        <Loading what="configs" />
      ) : current === null ? (
        configs.error ? null : (
          <EmptyState title="No saved configs">Start from a template above, or write one on the Configs screen; then dry-run it here.</EmptyState>
        )
      ) : (
        <>
          <label className="inline-field">
            <span>Config</span>
            <select aria-label="Config" value={current.id} onChange={(e) => setSelected(e.target.value)}>
              {configs.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.slug} (v{c.version})
                </option>
              ))}
            </select>
          </label>
          <div className="split">
            <DryRun configId={current.id} key={`dry:${current.id}`} />
            <History configId={current.id} version={current.version} key={`hist:${current.id}:${current.version}`} />
          </div>
        </>
      )}
      <AliasesCard />
    </section>
  )
}

function Templates({ providerSlugs }: { providerSlugs: string[] }) {
  const stores = useStores()
  const configs = useStore(stores.configs)
  const [slug, setSlug] = useState('')
  const [created, setCreated] = useState<string | null>(null)
  const templates = configTemplates(providerSlugs)

  const create = async (id: string) => {
    const t = templates.find((x) => x.id === id)
    if (!t) return
    const name = slug.trim() || `${id}-${Date.now().toString(36).slice(-4)}`
    const saved = await configs.create({ slug: name, name: `${t.label} template`, text: JSON.stringify(t.config) })
    if (saved) {
      setCreated(saved.slug)
      setSlug('')
    }
  }

  return (
    <div className="card form" role="group" aria-label="Templates">
      <div className="form-title">Start from a template</div>
      <div className="form-inline">
        <label className="field">
          <span className="field-label">New config slug</span>
          <input value={slug} placeholder="my-fallback" onChange={(e) => setSlug(e.target.value)} />
        </label>
        {templates.map((t) => (
          <button key={t.id} type="button" className="btn" disabled={configs.saving} onClick={() => void create(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <ErrorNote error={configs.formError} />
      {created ? (
        <p className="note note-ok" role="status">
          Created <code>{created}</code>. Edit its targets on the Configs screen.
        </p>
      ) : null}
    </div>
  )
}

function DryRun({ configId }: { configId: string }) {
  const stores = useStores()
  const state = useStore(stores.routing)
  const [model, setModel] = useState('gpt-4o-mini')
  const [metadata, setMetadata] = useState('')

  useEffect(() => {
    stores.routing.setState({ dryRun: null, dryRunError: null })
  }, [stores, configId])

  const run = (e: FormEvent) => {
    e.preventDefault()
    const meta: Record<string, string> = {}
    for (const pair of metadata.split(',')) {
      const [k, ...v] = pair.split('=')
      if (k?.trim()) meta[k.trim()] = v.join('=').trim()
    }
    void state.runDryRun({ config: configId, ...(model.trim() ? { model: model.trim() } : {}), metadata: meta })
  }

  return (
    <form className="card form" aria-label="Dry run" onSubmit={run}>
      <div className="form-title">Dry run</div>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Request model</span>
          <input value={model} onChange={(e) => setModel(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Metadata (key=value, …)</span>
          <input value={metadata} placeholder="tier=pro" onChange={(e) => setMetadata(e.target.value)} />
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          Plan request
        </button>
        <span className="muted small">Nothing is sent upstream.</span>
      </div>
      <ErrorNote error={state.dryRunError} />
      {state.dryRun ? (
        <ol className="attempts" aria-label="Planned attempts">
          {state.dryRun.attempts.map((a, i) => (
            <li key={a.jsonPath} className={i === 0 ? 'attempt attempt-first' : 'attempt'}>
              <span className="attempt-n">{i + 1}</span>
              <span>
                <strong className="mono">
                  {a.provider ?? '(virtual key)'}/{a.model ?? '…'}
                </strong>{' '}
                <span className="muted small mono">{a.jsonPath}</span>
                <span className="muted small">
                  {' '}
                  · {a.retries} retr{a.retries === 1 ? 'y' : 'ies'}
                  {a.fallbackOn === null ? ' · falls through on any error' : a.fallbackOn.length ? ` · falls through on ${a.fallbackOn.join(', ')}` : ''}
                  {a.hasApiKey ? ' · own api_key ••••' : ''}
                </span>
              </span>
            </li>
          ))}
          {state.dryRun.random ? <li className="muted small">A load-balanced group drew at random: plan again to see another draw.</li> : null}
        </ol>
      ) : null}
    </form>
  )
}

function History({ configId, version }: { configId: string; version: number }) {
  const stores = useStores()
  const state = useStore(stores.routing)
  const [picked, setPicked] = useState<number | null>(null)

  useEffect(() => {
    void stores.routing.getState().loadVersions(configId)
  }, [stores, configId, version])

  const versions = state.versions.filter((v) => v.id === configId)
  const current = versions[0]
  const other = versions.find((v) => v.version === picked && v !== current) ?? versions[1] ?? null

  return (
    <div className="card form" role="group" aria-label="Version history">
      <div className="form-title">Version history</div>
      <ErrorNote error={state.versionsError} />
      {!current ? (
        <Loading what="versions" />
      ) : versions.length < 2 ? (
        <p className="muted">Only one version so far: every save adds one.</p>
      ) : (
        <>
          <div className="form-inline">
            <label className="field">
              <span className="field-label">Compare current (v{current.version}) with</span>
              <select value={other?.version ?? ''} onChange={(e) => setPicked(Number(e.target.value))}>
                {versions.slice(1).map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </select>
            </label>
            {other ? (
              <button type="button" className="btn" disabled={state.busy} onClick={() => void state.restore(configId, other.version).then((saved) => saved && stores.configs.getState().load())}>
                Restore v{other.version}
              </button>
            ) : null}
          </div>
          {other ? <DiffView label={`Changes from v${other.version} to v${current.version}`} lines={lineDiff(maskedConfigText(other.config), maskedConfigText(current.config))} /> : null}
        </>
      )}
    </div>
  )
}
