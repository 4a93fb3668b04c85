/**
 * API keys screen: the local keys clients send to the gateway, per workspace. A new key is shown
 * exactly once, with a copy button and a warning; afterwards only its prefix is visible. Revoke is
 * immediate.
 */
import { useEffect, useState, type FormEvent } from 'react'
import { useStore } from 'zustand'
import type { CreatedApiKey } from '../../../preload/contract.ts'
import { ConfirmButton } from '../../components/ConfirmButton.tsx'
import { CopyButton } from '../../components/CopyButton.tsx'
import { EmptyState } from '../../components/EmptyState.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { format } from '../../lib/format.ts'
import { useStores } from '../../lib/useStores.ts'
import { KeySettings } from './KeySettings.tsx'

export function KeysView() {
  const stores = useStores()
  const state = useStore(stores.keys)
  const workspaces = useStore(stores.workspaces)
  const openKey = useStore(stores.workspaceAdmin, (s) => s.key)
  const gatewayUrl = useStore(stores.status, (s) => s.status?.gatewayUrl ?? null)
  const [name, setName] = useState('')
  const workspace = workspaces.items.find((w) => w.id === workspaces.selectedId) ?? null
  const workspaceId = workspace?.id ?? null

  useEffect(() => {
    if (workspaceId !== null) void stores.keys.getState().load(workspaceId)
  }, [stores, workspaceId])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (await state.create(name)) setName('')
  }

  const now = Date.now()

  return (
    <section className="view">
      <PageHeader
        title="API keys"
        description={
          <>
            Keys for the <strong>{workspace?.name ?? '…'}</strong> workspace. Clients send them to the gateway as{' '}
            <code>Authorization: Bearer</code> or <code>x-api-key</code>; usage is recorded per workspace.
          </>
        }
      />
      <ErrorNote error={workspaces.error} />
      {state.revealed ? (
        <RevealedKey created={state.revealed} gatewayUrl={gatewayUrl} onDone={state.dismissReveal} />
      ) : null}
      <form className="card form form-inline" onSubmit={(e) => void submit(e)} aria-label="Create API key">
        <label className="field">
          <span className="field-label">Key name</span>
          <input
            required
            value={name}
            placeholder="claude-code on laptop"
            autoComplete="off"
            aria-invalid={state.formError?.path === 'name' ? true : undefined}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={state.saving || workspaceId === null}>
          {state.saving ? 'Creating…' : 'Create key'}
        </button>
      </form>
      <ErrorNote error={state.formError} />
      {openKey ? <KeySettings key={`${openKey.id}`} apiKey={openKey} /> : null}
      <ErrorNote error={state.error} />
      <ErrorNote error={state.actionError} />
      {state.items.length === 0 ? (
        state.loading || state.error ? null : (
          <EmptyState title="No API keys in this workspace">
            Create a key and give it to your client (Claude Code, Codex, your IDE) together with the gateway URL
            {gatewayUrl ? (
              <>
                {' '}
                <code>{gatewayUrl}</code>
              </>
            ) : null}
            .
          </EmptyState>
        )
      ) : (
        <div className="card table-card">
          <table className="table" aria-label="API keys">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Status</th>
                <th className="col-actions" aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {state.items.map((k) => (
                <tr key={k.id} className={k.revokedAt !== null ? 'row-dim' : undefined}>
                  <td className="strong">{k.name}</td>
                  <td className="mono">{k.prefix.endsWith('…') ? k.prefix : `${k.prefix}…`}</td>
                  <td className="muted nowrap">{format.dateTime(k.createdAt)}</td>
                  <td className="muted nowrap">{format.ago(k.lastUsedAt, now)}</td>
                  <td>
                    {k.revokedAt === null ? (
                      <span className="badge badge-ok">Active</span>
                    ) : (
                      <span className="badge badge-muted">Revoked {format.ago(k.revokedAt, now)}</span>
                    )}
                  </td>
                  <td className="col-actions">
                    {k.revokedAt === null ? (
                      <button type="button" className="btn btn-small btn-ghost" aria-label={`Settings of ${k.name}`} onClick={() => void stores.workspaceAdmin.getState().openKey(k.id)}>
                        Settings
                      </button>
                    ) : null}
                    {k.revokedAt === null ? (
                      <ConfirmButton label="Revoke" confirmLabel="Revoke key" onConfirm={() => state.revoke(k.id)} />
                    ) : null}
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

function RevealedKey(props: { created: CreatedApiKey; gatewayUrl: string | null; onDone: () => void }) {
  const { created, gatewayUrl, onDone } = props
  return (
    <div className="card reveal" role="region" aria-label="New API key">
      <div className="reveal-head">
        <strong>Copy your new key “{created.name}” now.</strong> It will not be shown again: Switchyard keeps only a
        hash.
      </div>
      <div className="reveal-key">
        <input
          className="mono"
          readOnly
          value={created.key}
          aria-label="New API key value"
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton value={created.key} label="Copy key" className="btn-primary" />
        <button type="button" className="btn btn-small" onClick={onDone}>
          Done
        </button>
      </div>
      {gatewayUrl ? (
        <pre className="snippet">{`OPENAI_BASE_URL=${gatewayUrl}/v1  OPENAI_API_KEY=<this key>\nANTHROPIC_BASE_URL=${gatewayUrl}  ANTHROPIC_API_KEY=<this key>`}</pre>
      ) : null}
    </div>
  )
}
