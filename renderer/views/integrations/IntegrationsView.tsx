/**
 * Integrations screen: provider accounts and their (write-only) credentials. Lists what exists,
 * adds new ones, deletes unused ones. Shows `credentialHint` only, never a key.
 */
import { Fragment, useEffect, useState } from 'react'
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
import { EditIntegration } from './EditIntegration.tsx'
import { AllProviders, filterIntegrations, TabBar, type IntegrationTab } from './IntegrationTabs.tsx'

export function IntegrationsView({ onNavigate }: { onNavigate: Navigate }) {
  const stores = useStores()
  const state = useStore(stores.integrations)
  const providers = useStore(stores.providers)
  const [formOpen, setFormOpen] = useState(false)
  const [justCreated, setJustCreated] = useState<Integration | null>(null)
  const [tab, setTab] = useState<IntegrationTab>('connected')
  const [editing, setEditing] = useState<string | null>(null)
  const workspaceId = useStore(stores.workspaces, (w) => w.selectedId)
  const shown = filterIntegrations(state.items, tab, workspaceId)

  useEffect(() => {
    void stores.integrations.getState().load()
    void stores.providers.getState().load() // what a delete takes with it
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
      {state.items.length > 0 ? <TabBar tab={tab} onTab={setTab} /> : null}
      {tab === 'all' ? (
        <AllProviders kinds={state.kinds} items={state.items} onNavigate={onNavigate} />
      ) : state.items.length > 0 && shown.length === 0 ? (
        <EmptyState title={tab === 'workspace' ? 'Nothing created in this workspace' : 'Nothing connected to this workspace'}>
          {tab === 'workspace'
            ? 'Integrations added from inside a workspace show here; the others belong to the whole catalog.'
            : 'Provision an integration to this workspace from the connect wizard, or pick another workspace.'}
        </EmptyState>
      ) : state.items.length === 0 ? (
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
              {shown.map((integration) => (
                <Fragment key={integration.id}>
                <tr>
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
                    <button type="button" className="btn btn-small btn-ghost" aria-label={`Edit ${integration.slug}`} onClick={() => setEditing(editing === integration.id ? null : integration.id)}>
                      Edit
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirmLabel={dependentsLabel(providers.items.filter((p) => p.integrationId === integration.id).length)}
                      onConfirm={async () => {
                        if (await state.remove(integration.id)) {
                          if (justCreated?.id === integration.id) setJustCreated(null)
                          void stores.providers.getState().load()
                        }
                      }}
                    />
                  </td>
                </tr>
                {editing === integration.id ? (
                  <tr>
                    <td colSpan={7}>
                      <EditIntegration
                        integration={integration}
                        busy={state.saving}
                        onCancel={() => setEditing(null)}
                        onSave={(name, settings) => state.updateSettings(integration.id, name, settings)}
                      />
                    </td>
                  </tr>
                ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** Deleting an integration takes its providers with it: the confirm button says how many. */
function dependentsLabel(providers: number): string {
  return providers === 0 ? 'Delete integration' : `Delete integration and ${providers} provider${providers === 1 ? '' : 's'}`
}

function endpointOf(integration: Integration, kind: ProviderKind | undefined): string {
  const s = integration.settings
  return s.baseUrl ?? s.azureEndpoint ?? s.azureResourceName ?? kind?.defaultBaseUrl ?? '—'
}
