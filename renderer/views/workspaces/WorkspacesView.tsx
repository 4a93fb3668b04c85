/**
 * Workspaces: every workspace with its slug and state; create one, archive or bring it back (an
 * archived workspace's keys are refused). The header selector is reloaded after each change.
 */
import { Loading } from '../../components/Loading.tsx'
import { useEffect, useState, type FormEvent } from 'react'
import { useStore } from 'zustand'
import { ConfirmButton } from '../../components/ConfirmButton.tsx'
import { EmptyState } from '../../components/EmptyState.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { format } from '../../lib/format.ts'
import { useStores } from '../../lib/useStores.ts'
import { slugProblem } from '../../stores/wizard.ts'

export function WorkspacesView() {
  const stores = useStores()
  const state = useStore(stores.workspaceAdmin)
  const [slug, setSlug] = useState('')
  const [name, setName] = useState('')
  const problem = slug ? slugProblem(slug, state.items.map((w) => w.slug)) : null

  useEffect(() => {
    void stores.workspaceAdmin.getState().load()
  }, [stores])

  const refreshHeader = () => void stores.workspaces.getState().load()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (problem) return
    if (await state.create(slug, name)) {
      setSlug('')
      setName('')
      refreshHeader()
    }
  }

  return (
    <section className="view">
      <PageHeader
        title="Workspaces"
        description="Separate teams, projects or tools: each workspace has its own keys, providers, budgets, aliases and guardrails."
      />
      <form className="card form form-inline" aria-label="Create workspace" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">Slug</span>
          <input
            required
            value={slug}
            placeholder="team-ml"
            aria-invalid={problem ? true : undefined}
            aria-describedby="ws-slug-hint"
            onChange={(e) => setSlug(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Name</span>
          <input value={name} placeholder="ML team" onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={state.busy || problem !== null}>
          Create workspace
        </button>
        <span id="ws-slug-hint" className={problem ? 'field-hint text-danger' : 'field-hint'} aria-live="polite">
          {problem ?? ''}
        </span>
      </form>
      <ErrorNote error={state.formError} />
      <ErrorNote error={state.error} />
      {!state.loaded ? (
        state.error ? null : (
          <Loading what="workspaces" />
        )
      ) : state.items.length === 0 ? (
        <EmptyState title="No workspaces">Create one above; the default workspace appears after the first start.</EmptyState>
      ) : (
        <div className="card table-card">
          <table className="table" aria-label="Workspaces">
            <thead>
              <tr>
                <th>Name</th>
                <th>Slug</th>
                <th>Created</th>
                <th>Status</th>
                <th className="col-actions" aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {state.items.map((w) => (
                <tr key={w.id} className={w.archivedAt !== null ? 'row-dim' : undefined}>
                  <td className="strong">
                    {w.name} {w.isDefault ? <span className="badge badge-muted">default</span> : null}
                  </td>
                  <td className="mono">{w.slug}</td>
                  <td className="muted nowrap">{format.dateTime(w.createdAt)}</td>
                  <td>{w.archivedAt === null ? <span className="badge badge-ok">Active</span> : <span className="badge badge-muted">Archived</span>}</td>
                  <td className="col-actions">
                    {w.isDefault ? null : w.archivedAt === null ? (
                      <ConfirmButton label="Archive" confirmLabel={`Archive ${w.slug}`} onConfirm={async () => (await state.archive(w.id, true)) && refreshHeader()} />
                    ) : (
                      <button type="button" className="btn btn-small btn-ghost" onClick={() => void state.archive(w.id, false).then(refreshHeader)}>
                        Unarchive
                      </button>
                    )}
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
