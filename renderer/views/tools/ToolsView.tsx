/**
 * Connect a tool: for Claude Code, Codex, Continue, Cline and any OpenAI client, the exact settings;
 * for tools with a config file, Preview (a diff of the file, the key masked), Apply (writes it,
 * keeping a backup) and Restore (puts the backup back).
 */
import { Loading } from '../../components/Loading.tsx'
import { useEffect, useState } from 'react'
import { useStore } from 'zustand'
import type { ToolId } from '../../../preload/contract.ts'
import { CopyButton } from '../../components/CopyButton.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { lineDiff } from '../../lib/lineDiff.ts'
import { useStores } from '../../lib/useStores.ts'
import { DiffView } from '../routing/DiffView.tsx'

export function ToolsView() {
  const stores = useStores()
  const state = useStore(stores.tools)
  const [tool, setTool] = useState<ToolId>('claude-code')
  const [apiKey, setApiKey] = useState('')
  const [model, setModel] = useState('')

  useEffect(() => {
    void stores.tools.getState().load()
  }, [stores])

  const info = state.items.find((t) => t.id === tool) ?? null
  const input = { tool, ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}), ...(model.trim() ? { model: model.trim() } : {}) }

  return (
    <section className="view">
      <PageHeader
        title="Connect a tool"
        description="Point a coding tool at the gateway. Apply writes the tool's own config file (other settings are kept) after showing the change, and keeps a backup you can restore."
      />
      <ErrorNote error={state.error} />
      {!state.loaded ? (
        state.error ? null : (
          <Loading what="tools" />
        )
      ) : (
        <>
          <div className="segmented tool-tabs" role="tablist" aria-label="Tool">
            {state.items.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                aria-selected={t.id === tool}
                className={t.id === tool ? 'active' : undefined}
                onClick={() => {
                  setTool(t.id)
                  void stores.tools.setState({ preview: null, result: null, actionError: null })
                }}
              >
                {t.name}
              </button>
            ))}
          </div>
          {info ? (
            <div className="split tool-split" role="tabpanel" aria-label={info.name}>
              <div className="card form">
                <div className="form-title">{info.name}</div>
                <p className="muted small">
                  {info.path ? (
                    <>
                      Writes <code>{info.path}</code> {info.exists ? '(exists)' : '(new file)'}
                      {info.hasBackup ? ' · a backup is kept' : ''}
                    </>
                  ) : (
                    'This tool keeps its settings in its own UI: enter these there.'
                  )}
                </p>
                <div className="snippet-block">
                  <div className="snippet-head">
                    <span>Settings</span>
                    <CopyButton value={info.manual} label="Copy settings" />
                  </div>
                  <pre className="snippet" aria-label={`${info.name} settings`}>
                    {info.manual}
                  </pre>
                </div>
                {info.path ? (
                  <>
                    <label className="field">
                      <span className="field-label">Switchyard API key {tool === 'codex' ? '(Codex reads SWITCHYARD_API_KEY instead)' : ''}</span>
                      <input type="password" autoComplete="off" value={apiKey} disabled={tool === 'codex'} onChange={(e) => setApiKey(e.target.value)} />
                    </label>
                    <label className="field">
                      <span className="field-label">Model (optional)</span>
                      <input value={model} placeholder="@anthropic/claude-sonnet-4-5" onChange={(e) => setModel(e.target.value)} />
                    </label>
                    <div className="form-actions">
                      <button type="button" className="btn" disabled={state.busy} onClick={() => void state.showPreview(input)}>
                        Preview change
                      </button>
                      <button type="button" className="btn btn-primary" disabled={state.busy || state.preview?.tool !== tool} onClick={() => void state.apply(input)}>
                        Apply
                      </button>
                      <button type="button" className="btn btn-ghost" disabled={state.busy || !info.hasBackup} onClick={() => void state.restore(tool)}>
                        Restore backup
                      </button>
                    </div>
                  </>
                ) : null}
                <ErrorNote error={state.actionError} />
                {state.result?.tool === tool ? (
                  <p className="note note-ok" role="status">
                    {state.result.restored ? 'Restored' : 'Wrote'} <code>{state.result.path}</code>
                    {state.result.backupPath ? (
                      <>
                        {' '}
                        · backup <code>{state.result.backupPath}</code>
                      </>
                    ) : null}
                  </p>
                ) : null}
              </div>
              <div className="card">
                <div className="card-title">Change preview</div>
                {state.preview?.tool === tool ? (
                  <DiffView label={`Changes to ${state.preview.path}`} lines={lineDiff(state.preview.before ?? '', state.preview.after)} />
                ) : (
                  <p className="muted">Preview the change to see exactly which lines Apply writes.</p>
                )}
              </div>
            </div>
          ) : null}
        </>
      )}
    </section>
  )
}
