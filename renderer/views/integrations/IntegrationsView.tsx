/**
 * Integrations screen: provider accounts and their (write-only) credentials. Lists what exists,
 * adds new ones, deletes unused ones. Shows `credentialHint` only, never a key.
 */
import { useEffect, useState } from 'react'
import { useStore } from 'zustand'
import type { Integration, ProviderKind } from '../../../preload/contract.ts'
import { ConfirmButton } from '../../components/ConfirmButton.tsx'
import { EmptyState } from '../../components/EmptyState.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { format } from '../../lib/format.ts'
import type { Navigate } from '../../lib/routes.ts'
import { useStores } from '../../lib/useStores.ts'
import { IntegrationForm } from './IntegrationForm.tsx'
import { ReplaceKeyCell } from './ReplaceKeyCell.tsx'

export function IntegrationsView({ onNavigate }: { onNavigate: Navigate }) {
  const stores = useStores()
  const state = useStore(stores.integrations)
  const providers = useStore(stores.providers)
  const [formOpen, setFormOpen] = useState(false)
  const [justCreated, setJustCreated] = useState<Integration | null>(null)

  useEffect(() => {
    void stores.integrations.getState().load()
  }, [stores])

  const autoProvider = justCreated
    ? (providers.items.find((p) => p.integrationId === justCreated.id && p.slug === justCreated.slug) ?? null)
    : null
  const showForm = formOpen || (!state.loading && state.error === null && state.items.length === 0)
  const kindsById = new Map(state.kinds.map((k) => [k.id, k]))

  return (
    <section className="view">
      <PageHeader
        title="Integrations"
        description="Provider accounts and their credentials. Keys are encrypted in the local vault and never shown again."
        actions={
          showForm ? null : (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => {
                setFormOpen(true)
                setJustCreated(null)
              }}
            >
              Add integration
            </button>
          )
        }
      />
      {showForm ? (
        <IntegrationForm
          kinds={state.kinds}
          saving={state.saving}
          error={state.formError}
          onDismissError={state.clearFormError}
          onCancel={state.items.length > 0 ? () => setFormOpen(false) : undefined}
          onSubmit={async (input) => {
            const created = await state.create(input)
            if (created) {
              setFormOpen(false)
              setJustCreated(created)
              // The server may have made an @slug provider for it ("create once, use at once").
              void stores.providers.getState().load()
            }
            return created
          }}
        />
      ) : null}
      {justCreated ? (
        <div className="note note-ok" role="status">
          <span>
            Saved <strong>{justCreated.slug}</strong>.{' '}
            {autoProvider ? (
              <>
                Clients can use it now as <code>@{autoProvider.slug}/&lt;model&gt;</code>; add more providers from it
                for separate budgets and limits.
              </>
            ) : (
              <>
                Next, create an AI provider from it to route <code>@slug/model</code> requests.
              </>
            )}
          </span>
          <button type="button" className="btn btn-small" onClick={() => onNavigate('providers')}>
            {autoProvider ? 'Providers' : 'Create provider'}
          </button>
        </div>
      ) : null}
      <ErrorNote error={state.error} />
      <ErrorNote error={state.actionError} />
      {state.items.length === 0 ? (
        state.loading || state.error ? null : (
          <EmptyState title="No integrations yet">
            Add an integration to start routing: pick a provider, paste its API key, and Switchyard keeps it in the
            vault.
          </EmptyState>
        )
      ) : (
        <div className="card table-card">
          <table className="table" aria-label="Integrations">
            <thead>
              <tr>
                <th>Slug</th>
                <th>Kind</th>
                <th>Name</th>
                <th>API key</th>
                <th>Endpoint</th>
                <th>Created</th>
                <th className="col-actions" aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {state.items.map((integration) => (
                <tr key={integration.id}>
                  <td className="mono strong">{integration.slug}</td>
                  <td>{kindsById.get(integration.kind)?.name ?? integration.kind}</td>
                  <td>{integration.name}</td>
                  <td>
                    <ReplaceKeyCell
                      integration={integration}
                      onReplace={(apiKey) => state.replaceKey(integration.id, apiKey)}
                    />
                  </td>
                  <td className="mono muted truncate">{endpointOf(integration, kindsById.get(integration.kind))}</td>
                  <td className="muted nowrap">{format.dateTime(integration.createdAt)}</td>
                  <td className="col-actions">
                    <ConfirmButton
                      label="Delete"
                      confirmLabel="Delete integration"
                      onConfirm={async () => {
                        if (await state.remove(integration.id)) {
                          if (justCreated?.id === integration.id) setJustCreated(null)
                          void stores.providers.getState().load()
                        }
                      }}
                    />
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

function endpointOf(integration: Integration, kind: ProviderKind | undefined): string {
  const s = integration.settings
  return s.baseUrl ?? s.azureEndpoint ?? s.azureResourceName ?? kind?.defaultBaseUrl ?? '—'
}
