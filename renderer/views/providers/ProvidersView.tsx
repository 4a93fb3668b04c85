/**
 * AI providers screen: the `@slug`s clients route to, each made from an integration. Create (slug,
 * integration, name) and delete; every row shows how a client names it.
 */
import { useEffect, useState, type FormEvent } from 'react'
import { useStore } from 'zustand'
import { ConfirmButton } from '../../components/ConfirmButton.tsx'
import { EmptyState } from '../../components/EmptyState.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { format } from '../../lib/format.ts'
import type { Navigate } from '../../lib/routes.ts'
import { useStores } from '../../lib/useStores.ts'
import { normalizeProviderSlug } from '../../stores/providers.ts'

export function ProvidersView({ onNavigate }: { onNavigate: Navigate }) {
  const stores = useStores()
  const state = useStore(stores.providers)
  const integrations = useStore(stores.integrations)
  const [slug, setSlug] = useState('')
  const [name, setName] = useState('')
  const [integrationId, setIntegrationId] = useState('')

  useEffect(() => {
    void stores.providers.getState().load()
    void stores.integrations.getState().load()
  }, [stores])

  const chosenIntegration =
    integrations.items.find((i) => i.id === integrationId) ?? integrations.items[0] ?? null

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (chosenIntegration === null) return
    const input = name.trim()
      ? { slug, name, integrationId: chosenIntegration.id }
      : { slug, integrationId: chosenIntegration.id }
    const created = await state.create(input)
    if (created) {
      setSlug('')
      setName('')
    }
  }

  const noIntegrations = !integrations.loading && integrations.error === null && integrations.items.length === 0
  const preview = normalizeProviderSlug(slug) || 'slug'

  return (
    <section className="view">
      <PageHeader
        title="AI providers"
        description={
          <>
            Each provider is an <code>@slug</code> that clients use as <code>model: "@slug/gpt-4o"</code> or in the{' '}
            <code>x-portkey-provider</code> header. Several providers can share one integration.
          </>
        }
      />
      {noIntegrations ? (
        <EmptyState
          title="Add an integration first"
          action={{ label: 'Go to Integrations', onClick: () => onNavigate('integrations') }}
        >
          A provider is made from an integration, the stored credentials of a provider account.
        </EmptyState>
      ) : (
        <form className="card form" onSubmit={(e) => void submit(e)} aria-label="Create provider">
          <div className="form-title">Create provider</div>
          <div className="form-grid">
            <label className="field">
              <span className="field-label">Slug</span>
              <span className="input-prefix">
                <span className="prefix">@</span>
                <input
                  required
                  value={slug}
                  placeholder="openai-prod"
                  spellCheck={false}
                  autoComplete="off"
                  aria-invalid={state.formError?.path === 'slug' ? true : undefined}
                  onChange={(e) => setSlug(e.target.value)}
                />
              </span>
            </label>
            <label className="field">
              <span className="field-label">Integration</span>
              <select
                required
                value={chosenIntegration?.id ?? ''}
                onChange={(e) => setIntegrationId(e.target.value)}
              >
                {integrations.items.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.slug} ({i.kind})
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">
                Name <span className="optional">optional</span>
              </span>
              <input value={name} placeholder="Display name" onChange={(e) => setName(e.target.value)} />
            </label>
          </div>
          <ErrorNote error={state.formError} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={state.saving || chosenIntegration === null}>
              {state.saving ? 'Creating…' : 'Create provider'}
            </button>
            <span className="form-hint mono">model: "@{preview}/gpt-4o"</span>
          </div>
        </form>
      )}
      <ErrorNote error={state.error} />
      <ErrorNote error={state.actionError} />
      {state.items.length === 0 ? (
        state.loading || state.error || noIntegrations ? null : (
          <EmptyState title="No providers yet">
            Create a provider to route <code>@slug/model</code> requests through one of your integrations.
          </EmptyState>
        )
      ) : (
        <div className="card table-card">
          <table className="table" aria-label="Providers">
            <thead>
              <tr>
                <th>Provider</th>
                <th>Name</th>
                <th>Integration</th>
                <th>Kind</th>
                <th>Created</th>
                <th className="col-actions" aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {state.items.map((p) => (
                <tr key={p.id}>
                  <td className="mono strong">@{p.slug}</td>
                  <td>{p.name}</td>
                  <td className="mono">{p.integrationSlug}</td>
                  <td>{p.kind}</td>
                  <td className="muted nowrap">{format.dateTime(p.createdAt)}</td>
                  <td className="col-actions">
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() => {
                        stores.models.getState().select(p.slug)
                        onNavigate('models')
                      }}
                    >
                      Models
                    </button>
                    <ConfirmButton label="Delete" confirmLabel="Delete provider" onConfirm={() => state.remove(p.id)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
