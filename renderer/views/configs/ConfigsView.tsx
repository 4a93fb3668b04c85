/**
 * Routing configs screen: saved Portkey-style configs (fallback, load balancing, retries, caching)
 * that clients select by slug. Lists them, creates and edits them in a JSON editor with server-side
 * validation, and deletes them. Each save makes a new version.
 */
import { useEffect, useState } from 'react'
import { useStore } from 'zustand'
import type { SavedConfig } from '../../../preload/contract.ts'
import { ConfirmButton } from '../../components/ConfirmButton.tsx'
import { EmptyState } from '../../components/EmptyState.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { format } from '../../lib/format.ts'
import { useStores } from '../../lib/useStores.ts'
import { configText, exampleConfig, type ConfigDraft } from '../../stores/configs.ts'
import { ConfigEditor } from './ConfigEditor.tsx'

/** What the editor is doing: nothing, a new config, or one existing config. */
type Editing = { mode: 'closed' } | { mode: 'create' } | { mode: 'edit'; config: SavedConfig }

const newDraft: ConfigDraft = { slug: '', name: '', text: configText(exampleConfig) }

export function ConfigsView() {
  const stores = useStores()
  const state = useStore(stores.configs)
  const [editing, setEditing] = useState<Editing>({ mode: 'closed' })
  const [saved, setSaved] = useState<SavedConfig | null>(null)

  useEffect(() => {
    void stores.configs.getState().load()
  }, [stores])

  const openEditor = (next: Editing) => {
    state.resetEditor()
    setSaved(null)
    setEditing(next)
  }

  const edit = async (id: string) => {
    const fresh = await state.open(id)
    if (fresh) openEditor({ mode: 'edit', config: fresh })
  }

  const editingConfig = editing.mode === 'edit' ? editing.config : null
  const empty = state.items.length === 0 && !state.loading && state.error === null

  return (
    <section className="view">
      <PageHeader
        title="Configs"
        description={
          <>
            Routing configs: fallbacks, load balancing, retries and caching across your providers. Clients pick one
            with the <code>x-portkey-config</code> header.
          </>
        }
        actions={
          editing.mode === 'closed' ? (
            <button type="button" className="btn btn-primary" onClick={() => openEditor({ mode: 'create' })}>
              New config
            </button>
          ) : null
        }
      />
      {editing.mode !== 'closed' ? (
        <ConfigEditor
          key={editingConfig ? `${editingConfig.id}@${editingConfig.version}` : 'new'}
          editing={editingConfig}
          initial={
            editingConfig
              ? { slug: editingConfig.slug, name: editingConfig.name, text: configText(editingConfig.config) }
              : newDraft
          }
          saving={state.saving}
          error={state.formError}
          validating={state.validating}
          validation={state.validation}
          onValidate={state.validate}
          onCancel={() => openEditor({ mode: 'closed' })}
          onSubmit={async (draft) => {
            const result = editingConfig ? await state.update(editingConfig.id, draft) : await state.create(draft)
            if (result) {
              setEditing({ mode: 'closed' })
              setSaved(result)
            }
            return result
          }}
        />
      ) : null}
      {saved ? (
        <div className="note note-ok" role="status">
          <span>
            Saved <strong>{saved.slug}</strong> (version {saved.version}). Clients use it now with{' '}
            <code>x-portkey-config: {saved.slug}</code>.
          </span>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setSaved(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      <ErrorNote error={state.error} />
      <ErrorNote error={state.actionError} />
      {state.items.length === 0 ? (
        empty ? (
          <EmptyState
            title="No routing configs yet"
            action={editing.mode === 'closed' ? { label: 'Create config', onClick: () => openEditor({ mode: 'create' }) } : undefined}
          >
            <p className="empty-para">
              A config decides where a request goes: try providers in order (<code>fallback</code>), spread load (
              <code>loadbalance</code>), pick by metadata (<code>conditional</code>), with retries and timeouts. A
              client uses a saved config by sending the header <code>x-portkey-config: &lt;slug&gt;</code>; an API
              key can also carry a default config that applies to every request made with it.
            </p>
            <pre className="snippet">{`x-portkey-config: fallback-gpt4o\n\n${configText(exampleConfig)}`}</pre>
          </EmptyState>
        ) : null
      ) : (
        <div className="card table-card">
          <table className="table" aria-label="Configs">
            <thead>
              <tr>
                <th>Slug</th>
                <th>Name</th>
                <th>Version</th>
                <th>Updated</th>
                <th className="col-actions" aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {state.items.map((c) => (
                <tr key={c.id}>
                  <td className="mono strong">{c.slug}</td>
                  <td>{c.name}</td>
                  <td className="muted">v{c.version}</td>
                  <td className="muted nowrap">{format.dateTime(c.updatedAt)}</td>
                  <td className="col-actions">
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => void edit(c.id)}>
                      Edit
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirmLabel="Delete config"
                      onConfirm={async () => {
                        if ((await state.remove(c.id)) && editingConfig?.id === c.id) openEditor({ mode: 'closed' })
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
